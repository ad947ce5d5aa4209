package dev.portcullis.cedar.ast;

import dev.portcullis.cedar.value.EntityType;

/** The principal or resource part of a policy scope. */
public sealed interface ScopeConstraint {
    /** {@code principal} with no constraint. */
    record Any() implements ScopeConstraint {}

    /** {@code principal == E} */
    record Eq(EntityRef ref) implements ScopeConstraint {}

    /** {@code principal in E} */
    record In(EntityRef ref) implements ScopeConstraint {}

    /** {@code principal is T} */
    record Is(EntityType type) implements ScopeConstraint {}

    /** {@code principal is T in E} */
    record IsIn(EntityType type, EntityRef ref) implements ScopeConstraint {}

    ScopeConstraint ANY = new Any();
}
