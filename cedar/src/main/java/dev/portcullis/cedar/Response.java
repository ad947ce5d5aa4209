package dev.portcullis.cedar;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The answer to a request: the decision, the ids of the policies that determined it (satisfied
 * forbids for a deny, satisfied permits for an allow; empty for a default deny), and the policies
 * whose evaluation failed. Reasons and errors are in policy-set order.
 */
public record Response(Decision decision, Set<String> reasons, List<AuthorizationError> errors) {
    public Response {
        Objects.requireNonNull(decision, "decision");
        // The authorizer's reasons are immutable already (see PolicyIds); copy anyone else's.
        if (!(reasons instanceof PolicyIds)) {
            reasons = switch (reasons.size()) {
                case 0 -> Set.of();
                case 1 -> Set.of(reasons.iterator().next());
                default -> Collections.unmodifiableSet(new LinkedHashSet<>(reasons));
            };
        }
        errors = List.copyOf(errors);
    }

    /**
     * A response whose reasons are {@code ids} in their order, without hashing them into a set:
     * for callers that combine the reasons of several answers on every request. Repeated ids are
     * kept once (then, and for more than 16 ids, they are copied into a set as the constructor
     * does).
     */
    public static Response ofReasons(Decision decision, List<String> ids, List<AuthorizationError> errors) {
        if (ids.size() > 16) {
            return new Response(decision, new LinkedHashSet<>(ids), errors);
        }
        String[] array = ids.toArray(new String[0]);
        for (int i = 1; i < array.length; i++) {
            for (int j = 0; j < i; j++) {
                if (array[i].equals(array[j])) {
                    return new Response(decision, new LinkedHashSet<>(ids), errors);
                }
            }
        }
        return new Response(decision, new PolicyIds(array, array.length), errors);
    }

    public boolean isAllowed() {
        return decision == Decision.ALLOW;
    }
}
