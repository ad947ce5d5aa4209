package dev.portcullis.pdp;

import dev.portcullis.cedar.AuthorizationError;
import java.util.List;

/**
 * The answer to a {@link DecisionRequest}.
 *
 * @param decisionId the id under which the decision is in the log (time-ordered, UUIDv7)
 * @param allowed the decision
 * @param reasons ids of the policies that determined it (the satisfied forbids for a deny by
 *     forbid, the satisfied permits for an allow; empty for a default deny). Where an approval took
 *     part (see {@code docs/approvals.md}), the permits come with a note that starts with {@code
 *     approval:}: {@code approval:ID} for the approval this allow used up, {@code approval:ID
 *     denied} or {@code approval:ID rejected: WHY}
 * @param errors policies that failed to evaluate (and were therefore ignored)
 * @param policyVersion version of the policy snapshot that decided, or {@code null} when none was
 *     loaded
 * @param latencyMicros time spent deciding, up to the log append
 * @param failure why the decision failed closed (a deny not made by the policies): no policy set,
 *     entity store unavailable, invalid request, evaluation crash, decision log unavailable; {@code
 *     null} for a normal decision
 * @param obligations what the enforcement point must do or know along with the decision (e.g.
 *     {@code approval_required} with the approval's id); empty for most decisions
 */
public record DecisionResult(
        String decisionId,
        boolean allowed,
        List<String> reasons,
        List<AuthorizationError> errors,
        String policyVersion,
        long latencyMicros,
        String failure,
        List<Obligation> obligations) {
    public DecisionResult {
        reasons = List.copyOf(reasons);
        errors = List.copyOf(errors);
        obligations = List.copyOf(obligations);
        if (allowed && failure != null) {
            throw new IllegalArgumentException("a failed decision is a deny");
        }
    }

    /** A decision without obligations. */
    public DecisionResult(
            String decisionId,
            boolean allowed,
            List<String> reasons,
            List<AuthorizationError> errors,
            String policyVersion,
            long latencyMicros,
            String failure) {
        this(decisionId, allowed, reasons, errors, policyVersion, latencyMicros, failure, List.of());
    }

    /** The obligation named {@code name}, or {@code null}. */
    public Obligation obligation(String name) {
        for (Obligation o : obligations) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        return null;
    }

    /** Whether the decision failed closed rather than being made by the policies. */
    public boolean failedClosed() {
        return failure != null;
    }
}
