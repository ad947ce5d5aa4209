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
 */
public record LogQuery(
        Instant from,
        Instant to,
        String principal,
        String action,
        Boolean allowed,
        String policyId,
        long afterSeq,
        int limit) {
    public static LogQuery all() {
        return new LogQuery(null, null, null, null, null, null, 0, Integer.MAX_VALUE);
    }
}
