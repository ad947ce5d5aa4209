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

    public boolean isAllowed() {
        return decision == Decision.ALLOW;
    }
}
