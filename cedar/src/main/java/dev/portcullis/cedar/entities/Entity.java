package dev.portcullis.cedar.entities;

import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.Value;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** An entity: its uid, attributes, direct parents and tags. */
public record Entity(EntityUid uid, Map<String, Value> attrs, Set<EntityUid> parents, Map<String, Value> tags) {
    public Entity {
        attrs = Collections.unmodifiableMap(new LinkedHashMap<>(attrs));
        parents = Collections.unmodifiableSet(new LinkedHashSet<>(parents));
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    public Entity(EntityUid uid) {
        this(uid, Map.of(), Set.of(), Map.of());
    }
}
