package dev.portcullis.cedar.value;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The attribute names of records built again and again with the same keys and other values (say,
 * a request context made for every decision): the names are sorted and checked once, here, and
 * each {@link #record} then costs one small object over the caller's value array instead of a
 * sorted copy of a map.
 */
public final class RecordShape {
    private final String[] keys;

    private RecordShape(String[] keys) {
        this.keys = keys;
    }

    /**
     * The shape with these attribute names, in any order.
     *
     * @throws IllegalArgumentException if a name repeats
     */
    public static RecordShape of(String... names) {
        String[] keys = names.clone();
        Arrays.sort(keys);
        for (int i = 1; i < keys.length; i++) {
            if (keys[i - 1].equals(keys[i])) {
                throw new IllegalArgumentException("attribute `" + keys[i] + "` named twice");
            }
        }
        return new RecordShape(keys);
    }

    /** How many attributes a record of this shape has. */
    public int size() {
        return keys.length;
    }

    /**
     * Where the value of {@code name} goes in the array handed to {@link #record}.
     *
     * @throws IllegalArgumentException if the shape has no such attribute
     */
    public int indexOf(String name) {
        int i = Arrays.binarySearch(keys, name);
        if (i < 0) {
            throw new IllegalArgumentException("no attribute `" + name + "` in " + Arrays.toString(keys));
        }
        return i;
    }

    /**
     * The record with {@code values}, each at the {@link #indexOf index} of its name. The record
     * adopts the array: the caller must not modify it afterwards.
     *
     * @throws IllegalArgumentException if there are not exactly {@link #size()} values
     * @throws NullPointerException if a value is {@code null}
     */
    public RecordValue record(Value... values) {
        return new RecordValue(new SortedAttrs(keys, values));
    }

    /**
     * A record of this shape whose values are computed only when first needed: by a lookup of an
     * attribute, an iteration or a comparison, not by {@code has} (the names are known). {@code
     * values} is called at most once and must return {@link #size()} values in the order of the
     * names, like the array handed to {@link #record}.
     */
    public RecordValue lazyRecord(Supplier<Value[]> values) {
        return new RecordValue(new LazyAttrs(keys, Objects.requireNonNull(values, "values")));
    }
}
