package dev.portcullis.pdp;

import dev.portcullis.cedar.AuthorizationError;
import java.util.List;

/**
 * The answer to a {@link DecisionRequest}.
 *
 * @param decisionId the id under which the decision is in the log (time-ordered, UUIDv7)
 * @param allowed the decision
 * @param reasons ids of the policies that determined it (the satisfied forbids for a deny by
 *     forbid, the satisfied permits for an allow; empty for a default deny)
 * @param errors policies that failed to evaluate (and were therefore ignored)
 * @param policyVersion version of the policy snapshot that decided, or {@code null} when none was
 *     loaded
 * @param latencyMicros time spent deciding, up to the log append
 * @param failure why the decision failed closed (a deny not made by the policies): no policy set,
 *     entity store unavailable, invalid request, evaluation crash, decision log unavailable; {@code
 *     null} for a normal decision
 */
public record DecisionResult(
        String decisionId,
        boolean allowed,
        List<String> reasons,
        List<AuthorizationError> errors,
        String policyVersion,
        long latencyMicros,
        String failure) {
    public DecisionResult {
        reasons = List.copyOf(reasons);
        errors = List.copyOf(errors);
        if (allowed && failure != null) {
            throw new IllegalArgumentException("a failed decision is a deny");
        }
    }

    /** Whether the decision failed closed rather than being made by the policies. */
    public boolean failedClosed() {
        return failure != null;
    }
}
