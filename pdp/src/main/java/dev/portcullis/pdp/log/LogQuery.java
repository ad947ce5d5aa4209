package dev.portcullis.pdp.log;

import java.time.Instant;

/**
 * A filter over the log; {@code null} fields do not filter.
 *
 * @param from entries at or after this time
 * @param to entries before this time
 * @param principal exact principal uid
 * @param action exact action uid
 * @param allowed the decision
 * @param policyId entries with this policy among the reasons
 * @param afterSeq entries after this sequence number (paging)
 * @param limit at most this many entries
 * @param sessionId entries made in this agent session
 */
public record LogQuery(
        Instant from,
        Instant to,
        String principal,
        String action,
        Boolean allowed,
        String policyId,
        long afterSeq,
        int limit,
        String sessionId) {
    /** A filter without a session condition. */
    public LogQuery(
            Instant from,
            Instant to,
            String principal,
            String action,
            Boolean allowed,
            String policyId,
            long afterSeq,
            int limit) {
        this(from, to, principal, action, allowed, policyId, afterSeq, limit, null);
    }

    public static LogQuery all() {
        return new LogQuery(null, null, null, null, null, null, 0, Integer.MAX_VALUE, null);
    }

    /** This filter restricted to the decisions of one agent session. */
    public LogQuery withSessionId(String sessionId) {
        return new LogQuery(from, to, principal, action, allowed, policyId, afterSeq, limit, sessionId);
    }
}
