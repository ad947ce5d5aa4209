package dev.portcullis.pdp.session;

import dev.portcullis.cedar.value.Value;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;

/**
 * Two sorted entry lists read as one sorted map, without building it: what {@code context.session}
 * is made from on every allow (its fixed entries and the few that change).
 *
 * <p>Why: {@code RecordValue} copies its attributes into a {@code TreeMap}, which it does in linear
 * time when handed a {@link SortedMap} with natural ordering, and in n log n otherwise. Handing it
 * this view saves building a map only to have it copied. Only what that copy uses is supported:
 * {@link #entrySet()}, {@link #size()}, {@link #comparator()}; the rest of {@link SortedMap}'s range
 * methods throw.
 */
final class SortedEntries extends AbstractMap<String, Value> implements SortedMap<String, Value> {
    private final List<Map.Entry<String, Value>> a;
    private final List<Map.Entry<String, Value>> b;

    /** {@code a} and {@code b} each sorted by key, without keys in common. */
    SortedEntries(List<Map.Entry<String, Value>> a, List<Map.Entry<String, Value>> b) {
        this.a = a;
        this.b = b;
    }

    @Override
    public int size() {
        return a.size() + b.size();
    }

    @Override
    public Set<Entry<String, Value>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return a.size() + b.size();
            }

            @Override
            public Iterator<Entry<String, Value>> iterator() {
                return new Iterator<>() {
                    int i;
                    int j;

                    @Override
                    public boolean hasNext() {
                        return i < a.size() || j < b.size();
                    }

                    @Override
                    public Entry<String, Value> next() {
                        if (i < a.size()
                                && (j >= b.size()
                                        || a.get(i).getKey().compareTo(b.get(j).getKey()) < 0)) {
                            return a.get(i++);
                        }
                        if (j < b.size()) {
                            return b.get(j++);
                        }
                        throw new NoSuchElementException();
                    }
                };
            }
        };
    }

    @Override
    public Comparator<? super String> comparator() {
        return null;
    }

    @Override
    public SortedMap<String, Value> subMap(String fromKey, String toKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<String, Value> headMap(String toKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<String, Value> tailMap(String fromKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String firstKey() {
        return entrySet().iterator().next().getKey();
    }

    @Override
    public String lastKey() {
        String last = null;
        for (Entry<String, Value> e : entrySet()) {
            last = e.getKey();
        }
        if (last == null) {
            throw new NoSuchElementException();
        }
        return last;
    }
}
