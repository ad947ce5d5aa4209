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

    @Override
    public String toString() {
        return name;
    }
}
