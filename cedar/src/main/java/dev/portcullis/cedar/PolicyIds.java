package dev.portcullis.cedar;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The reasons of a {@link Response}: policy ids in policy-set order, as an immutable set over the
 * array the authorizer filled. It exists so that a decision builds its reasons once: {@link
 * Response} keeps an instance as it is instead of copying it, which is safe because only this
 * package creates one and nothing changes it afterwards.
 */
final class PolicyIds extends AbstractSet<String> {
    /** Up to this size {@link #contains} scans the array; larger sets build a hash set once. */
    private static final int SCAN = 8;

    // INVARIANT: ids[0..size) are distinct (policy ids are unique within a policy set) and never
    // written after construction.
    private final String[] ids;
    private final int size;
    // Racy by design: Set.copyOf's result has final fields, so any thread sees it whole.
    private Set<String> lookup;

    /** Takes ownership of {@code ids}; its first {@code size} entries are distinct. */
    PolicyIds(String[] ids, int size) {
        this.ids = ids;
        this.size = size;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean contains(Object o) {
        if (size > SCAN) {
            Set<String> set = lookup;
            if (set == null) {
                set = Set.copyOf(this);
                lookup = set;
            }
            return set.contains(o);
        }
        for (int i = 0; i < size; i++) {
            if (ids[i].equals(o)) {
                return true;
            }
        }
        return false;
    }

    // what List.copyOf and new ArrayList<>(..) call: the array, not an iteration
    @Override
    public Object[] toArray() {
        return Arrays.copyOf(ids, size, Object[].class);
    }

    @Override
    public Iterator<String> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public String next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                return ids[next++];
            }
        };
    }
}
