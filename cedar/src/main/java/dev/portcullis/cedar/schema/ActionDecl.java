package dev.portcullis.cedar.schema;

import dev.portcullis.cedar.schema.SchemaType.RecordType;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * An action declaration: its uid, the action groups it is directly a member of, and what it
 * applies to. An action declared without {@code appliesTo} applies to no principal and no
 * resource (both sets empty), so it can never be the action of a valid request.
 */
public record ActionDecl(
        EntityUid uid,
        Set<EntityUid> memberOf,
        Set<EntityType> principalTypes,
        Set<EntityType> resourceTypes,
        RecordType context,
        Map<String, String> annotations) {
    public ActionDecl {
        Objects.requireNonNull(uid, "uid");
        memberOf = Collections.unmodifiableSet(new LinkedHashSet<>(memberOf));
        principalTypes = Collections.unmodifiableSet(new LinkedHashSet<>(principalTypes));
        resourceTypes = Collections.unmodifiableSet(new LinkedHashSet<>(resourceTypes));
        Objects.requireNonNull(context, "context");
        annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
    }

    /** Whether a request with this action may have a principal of this type and a resource of that. */
    public boolean appliesTo(EntityType principal, EntityType resource) {
        return principalTypes.contains(principal) && resourceTypes.contains(resource);
    }
}
