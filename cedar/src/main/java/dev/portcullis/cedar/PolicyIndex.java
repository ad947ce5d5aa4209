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
import java.util.concurrent.atomic.AtomicLong;

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
     * and that action's four ancestors, one bucket each), and merging them into one sorted list per
     * request cost about a quarter of a decision. The buckets a request finds are few and recur, so
     * unions are cached: every bucket has an id, the union of two is looked up by their pair of ids
     * in a small direct-mapped cache, and a union made is a bucket with an id of its own, so a
     * request folds its buckets into one with a cache probe per bucket. In the steady state a
     * decision allocates nothing here; a miss merges two sorted lists.
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
    private static final int CACHE_BITS = 10;

    private final Policy[] policies;
    private final VarName[] proven;
    private final Bucket always;
    private final Component[] components;
    // Racy by design: entries are immutable (final fields), so a reader sees null, an older entry
    // or a complete new one, and checks the ids either way.
    private final Union[] cache = new Union[1 << CACHE_BITS];
    private final AtomicLong nextId;

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
        this.nextId = new AtomicLong(buckets.size());
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
        Bucket found = always;
        found = collect(components[PRINCIPAL], request.principal(), entities, found);
        found = collect(components[ACTION], request.action(), entities, found);
        found = collect(components[RESOURCE], request.resource(), entities, found);
        return found == null ? NONE : found.items;
    }

    /** {@code found} united with the buckets of {@code c} that {@code uid} finds. */
    private Bucket collect(Component c, EntityUid uid, Entities entities, Bucket found) {
        Bucket b;
        if (c.eq != null && (b = c.eq.get(uid)) != null) {
            found = union(found, b);
        }
        if (c.in != null) {
            if ((b = c.in.get(uid)) != null) {
                found = union(found, b);
            }
            for (EntityUid a : entities.ancestors(uid)) {
                if ((b = c.in.get(a)) != null) {
                    found = union(found, b);
                }
            }
        }
        if (c.type != null && (b = c.type.get(uid.type())) != null) {
            found = union(found, b);
        }
        return found;
    }

    /** The bucket holding the policies of both, from the cache when this pair was merged before. */
    private Bucket union(Bucket a, Bucket b) {
        if (a == null) {
            return b;
        }
        long h = (a.id * 0x9E3779B97F4A7C15L) ^ (b.id * 0xC2B2AE3D27D4EB4FL);
        int slot = (int) (h >>> (Long.SIZE - CACHE_BITS));
        Union u = cache[slot];
        if (u == null || u.left != a.id || u.right != b.id) {
            u = new Union(a.id, b.id, new Bucket(merge(a.items, b.items), nextId.getAndIncrement()));
            cache[slot] = u;
        }
        return u.result;
    }

    /** The two ascending lists merged, ascending and without duplicates. */
    private static int[] merge(int[] a, int[] b) {
        int[] out = new int[a.length + b.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length || j < b.length) {
            int next = j == b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
            if (n == 0 || out[n - 1] != next) {
                out[n++] = next;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** The tables of one scope component; a null table has no keys. */
    private record Component(Map<Object, Bucket> eq, Map<Object, Bucket> in, Map<Object, Bucket> type) {}

    /**
     * Policy indexes, ascending. The id is unique within the index: base buckets are numbered as
     * they are built, unions as they are made.
     */
    private record Bucket(int[] items, long id) {}

    /** A cached union: the ids of the two buckets and their union. */
    private record Union(long left, long right, Bucket result) {}

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

    /** A new bucket, numbered in creation order. */
    private static Bucket bucket(List<Bucket> buckets, List<Integer> list) {
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        Bucket b = new Bucket(a, buckets.size());
        buckets.add(b);
        return b;
    }
}
