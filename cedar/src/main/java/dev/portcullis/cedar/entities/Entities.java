package dev.portcullis.cedar.entities;

import dev.portcullis.cedar.value.EntityUid;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable entity store. The transitive ancestors of every entity (the closure of the {@code
 * in} relation) are computed once, here, so that {@code in} is a hash lookup during evaluation.
 *
 * <p>A parent need not be in the store: it still counts as an ancestor (Cedar's semantics), it just
 * has no attributes and no parents of its own.
 *
 * <p>The hierarchy must be a DAG: an entity that would be its own ancestor (a self-loop or a longer
 * cycle) makes every way of building a store ({@link #of}, {@link #with}, {@link #overlay}) throw
 * {@link EntityHierarchyException}, as Cedar rejects such data.
 */
public final class Entities {
    public static final Entities EMPTY = new Entities(Map.of());

    // Never exposed (all() wraps it), so not wrapped here: one indirection less per lookup.
    private final Map<EntityUid, Entity> entities;
    // INVARIANT: for every entity in the store, the set of all its ancestors, never itself: like
    // Cedar, stores whose hierarchy has a cycle are rejected when built. In an overlay: for the overlay's own
    // entities only; the others are answered by `base`, widened by `grown`.
    private final Map<EntityUid, Set<EntityUid>> ancestors;
    // Non-null for an overlay (see #overlay): entities not in `entities` are looked up here.
    private final Entities base;
    // In an overlay: the overlay entities whose ancestors are a strict superset of what `base`
    // says; a base entity below one of them gains that entity's new ancestors.
    private final EntityUid[] grown;

    private Entities(Map<EntityUid, Entity> entities) {
        this.entities = entities;
        this.ancestors = closure(entities);
        this.base = null;
        this.grown = new EntityUid[0];
    }

    private Entities(
            Map<EntityUid, Entity> entities,
            Map<EntityUid, Set<EntityUid>> ancestors,
            Entities base,
            EntityUid[] grown) {
        this.entities = entities;
        this.ancestors = ancestors;
        this.base = base;
        this.grown = grown;
    }

    /**
     * A store of these entities; a later entity with the same uid as an earlier one is an error.
     *
     * @throws EntityHierarchyException when the hierarchy has a cycle
     */
    public static Entities of(Collection<Entity> list) {
        Map<EntityUid, Entity> map = new LinkedHashMap<>();
        for (Entity e : list) {
            if (map.putIfAbsent(e.uid(), e) != null) {
                throw new IllegalArgumentException("duplicate entity `" + e.uid() + "`");
            }
        }
        return new Entities(map);
    }

    /** This store plus {@code more}; entities of {@code more} replace ones with the same uid. */
    public Entities with(Collection<Entity> more) {
        Map<EntityUid, Entity> map = new LinkedHashMap<>();
        for (Entity e : all()) {
            map.put(e.uid(), e);
        }
        for (Entity e : more) {
            map.put(e.uid(), e);
        }
        return new Entities(map);
    }

    /**
     * A view of this store in which {@code over} replace (or add) the entities with the same uids,
     * without copying this store: meant for a few per-request entities over a large shared store.
     * Ancestors stay exact: those of the overlay entities are computed here, and a store entity
     * below an overlay entity that gained ancestors gains them too. When an overlay entity loses a
     * parent it had in this store, the closure of the whole store can shrink, so this falls back to
     * {@link #with} (a full copy).
     */
    public Entities overlay(Collection<Entity> over) {
        if (over.isEmpty()) {
            return this;
        }
        Map<EntityUid, Entity> map = new HashMap<>(over.size() * 2);
        for (Entity e : over) {
            if (map.put(e.uid(), e) != null) {
                throw new IllegalArgumentException("duplicate entity `" + e.uid() + "`");
            }
            Entity old = get(e.uid());
            if (old != null && !e.parents().containsAll(old.parents())) {
                return with(over);
            }
        }
        Map<EntityUid, Set<EntityUid>> anc = new HashMap<>(map.size() * 2);
        List<EntityUid> grownList = new ArrayList<>(2);
        for (Entity e : map.values()) {
            Set<EntityUid> a = overlayAncestors(e, map);
            if (a.contains(e.uid())) {
                throw new EntityHierarchyException(e.uid());
            }
            anc.put(e.uid(), a);
            if (!ancestors(e.uid()).containsAll(a)) {
                grownList.add(e.uid());
            }
        }
        return new Entities(map, anc, this, grownList.toArray(new EntityUid[0]));
    }

    // The ancestors of an overlay entity: walk parents through the overlay first, else take this
    // store's (already closed) ancestors, following any overlay entity met among them.
    private Set<EntityUid> overlayAncestors(Entity e, Map<EntityUid, Entity> over) {
        if (e.parents().isEmpty()) {
            return Set.of();
        }
        Set<EntityUid> seen = new HashSet<>();
        ArrayDeque<EntityUid> work = new ArrayDeque<>(e.parents());
        while (!work.isEmpty()) {
            EntityUid p = work.pop();
            if (!seen.add(p)) {
                continue;
            }
            Entity pe = over.get(p);
            if (pe != null) {
                work.addAll(pe.parents());
                continue;
            }
            for (EntityUid q : ancestors(p)) {
                if (over.containsKey(q)) {
                    work.add(q);
                } else {
                    seen.add(q);
                }
            }
        }
        return Set.copyOf(seen);
    }

    /** The entity, or {@code null} when it is not in the store. */
    public Entity get(EntityUid uid) {
        Entity e = entities.get(uid);
        return e != null || base == null ? e : base.get(uid);
    }

    public boolean contains(EntityUid uid) {
        return entities.containsKey(uid) || (base != null && base.contains(uid));
    }

    /** All transitive ancestors of {@code uid}; empty when it has none or is not in the store. */
    public Set<EntityUid> ancestors(EntityUid uid) {
        Set<EntityUid> a = ancestors.get(uid);
        if (a != null) {
            return a;
        }
        if (base == null) {
            return Set.of();
        }
        a = base.ancestors(uid);
        if (grown.length == 0 || a.isEmpty()) {
            return a;
        }
        Set<EntityUid> widened = null;
        for (EntityUid g : grown) {
            if (a.contains(g)) {
                if (widened == null) {
                    widened = new HashSet<>(a);
                }
                widened.addAll(ancestors.get(g));
            }
        }
        return widened == null ? a : Collections.unmodifiableSet(widened);
    }

    /** Cedar's {@code child in parent} for two entity uids: equal, or parent is an ancestor. */
    public boolean isDescendantOrSelf(EntityUid child, EntityUid parent) {
        return child.equals(parent) || ancestors(child).contains(parent);
    }

    /** Every entity; for an overlay this builds the merged collection (not for the hot path). */
    public Collection<Entity> all() {
        if (base == null) {
            return Collections.unmodifiableCollection(entities.values());
        }
        Map<EntityUid, Entity> merged = new LinkedHashMap<>();
        for (Entity e : base.all()) {
            merged.put(e.uid(), e);
        }
        merged.putAll(entities);
        return Collections.unmodifiableCollection(merged.values());
    }

    public int size() {
        if (base == null) {
            return entities.size();
        }
        int n = base.size();
        for (EntityUid uid : entities.keySet()) {
            if (!base.contains(uid)) {
                n++;
            }
        }
        return n;
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
            if (seen.contains(e.uid())) {
                throw new EntityHierarchyException(e.uid());
            }
            // an immutable copy: open addressing, no nodes, so `in` touches less memory
            result.put(e.uid(), Set.copyOf(seen));
        }
        return result;
    }
}
