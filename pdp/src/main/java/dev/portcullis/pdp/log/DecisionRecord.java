package dev.portcullis.pdp.log;

import java.time.Instant;
import java.util.List;

/**
 * One decision as the log keeps it: enough to show later who asked what, what was decided, by
 * which policies of which policy-set version, and to replay the request.
 *
 * @param decisionId unique id, returned to the caller so it can find this entry
 * @param time when the decision was made
 * @param kind {@code evaluation}, {@code evaluations} (one batch item), {@code search}, ...
 * @param caller the authenticated caller (API key name, JWT subject), or {@code anonymous}
 * @param principal the Cedar principal uid, e.g. {@code User::"alice"}
 * @param action the Cedar action uid
 * @param resource the Cedar resource uid
 * @param requestJson the whole request (principal, action, resource, context) as JSON
 * @param allowed the decision
 * @param reasons ids of the determining policies
 * @param errors policy ids and messages of the policies that failed to evaluate, as {@code id: message}
 * @param policyVersion version (content hash) of the policy set that decided
 * @param latencyMicros time spent deciding
 * @param sessionId the agent session the decision was made in, or {@code null} for none
 * @param sessionParents the session's ancestors (a sub-agent's parent first, the root last),
 *     empty for a session started by an agent itself or for no session
 */
public record DecisionRecord(
        String decisionId,
        Instant time,
        String kind,
        String caller,
        String principal,
        String action,
        String resource,
        String requestJson,
        boolean allowed,
        List<String> reasons,
        List<String> errors,
        String policyVersion,
        long latencyMicros,
        String sessionId,
        List<String> sessionParents) {
    public DecisionRecord {
        reasons = List.copyOf(reasons);
        errors = List.copyOf(errors);
        sessionParents = sessionParents == null ? List.of() : List.copyOf(sessionParents);
        if (sessionId == null && !sessionParents.isEmpty()) {
            throw new IllegalArgumentException("session parents without a session");
        }
    }

    /** A decision made outside any session. */
    public DecisionRecord(
            String decisionId,
            Instant time,
            String kind,
            String caller,
            String principal,
            String action,
            String resource,
            String requestJson,
            boolean allowed,
            List<String> reasons,
            List<String> errors,
            String policyVersion,
            long latencyMicros) {
        this(
                decisionId,
                time,
                kind,
                caller,
                principal,
                action,
                resource,
                requestJson,
                allowed,
                reasons,
                errors,
                policyVersion,
                latencyMicros,
                null,
                List.of());
    }

    /** This record as made in session {@code sessionId}, whose ancestors are {@code parents}. */
    public DecisionRecord withSession(String sessionId, List<String> parents) {
        return new DecisionRecord(
                decisionId,
                time,
                kind,
                caller,
                principal,
                action,
                resource,
                requestJson,
                allowed,
                reasons,
                errors,
                policyVersion,
                latencyMicros,
                sessionId,
                parents);
    }

    /** This record as made in session {@code sessionId}. */
    public DecisionRecord withSessionId(String sessionId) {
        return withSession(sessionId, List.of());
    }
}
