package dev.portcullis.cedar.value;

import java.util.Objects;

/** A reference to an entity: its type and its id, e.g. {@code User::"alice"}. */
public record EntityUid(EntityType type, String id) implements Value {
    public EntityUid {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    public static EntityUid of(String type, String id) {
        return new EntityUid(new EntityType(type), id);
    }

    @Override
    public String typeName() {
        return "Entity";
    }

    // Written out (see EntityType): the id, which differs more often than the type, is compared first.
    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof EntityUid u && id.equals(u.id) && type.equals(u.type));
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + id.hashCode();
    }

    @Override
    public String toString() {
        return type.name() + "::" + Strings.quote(id);
    }
}
