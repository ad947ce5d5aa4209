package dev.portcullis.pdp.log;

import java.util.List;

/**
 * The append-only, hash-chained record of every decision. Implementations: embedded SQLite (the
 * default) and PostgreSQL; both pass the same contract tests.
 *
 * <p>{@link #append} must not block the decision path for I/O unless the log is durable: entries
 * are queued and written in batches by a background writer.
 */
public interface DecisionLog extends AutoCloseable {

    /**
     * Appends a decision. In buffered mode this only queues it (a full queue blocks briefly, then
     * fails closed with {@link DecisionLogException}); in durable mode it returns once the entry is
     * committed.
     */
    void append(DecisionRecord record);

    /** Entries matching {@code query}, oldest first. Waits for queued entries to be written first. */
    List<LogEntry> query(LogQuery query);

    /**
     * The last {@code query.limit()} entries matching {@code query} (those after {@code
     * query.afterSeq()}), oldest first: what {@code audit tail} shows.
     */
    default List<LogEntry> latest(LogQuery query) {
        List<LogEntry> all = query(new LogQuery(
                query.from(),
                query.to(),
                query.principal(),
                query.action(),
                query.allowed(),
                query.policyId(),
                query.afterSeq(),
                Integer.MAX_VALUE,
                query.sessionId()));
        return all.subList(Math.max(0, all.size() - query.limit()), all.size());
    }

    /** Entries queued and not yet handed to the writer (a gauge for metrics). */
    default int queueDepth() {
        return 0;
    }

    /**
     * Whether the log takes writes now, for readiness probes. Cheap and never throws: a store that
     * needs a round trip to answer caches the answer for a moment, so probes do not load it.
     */
    default Health health() {
        return Health.UP;
    }

    /**
     * The answer of {@link #health()}.
     *
     * @param up whether decisions can be logged now
     * @param reason why not, one line; {@code null} when up
     */
    record Health(boolean up, String reason) {
        public static final Health UP = new Health(true, null);

        public static Health down(String reason) {
            return new Health(false, reason);
        }
    }

    /** Walks the whole chain and reports the first entry whose hash or link does not check. */
    VerifyResult verify();

    /** Writes everything queued, then releases the store. */
    @Override
    void close();
}
