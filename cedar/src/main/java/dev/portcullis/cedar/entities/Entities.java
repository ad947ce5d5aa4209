package dev.portcullis.cedar.entities;

import dev.portcullis.cedar.value.EntityUid;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An immutable entity store. The transitive ancestors of every entity (the closure of the {@code
 * in} relation) are computed once, here, so that {@code in} is a hash lookup during evaluation.
 *
 * <p>A parent need not be in the store: it still counts as an ancestor (Cedar's semantics), it just
 * has no attributes and no parents of its own.
 */
public final class Entities {
    public static final Entities EMPTY = new Entities(Map.of());

    private final Map<EntityUid, Entity> entities;
    // INVARIANT: for every entity in the store, the set of all its ancestors (never itself unless
    // the hierarchy has a cycle, which Cedar allows in data).
    private final Map<EntityUid, Set<EntityUid>> ancestors;

    private Entities(Map<EntityUid, Entity> entities) {
        this.entities = entities;
        this.ancestors = closure(entities);
    }

    /** A store of these entities; a later entity with the same uid as an earlier one is an error. */
    public static Entities of(Collection<Entity> list) {
        Map<EntityUid, Entity> map = new LinkedHashMap<>();
        for (Entity e : list) {
            if (map.putIfAbsent(e.uid(), e) != null) {
                throw new IllegalArgumentException("duplicate entity `" + e.uid() + "`");
            }
        }
        return new Entities(Collections.unmodifiableMap(map));
    }

    /** This store plus {@code more}; entities of {@code more} replace ones with the same uid. */
    public Entities with(Collection<Entity> more) {
        Map<EntityUid, Entity> map = new LinkedHashMap<>(entities);
        for (Entity e : more) {
            map.put(e.uid(), e);
        }
        return new Entities(Collections.unmodifiableMap(map));
    }

    /** The entity, or {@code null} when it is not in the store. */
    public Entity get(EntityUid uid) {
        return entities.get(uid);
    }

    public boolean contains(EntityUid uid) {
        return entities.containsKey(uid);
    }

    /** All transitive ancestors of {@code uid}; empty when it has none or is not in the store. */
    public Set<EntityUid> ancestors(EntityUid uid) {
        Set<EntityUid> a = ancestors.get(uid);
        return a == null ? Set.of() : a;
    }

    /** Cedar's {@code child in parent} for two entity uids: equal, or parent is an ancestor. */
    public boolean isDescendantOrSelf(EntityUid child, EntityUid parent) {
        return child.equals(parent) || ancestors(child).contains(parent);
    }

    public Collection<Entity> all() {
        return entities.values();
    }

    public int size() {
        return entities.size();
    }

    private static Map<EntityUid, Set<EntityUid>> closure(Map<EntityUid, Entity> entities) {
        Map<EntityUid, Set<EntityUid>> result = new HashMap<>(entities.size() * 2);
        for (Entity e : entities.values()) {
            if (e.parents().isEmpty()) {
                result.put(e.uid(), Set.of());
                continue;
            }
            Set<EntityUid> seen = new HashSet<>();
            ArrayDeque<EntityUid> work = new ArrayDeque<>(e.parents());
            while (!work.isEmpty()) {
                EntityUid p = work.pop();
                if (!seen.add(p)) {
                    continue;
                }
                Set<EntityUid> done = result.get(p);
                if (done != null) {
                    seen.addAll(done);
                    continue;
                }
                Entity pe = entities.get(p);
                if (pe != null) {
                    work.addAll(pe.parents());
                }
            }
            result.put(e.uid(), Collections.unmodifiableSet(seen));
        }
        return result;
    }
}
