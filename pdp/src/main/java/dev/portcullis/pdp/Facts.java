package dev.portcullis.pdp;

import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Merging request-supplied entity facts over the entity store (see {@link DecisionRequest}). */
final class Facts {
    private Facts() {}

    /** {@code over} on top of {@code base}: attributes and tags override, parents add up. */
    static Entity merge(Entity base, Entity over) {
        Map<String, Value> attrs = overlay(base.attrs(), over.attrs());
        Map<String, Value> tags = overlay(base.tags(), over.tags());
        Set<EntityUid> parents = base.parents();
        if (!base.parents().containsAll(over.parents())) {
            parents = new LinkedHashSet<>(base.parents());
            parents.addAll(over.parents());
        }
        return new Entity(base.uid(), attrs, parents, tags);
    }

    private static Map<String, Value> overlay(Map<String, Value> base, Map<String, Value> over) {
        if (over.isEmpty()) {
            return base;
        }
        if (base.isEmpty()) {
            return over;
        }
        Map<String, Value> m = new LinkedHashMap<>(base);
        m.putAll(over);
        return m;
    }

    /** The store as this request sees it: without copying the store. */
    static Entities apply(Entities store, List<Entity> facts) {
        if (facts.isEmpty()) {
            return store;
        }
        List<Entity> merged = new ArrayList<>(facts.size());
        for (Entity f : facts) {
            Entity stored = store.get(f.uid());
            merged.add(stored == null ? f : merge(stored, f));
        }
        return store.overlay(merged);
    }
}
