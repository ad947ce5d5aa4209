package dev.portcullis.cedar.value;

import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The attribute map of a record made by {@link RecordShape#lazyRecord}: the names are known from
 * the start, the values are asked for the first time anything needs one (a lookup, an iteration,
 * equality), and then kept. Asking only whether a name is there ({@code has}) does not compute
 * the values.
 */
final class LazyAttrs extends AbstractMap<String, Value> {
    private final String[] keys;
    private Supplier<Value[]> supplier;
    private volatile SortedAttrs attrs;

    LazyAttrs(String[] keys, Supplier<Value[]> supplier) {
        this.keys = keys;
        this.supplier = supplier;
    }

    private SortedAttrs attrs() {
        SortedAttrs a = attrs;
        if (a == null) {
            synchronized (this) {
                a = attrs;
                if (a == null) {
                    a = new SortedAttrs(keys, supplier.get());
                    attrs = a;
                    supplier = null;
                }
            }
        }
        return a;
    }

    @Override
    public Value get(Object key) {
        return attrs().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String s && Arrays.binarySearch(keys, s) >= 0;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public Set<Map.Entry<String, Value>> entrySet() {
        return attrs().entrySet();
    }
}
