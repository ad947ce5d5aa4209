package dev.portcullis.cedar.value;

import java.util.Objects;

/**
 * A fully qualified entity type name, e.g. {@code User} or {@code PhotoApp::Album}. Namespaces are
 * part of the name, separated by {@code ::}.
 */
public record EntityType(String name) {
    public EntityType {
        Objects.requireNonNull(name, "name");
    }

    /** The type of every action entity in namespace {@code ns} ({@code Action} or {@code NS::Action}). */
    public boolean isAction() {
        return name.equals("Action") || name.endsWith("::Action");
    }

    // Written out rather than generated: entity uids are hash keys on the decision path, and the
    // generated methods go through a method handle that the JIT does not always inline there.
    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof EntityType t && name.equals(t.name));
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
