package dev.portcullis.cedar.schema;

import dev.portcullis.cedar.schema.SchemaType.RecordType;
import dev.portcullis.cedar.value.EntityType;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * An entity type declaration: the attributes of its entities, the types its entities may be
 * members of, the type of its tags ({@code null}: no tags allowed), and, for an enumerated entity
 * type, the only ids its entities may have ({@code null}: any id).
 */
public record EntityTypeDecl(
        EntityType name,
        RecordType shape,
        Set<EntityType> memberOfTypes,
        SchemaType tags,
        List<String> enumIds,
        Map<String, String> annotations) {
    public EntityTypeDecl {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        memberOfTypes = Collections.unmodifiableSet(new LinkedHashSet<>(memberOfTypes));
        enumIds = enumIds == null ? null : List.copyOf(enumIds);
        annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
    }

    public boolean isEnum() {
        return enumIds != null;
    }

    /** Whether an entity of this type may have id {@code id}. */
    public boolean allowsId(String id) {
        return enumIds == null || enumIds.contains(id);
    }
}
