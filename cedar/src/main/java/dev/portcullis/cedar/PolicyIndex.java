package dev.portcullis.cedar;

import dev.portcullis.cedar.ast.ActionConstraint;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.ast.ScopeConstraint;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the policies whose scope can match a request without looking at the others, so that a
 * decision costs time in proportion to the policies that might apply rather than to all of them.
 *
 * <p>Each policy is filed under one key of one scope component: the one likely to be the most
 * selective, judged by how many policies pin the same key and by the kind of key (an exact entity
 * is rarer in requests than a group, an action or a type). A request looks up, for each component, its entity, every ancestor of that entity
 * and its type. Because {@code in} includes equality and the ancestor sets are transitive, a policy
 * whose scope is satisfied is always found; the converse need not hold (the index is only a filter:
 * candidates are still evaluated in full). Policies with no constrained component are always
 * candidates.
 *
 * <p>Candidates come back as indexes into {@link #policies()}, sorted and without duplicates, so
 * that reasons and errors keep policy-set order.
 */
final class PolicyIndex {
    /** The three components of a scope; each has one table of uid keys and one of type keys. */
    private static final int PRINCIPAL = 0;

    private static final int ACTION = 1;
    private static final int RESOURCE = 2;

    private final Policy[] policies;
    private final int[] always;
    private final List<Map<EntityUid, int[]>> byUid;
    private final List<Map<EntityType, int[]>> byType;

    PolicyIndex(List<Policy> list) {
        this.policies = list.toArray(new Policy[0]);
        // Pass 1: how many policies pin each key. Pass 2: file each policy under its cheapest key,
        // so that a key many policies share (`principal == User::"admin"`) does not become one huge
        // bucket when the same policies also pin something rarer (`resource == Doc::"d42"`).
        List<List<Key>> options = new ArrayList<>(policies.length);
        List<Map<Object, Integer>> frequency = List.of(new HashMap<>(), new HashMap<>(), new HashMap<>());
        for (Policy p : policies) {
            List<Key> keys = new ArrayList<>(3);
            addIfPresent(keys, key(PRINCIPAL, p.principal()));
            addIfPresent(keys, key(RESOURCE, p.resource()));
            addIfPresent(keys, key(p.action()));
            for (Key k : keys) {
                for (Object o : k.keys()) {
                    frequency.get(k.component).merge(o, 1, Integer::sum);
                }
            }
            options.add(keys);
        }
        List<Map<EntityUid, List<Integer>>> uids = List.of(new HashMap<>(), new HashMap<>(), new HashMap<>());
        List<Map<EntityType, List<Integer>>> types = List.of(new HashMap<>(), new HashMap<>(), new HashMap<>());
        List<Integer> alwaysList = new ArrayList<>();
        for (int i = 0; i < policies.length; i++) {
            Key best = null;
            long bestCost = Long.MAX_VALUE;
            for (Key k : options.get(i)) {
                long cost = 0;
                for (Object o : k.keys()) {
                    cost += frequency.get(k.component).get(o);
                }
                cost *= k.weight;
                if (cost < bestCost) {
                    best = k;
                    bestCost = cost;
                }
            }
            if (best == null) {
                alwaysList.add(i);
            } else if (best.type != null) {
                types.get(best.component)
                        .computeIfAbsent(best.type, k -> new ArrayList<>())
                        .add(i);
            } else {
                for (EntityUid u : best.uids) {
                    List<Integer> bucket = uids.get(best.component).computeIfAbsent(u, k -> new ArrayList<>());
                    // `action in [A, A]` must not file the policy twice under A
                    if (bucket.isEmpty() || bucket.get(bucket.size() - 1) != i) {
                        bucket.add(i);
                    }
                }
            }
        }
        this.always = toArray(alwaysList);
        this.byUid = uids.stream().map(PolicyIndex::freezeAll).toList();
        this.byType = types.stream().map(PolicyIndex::freezeAll).toList();
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
     * The indexes of the policies that may apply to this request, ascending. A policy whose scope
     * is satisfied by the request is always among them.
     */
    Candidates candidates(Request request, Entities entities) {
        Candidates c = new Candidates(always);
        collect(PRINCIPAL, request.principal(), entities, c);
        collect(ACTION, request.action(), entities, c);
        collect(RESOURCE, request.resource(), entities, c);
        c.finish();
        return c;
    }

    private void collect(int component, EntityUid uid, Entities entities, Candidates c) {
        Map<EntityUid, int[]> uidTable = byUid.get(component);
        if (!uidTable.isEmpty()) {
            c.add(uidTable.get(uid));
            Set<EntityUid> ancestors = entities.ancestors(uid);
            if (!ancestors.isEmpty()) {
                for (EntityUid a : ancestors) {
                    c.add(uidTable.get(a));
                }
            }
        }
        Map<EntityType, int[]> typeTable = byType.get(component);
        if (!typeTable.isEmpty()) {
            c.add(typeTable.get(uid.type()));
        }
    }

    /**
     * Policy indexes gathered from the buckets; copies only when a second non-empty bucket arrives
     * (the common case of one bucket allocates nothing but this object).
     */
    static final class Candidates {
        private int[] items;
        private int size;
        private boolean owned;
        private int buckets;

        Candidates(int[] always) {
            this.items = always;
            this.size = always.length;
            this.buckets = always.length == 0 ? 0 : 1;
        }

        void add(int[] bucket) {
            if (bucket == null || bucket.length == 0) {
                return;
            }
            if (buckets++ == 0) {
                items = bucket;
                size = bucket.length;
                return;
            }
            if (!owned || size + bucket.length > items.length) {
                items = Arrays.copyOf(items, Math.max(16, 2 * (size + bucket.length)));
                owned = true;
            }
            System.arraycopy(bucket, 0, items, size, bucket.length);
            size += bucket.length;
        }

        /** Sorts and removes duplicates; a single bucket is already sorted and duplicate-free. */
        void finish() {
            if (buckets <= 1) {
                return;
            }
            Arrays.sort(items, 0, size);
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (n == 0 || items[n - 1] != items[i]) {
                    items[n++] = items[i];
                }
            }
            size = n;
        }

        int size() {
            return size;
        }

        /** The {@code i}-th candidate's index into {@link PolicyIndex#policies()}. */
        int get(int i) {
            return items[i];
        }
    }

    /**
     * Where a policy may be filed: uid keys of a component, or a type key of a component. The
     * weight says how many requests a key of that kind tends to match: an exact principal or
     * resource one entity, a group (`in`) all its members, an action every request for it, a type
     * every entity of the type.
     */
    private record Key(int component, List<EntityUid> uids, EntityType type, int weight) {
        List<?> keys() {
            return type != null ? List.of(type) : uids;
        }
    }

    private static final int EXACT = 1;
    private static final int GROUP = 2;
    private static final int ACTION_WEIGHT = 2;
    private static final int TYPE = 8;

    private static Key key(int component, ScopeConstraint c) {
        return switch (c) {
            case ScopeConstraint.Any any -> null;
            case ScopeConstraint.Eq eq -> uidKey(component, eq.ref().uid(), EXACT);
            case ScopeConstraint.In in -> uidKey(component, in.ref().uid(), GROUP);
            case ScopeConstraint.IsIn isIn -> uidKey(component, isIn.ref().uid(), GROUP);
            case ScopeConstraint.Is is -> new Key(component, null, is.type(), TYPE);
        };
    }

    private static Key uidKey(int component, EntityUid uid, int weight) {
        // a template (never evaluated) can reach here with a slot; leave it unindexed
        return uid == null ? null : new Key(component, List.of(uid), null, weight);
    }

    private static Key key(ActionConstraint c) {
        return switch (c) {
            case ActionConstraint.Any any -> null;
            case ActionConstraint.Eq eq -> new Key(ACTION, List.of(eq.action()), null, ACTION_WEIGHT);
            // `action in []` can never be satisfied; filing it nowhere would be correct, but keep
            // it a candidate so that the evaluator, not the index, decides.
            case ActionConstraint.In in ->
                in.actions().isEmpty() ? null : new Key(ACTION, in.actions(), null, ACTION_WEIGHT);
        };
    }

    private static <K> Map<K, int[]> freezeAll(Map<K, List<Integer>> m) {
        Map<K, int[]> out = new HashMap<>(Math.max(4, m.size() * 2));
        m.forEach((k, v) -> out.put(k, toArray(v)));
        return out;
    }

    private static int[] toArray(List<Integer> list) {
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }
}
