package dev.portcullis.pdp.approval;

import java.time.Duration;
import java.util.List;

/**
 * What the permits behind an allow demand: a human approval.
 *
 * @param policies ids of the determining permits that carry {@code @approval("required")}
 * @param grantTtl the shortest {@code @approval_ttl} among them: how long a grant lasts; {@code
 *     null} when none sets one (the service's default applies)
 */
public record ApprovalRequirement(List<String> policies, Duration grantTtl) {
    public ApprovalRequirement {
        policies = List.copyOf(policies);
        if (policies.isEmpty()) {
            throw new IllegalArgumentException("an approval requirement names at least one policy");
        }
    }
}
