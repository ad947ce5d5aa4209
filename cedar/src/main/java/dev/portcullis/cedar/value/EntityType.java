package dev.portcullis.cedar.value;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fully qualified entity type name, e.g. {@code User} or {@code PhotoApp::Album}. Namespaces are
 * part of the name, separated by {@code ::}.
 *
 * <p>{@link #of} returns one canonical instance per name, so that comparing the types of two entity
 * uids (done on every hash lookup that finds one) usually ends at a reference comparison. The
 * constructor still works and its instances are equal to the canonical ones, only slower to compare.
 */
public record EntityType(String name) {
    /**
     * Names are canonicalized up to this many, then no longer: type names can come from requests,
     * and an unbounded table would let a client grow the heap. Past the cap {@link #of} returns new
     * instances, which are still correct, only compared by name.
     */
    private static final Canonical CANONICAL = new Canonical(4096);

    public EntityType {
        Objects.requireNonNull(name, "name");
    }

    /** The canonical instance for {@code name} (a new one once the table is full). */
    public static EntityType of(String name) {
        return CANONICAL.of(name);
    }

    /** A table of canonical instances holding at most {@code max} names. */
    static final class Canonical {
        private final ConcurrentHashMap<String, EntityType> table = new ConcurrentHashMap<>();
        private final int max;

        Canonical(int max) {
            this.max = max;
        }

        EntityType of(String name) {
            EntityType t = table.get(name);
            if (t != null) {
                return t;
            }
            t = new EntityType(name);
            if (table.size() >= max) {
                return t;
            }
            EntityType raced = table.putIfAbsent(name, t);
            return raced != null ? raced : t;
        }
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
