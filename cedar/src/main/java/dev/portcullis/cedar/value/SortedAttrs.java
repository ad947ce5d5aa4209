package dev.portcullis.cedar.value;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable attribute map over two parallel arrays, keys strictly ascending: what a {@link
 * RecordValue} made by {@link RecordShape#record} keeps, without copying into a tree. Lookups
 * are binary searches; iteration is in key order, like every record's.
 *
 * <p>For callers that build the same shape of record again and again (a record whose keys never
 * change but whose values do): they keep one key array and hand in a fresh value array each time.
 */
final class SortedAttrs extends AbstractMap<String, Value> {
    private final String[] keys;
    private final Value[] values;

    /**
     * Adopts both arrays (the caller must not change them afterwards); the keys are a {@link
     * RecordShape}'s: sorted, distinct and checked there, so only the values are checked here.
     */
    SortedAttrs(String[] keys, Value[] values) {
        if (keys.length != values.length) {
            throw new IllegalArgumentException(keys.length + " attributes but " + values.length + " values");
        }
        for (Value v : values) {
            if (v == null) {
                throw new NullPointerException("a record attribute's value is null");
            }
        }
        this.keys = keys;
        this.values = values;
    }

    private int indexOf(Object key) {
        return key instanceof String s ? Arrays.binarySearch(keys, s) : -1;
    }

    @Override
    public Value get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public boolean isEmpty() {
        return keys.length == 0;
    }

    @Override
    public Set<Entry<String, Value>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return keys.length;
            }

            @Override
            public Iterator<Entry<String, Value>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < keys.length;
                    }

                    @Override
                    public Entry<String, Value> next() {
                        if (i >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, Value> e = new SimpleImmutableEntry<>(keys[i], values[i]);
                        i++;
                        return e;
                    }
                };
            }
        };
    }
}
