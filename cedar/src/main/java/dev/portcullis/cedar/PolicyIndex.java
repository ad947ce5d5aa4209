package dev.portcullis.cedar;

import dev.portcullis.cedar.ast.ActionConstraint;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.ast.ScopeConstraint;
import dev.portcullis.cedar.ast.VarName;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the policies whose scope can match a request without looking at the others, so that a
 * decision costs time in proportion to the policies that might apply rather than to all of them.
 *
 * <p>Each policy is filed under one key of one scope component: the one likely to be the most
 * selective, judged by how many policies pin the same key and by the kind of key (an exact entity
 * is rarer in requests than a group, an action or a type). Per component there are three tables:
 * {@code ==} keys, looked up with the request's entity only; {@code in} keys, looked up with the
 * entity and every ancestor of it; and {@code is} types, looked up with its type. Because {@code
 * in} includes equality and the ancestor sets are transitive, a policy whose scope is satisfied is
 * always found. Policies with no constrained component are always candidates.
 *
 * <p>The lookup that finds a policy is, for the component it is filed under, exactly the test the
 * evaluator would make ({@code ==}, {@code in} or {@code is} on the same entity store), so that
 * component need not be checked again: {@link #proven} names it. The one exception is {@code is T
 * in E}, filed under {@code E} with its type still to check. The other components and the
 * conditions are evaluated in full.
 *
 * <p>Candidates come back as indexes into {@link #policies()}, sorted and without duplicates, so
 * that reasons and errors keep policy-set order.
 */
final class PolicyIndex {
    /*
     * Implementation notes. A request usually finds several buckets (the github workload: its action
     * and that action's four ancestors, one bucket each), and merging them into one sorted list cost
     * about a quarter of a decision. The buckets a request finds are few and recur, so when the
     * whole index has at most 64 buckets each gets one bit, a request's buckets become one long, and
     * the merged list for each combination is kept in a small direct-mapped cache: the common case
     * allocates nothing. Larger indexes (thousands of pinned policies) merge per request; there a
     * request finds one or two small buckets, so merging is cheap.
     */

    /** The three components of a scope. */
    private static final int PRINCIPAL = 0;

    private static final int ACTION = 1;
    private static final int RESOURCE = 2;
    private static final VarName[] VARS = {VarName.PRINCIPAL, VarName.ACTION, VarName.RESOURCE};

    /** The three tables of a component. */
    private static final int EQ = 0;

    private static final int IN = 1;
    private static final int TYPE = 2;

    private static final int[] NONE = new int[0];
    private static final int MASK_BITS = Long.SIZE;
    private static final int CACHE_SIZE = 256; // a power of two

    private final Policy[] policies;
    private final VarName[] proven;
    private final Bucket always;
    private final Component[] components;
    // Non-null when every bucket has a bit (at most 64 buckets); indexed by bit number.
    private final Bucket[] byBit;
    // Racy by design: entries are immutable (final fields), so a reader sees null, an older entry
    // or a complete new one, and checks the mask either way.
    private final Merged[] cache;

    PolicyIndex(List<Policy> list) {
        this.policies = list.toArray(new Policy[0]);
        this.proven = new VarName[policies.length];
        // Pass 1: how many policies pin each key. Pass 2: file each policy under its cheapest key,
        // so that a key many policies share (`principal == User::"admin"`) does not become one huge
        // bucket when the same policies also pin something rarer (`resource == Doc::"d42"`).
        List<List<Key>> options = new ArrayList<>(policies.length);
        List<Map<Object, Integer>> frequency = new ArrayList<>();
        for (int t = 0; t < 9; t++) {
            frequency.add(new HashMap<>());
        }
        for (Policy p : policies) {
            List<Key> keys = new ArrayList<>(3);
            addIfPresent(keys, key(PRINCIPAL, p.principal()));
            addIfPresent(keys, key(RESOURCE, p.resource()));
            addIfPresent(keys, key(p.action()));
            for (Key k : keys) {
                for (Object o : k.keys()) {
                    frequency.get(k.table()).merge(o, 1, Integer::sum);
                }
            }
            options.add(keys);
        }
        List<Map<Object, List<Integer>>> filed = new ArrayList<>();
        for (int t = 0; t < 9; t++) {
            filed.add(new HashMap<>());
        }
        List<Integer> alwaysList = new ArrayList<>();
        for (int i = 0; i < policies.length; i++) {
            Key best = null;
            long bestCost = Long.MAX_VALUE;
            for (Key k : options.get(i)) {
                long cost = 0;
                for (Object o : k.keys()) {
                    cost += frequency.get(k.table()).get(o);
                }
                cost *= k.weight;
                if (cost < bestCost) {
                    best = k;
                    bestCost = cost;
                }
            }
            if (best == null) {
                alwaysList.add(i);
                continue;
            }
            proven[i] = best.proves ? VARS[best.component] : null;
            for (Object o : best.keys()) {
                List<Integer> bucket = filed.get(best.table()).computeIfAbsent(o, k -> new ArrayList<>());
                // `action in [A, A]` must not file the policy twice under A
                if (bucket.isEmpty() || bucket.get(bucket.size() - 1) != i) {
                    bucket.add(i);
                }
            }
        }
        List<Bucket> buckets = new ArrayList<>();
        this.always = alwaysList.isEmpty() ? null : bucket(buckets, alwaysList);
        this.components = new Component[3];
        for (int c = 0; c < 3; c++) {
            components[c] = new Component(
                    freeze(buckets, filed.get(3 * c + EQ)),
                    freeze(buckets, filed.get(3 * c + IN)),
                    freeze(buckets, filed.get(3 * c + TYPE)));
        }
        this.byBit = buckets.size() <= MASK_BITS ? buckets.toArray(new Bucket[0]) : null;
        this.cache = byBit != null ? new Merged[CACHE_SIZE] : null;
    }

    private static void addIfPresent(List<Key> keys, Key k) {
        if (k != null) {
            keys.add(k);
        }
    }

    Policy[] policies() {
        return policies;
    }

    /**
     * The scope component of policy {@code i} that being a candidate proves satisfied, or {@code
     * null} when candidacy proves nothing (the policy is always a candidate, or is filed under the
     * entity of an {@code is T in E}).
     */
    VarName proven(int i) {
        return proven[i];
    }

    /**
     * The indexes of the policies that may apply to this request, ascending. A policy whose scope
     * is satisfied by the request is always among them. The array is shared: callers must not
     * modify it.
     */
    int[] candidates(Request request, Entities entities) {
        Merger merger = byBit == null ? new Merger() : null;
        long mask = 0;
        if (always != null) {
            mask = add(always, merger);
        }
        mask |= components[PRINCIPAL].collect(request.principal(), entities, merger);
        mask |= components[ACTION].collect(request.action(), entities, merger);
        mask |= components[RESOURCE].collect(request.resource(), entities, merger);
        if (merger != null) {
            return merger.result();
        }
        if ((mask & (mask - 1)) == 0) {
            return mask == 0 ? NONE : byBit[Long.numberOfTrailingZeros(mask)].items;
        }
        int slot = (int) ((mask * 0x9E3779B97F4A7C15L) >>> (Long.SIZE - Integer.numberOfTrailingZeros(CACHE_SIZE)));
        Merged m = cache[slot];
        if (m == null || m.mask != mask) {
            Merger all = new Merger();
            for (long rest = mask; rest != 0; rest &= rest - 1) {
                all.add(byBit[Long.numberOfTrailingZeros(rest)].items);
            }
            m = new Merged(mask, all.result());
            cache[slot] = m;
        }
        return m.items;
    }

    /** The bucket's bit; when merging per request (no bits), its policies go to {@code merger}. */
    private static long add(Bucket b, Merger merger) {
        if (merger != null) {
            merger.add(b.items);
        }
        return b.bit;
    }

    /** The tables of one scope component; a null table has no keys. */
    private record Component(Map<Object, Bucket> eq, Map<Object, Bucket> in, Map<Object, Bucket> type) {
        long collect(EntityUid uid, Entities entities, Merger merger) {
            long mask = 0;
            Bucket b;
            if (eq != null && (b = eq.get(uid)) != null) {
                mask |= add(b, merger);
            }
            if (in != null) {
                if ((b = in.get(uid)) != null) {
                    mask |= add(b, merger);
                }
                for (EntityUid a : entities.ancestors(uid)) {
                    if ((b = in.get(a)) != null) {
                        mask |= add(b, merger);
                    }
                }
            }
            if (type != null && (b = type.get(uid.type())) != null) {
                mask |= add(b, merger);
            }
            return mask;
        }
    }

    /** Policy indexes, ascending; {@code bit} is this bucket's bit, or 0 in an index of more than 64. */
    private record Bucket(int[] items, long bit) {}

    /** The merged candidates for one combination of buckets. */
    private record Merged(long mask, int[] items) {}

    /** Concatenates buckets, then sorts and removes duplicates; a single bucket is returned as is. */
    private static final class Merger {
        private int[] items = NONE;
        private int size;
        private int buckets;

        void add(int[] bucket) {
            if (buckets++ == 0) {
                items = bucket;
                size = bucket.length;
                return;
            }
            if (buckets == 2 || size + bucket.length > items.length) {
                items = Arrays.copyOf(items, Math.max(16, 2 * (size + bucket.length)));
            }
            System.arraycopy(bucket, 0, items, size, bucket.length);
            size += bucket.length;
        }

        int[] result() {
            if (buckets <= 1) {
                return items;
            }
            Arrays.sort(items, 0, size);
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (n == 0 || items[n - 1] != items[i]) {
                    items[n++] = items[i];
                }
            }
            return Arrays.copyOf(items, n);
        }
    }

    /**
     * Where a policy may be filed: keys of one table of one component. The weight says how many
     * requests a key of that kind tends to match: an exact principal or resource one entity, a group
     * (`in`) all its members, an action every request for it, a type every entity of the type.
     * {@code proves}: finding the policy through this key proves that component of its scope.
     */
    private record Key(int component, int kind, List<?> keys, int weight, boolean proves) {
        int table() {
            return 3 * component + kind;
        }
    }

    private static final int EXACT_WEIGHT = 1;
    private static final int GROUP_WEIGHT = 2;
    private static final int ACTION_WEIGHT = 2;
    private static final int TYPE_WEIGHT = 8;

    private static Key key(int component, ScopeConstraint c) {
        return switch (c) {
            case ScopeConstraint.Any any -> null;
            case ScopeConstraint.Eq eq -> uidKey(component, EQ, eq.ref().uid(), EXACT_WEIGHT, true);
            case ScopeConstraint.In in -> uidKey(component, IN, in.ref().uid(), GROUP_WEIGHT, true);
            // the type is still to check
            case ScopeConstraint.IsIn isIn -> uidKey(component, IN, isIn.ref().uid(), GROUP_WEIGHT, false);
            case ScopeConstraint.Is is -> new Key(component, TYPE, List.<EntityType>of(is.type()), TYPE_WEIGHT, true);
        };
    }

    private static Key uidKey(int component, int kind, EntityUid uid, int weight, boolean proves) {
        // a template (never evaluated) can reach here with a slot; leave it unindexed
        return uid == null ? null : new Key(component, kind, List.of(uid), weight, proves);
    }

    private static Key key(ActionConstraint c) {
        return switch (c) {
            case ActionConstraint.Any any -> null;
            case ActionConstraint.Eq eq -> new Key(ACTION, EQ, List.of(eq.action()), ACTION_WEIGHT, true);
            // `action in []` can never be satisfied; filing it nowhere would be correct, but keep
            // it a candidate so that the evaluator, not the index, decides.
            case ActionConstraint.In in ->
                in.actions().isEmpty() ? null : new Key(ACTION, IN, in.actions(), ACTION_WEIGHT, true);
        };
    }

    private static Map<Object, Bucket> freeze(List<Bucket> buckets, Map<Object, List<Integer>> m) {
        if (m.isEmpty()) {
            return null;
        }
        Map<Object, Bucket> out = new HashMap<>(Math.max(4, m.size() * 2));
        m.forEach((k, v) -> out.put(k, bucket(buckets, v)));
        return out;
    }

    /** A new bucket, numbered in creation order; the first 64 get a bit. */
    private static Bucket bucket(List<Bucket> buckets, List<Integer> list) {
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        int n = buckets.size();
        Bucket b = new Bucket(a, n < MASK_BITS ? 1L << n : 0);
        buckets.add(b);
        return b;
    }
}
