package dev.portcullis.cedar.ast;

import java.util.List;
import java.util.Map;

/**
 * One policy or template as written. A policy whose scope mentions a slot is a template; linking
 * it (see {@code dev.portcullis.cedar.PolicySet}) produces a policy without slots whose {@code
 * templateId} names the template.
 *
 * <p>Annotations keep source order; an annotation written without a value has the value {@code
 * ""}, as in Cedar.
 */
public record Policy(
        String id,
        Effect effect,
        ScopeConstraint principal,
        ActionConstraint action,
        ScopeConstraint resource,
        List<Condition> conditions,
        Map<String, String> annotations,
        String templateId,
        Loc loc) {

    public Policy {
        conditions = List.copyOf(conditions);
        annotations = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(annotations));
    }

    /** True when the scope has a slot, i.e. this is a template that must be linked before use. */
    public boolean isTemplate() {
        return hasSlot(principal) || hasSlot(resource);
    }

    /** A copy with another id (parsers give policies positional ids {@code policy0, policy1, ...}). */
    public Policy withId(String newId) {
        return new Policy(newId, effect, principal, action, resource, conditions, annotations, templateId, loc);
    }

    private static boolean hasSlot(ScopeConstraint c) {
        return switch (c) {
            case ScopeConstraint.Eq eq -> eq.ref().isSlot();
            case ScopeConstraint.In in -> in.ref().isSlot();
            case ScopeConstraint.IsIn isIn -> isIn.ref().isSlot();
            case ScopeConstraint.Any any -> false;
            case ScopeConstraint.Is is -> false;
        };
    }
}
