package dev.portcullis.cedar.value;

import java.util.Objects;

/**
 * A reference to an entity: its type and its id, e.g. {@code User::"alice"}.
 *
 * <p>A class rather than a record so that it can keep its hash code: uids are the keys of every
 * lookup on the decision path (entities, ancestor sets, the policy index), and a kept hash lets a
 * lookup reject a different uid without reading its strings. Immutable.
 */
public final class EntityUid implements Value {
    private final EntityType type;
    private final String id;
    private final int hash;
    // toString, once asked for: the decision log writes every decision's uids (a benign race, as
    // String's own hash: every thread computes the same immutable string)
    private String text;

    public EntityUid(EntityType type, String id) {
        this.type = Objects.requireNonNull(type, "type");
        this.id = Objects.requireNonNull(id, "id");
        this.hash = 31 * type.hashCode() + id.hashCode();
    }

    /** The uid with the canonical {@link EntityType} for {@code type}. */
    public static EntityUid of(String type, String id) {
        return new EntityUid(EntityType.of(type), id);
    }

    public EntityType type() {
        return type;
    }

    public String id() {
        return id;
    }

    @Override
    public String typeName() {
        return "Entity";
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof EntityUid u && hash == u.hash && id.equals(u.id) && type.equals(u.type));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        String t = text;
        if (t == null) {
            t = type.name() + "::" + Strings.quote(id);
            text = t;
        }
        return t;
    }
}
