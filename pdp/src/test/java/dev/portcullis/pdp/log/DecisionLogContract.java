package dev.portcullis.pdp.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DecisionLog} store must do; each store runs it through a subclass that says
 * how to open the store and how to reach its rows behind the log's back.
 */
abstract class DecisionLogContract {
    static final Instant T0 = Instant.parse("2025-06-01T12:00:00.123456789Z");

    private final List<DecisionLog> opened = new ArrayList<>();

    /** Opens the log on this test's store (the same store each time within a test). */
    abstract JdbcDecisionLog openStore(DecisionLogs.Options options);

    /** A plain connection to this test's store (auto-commit on), for tampering and raw counts. */
    abstract Connection raw() throws SQLException;

    /**
     * Makes every writer of this test's store wait (as another node holding the chain lock would)
     * until the returned handle is closed.
     */
    abstract AutoCloseable blockWriters() throws Exception;

    JdbcDecisionLog open(DecisionLogs.Options options) {
        JdbcDecisionLog log = openStore(options);
        opened.add(log);
        return log;
    }

    JdbcDecisionLog open() {
        return open(DecisionLogs.Options.defaults());
    }

    @AfterEach
    void closeLogs() {
        for (DecisionLog log : opened) {
            try {
                log.close();
            } catch (DecisionLogException ignored) {
                // a test that broke the store on purpose
            }
        }
    }

    /** A varied record: principals, actions, decisions and reasons cycle with different periods. */
    static DecisionRecord record(int i) {
        return new DecisionRecord(
                "d-" + i,
                T0.plusMillis(i * 1000L),
                "evaluation",
                "key-" + (i % 2),
                "User::\"u" + (i % 3) + "\"",
                "Action::\"" + (i % 2 == 0 ? "read" : "write") + "\"",
                "Doc::\"doc" + i + "\"",
                "{\"principal\":\"u" + (i % 3) + "\",\"context\":{\"n\":" + i + ",\"note\":\"tab\\t\\\"q\\\"\"}}",
                i % 4 != 0,
                i % 4 != 0 ? List.of("p" + (i % 5), "shared") : List.of(),
                i % 7 == 0 ? List.of("p9: overflow in `x + 1`") : List.of(),
                "v-" + (i / 10),
                100 + i);
    }

    /** {@code r} with the opposite decision. */
    static DecisionRecord flipped(DecisionRecord r) {
        return copy(r, !r.allowed(), r.requestJson());
    }

    /** {@code r} with another decision and request. */
    static DecisionRecord copy(DecisionRecord r, boolean allowed, String requestJson) {
        return new DecisionRecord(
                r.decisionId(),
                r.time(),
                r.kind(),
                r.caller(),
                r.principal(),
                r.action(),
                r.resource(),
                requestJson,
                allowed,
                r.reasons(),
                r.errors(),
                r.policyVersion(),
                r.latencyMicros(),
                r.sessionId(),
                r.sessionParents());
    }

    static List<DecisionRecord> records(int from, int to) {
        List<DecisionRecord> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(record(i));
        }
        return out;
    }

    /** The entries in the store, counted behind the log's back. */
    long count() throws SQLException {
        try (Connection c = raw();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM decision_log")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // How a tamperer with access to the store edits it; these edit the row layout (a row per
    // entry), a store with another layout overrides them.

    /** Whether the store keeps a row per entry (the layout logs from before sessions have). */
    boolean rowLayout() {
        return true;
    }

    void flipAllowed(long seq) throws SQLException {
        sql("UPDATE decision_log SET allowed = NOT allowed WHERE seq = " + seq);
    }

    void deleteEntry(long seq) throws SQLException {
        sql("DELETE FROM decision_log WHERE seq = " + seq);
    }

    void deleteFrom(long seq) throws SQLException {
        sql("DELETE FROM decision_log WHERE seq >= " + seq);
    }

    /** Sets the stored prevHash of entry {@code seq}, which the test wrote as a batch of its own. */
    void setPrevHash(long seq, String hash) throws SQLException {
        sql("UPDATE decision_log SET prev_hash = '" + hash + "' WHERE seq = " + seq);
    }

    /** Flips entry {@code seq}'s decision and stores {@code hash}, the hash of the flipped entry, with it. */
    void flipAllowedAndRehash(long seq, String hash) throws SQLException {
        sql("UPDATE decision_log SET allowed = NOT allowed, hash = '" + hash + "' WHERE seq = " + seq);
    }

    void setSessionId(long seq, String sessionId) throws SQLException {
        sql("UPDATE decision_log SET session_id = '" + sessionId + "' WHERE seq = " + seq);
    }

    void setSessionParents(long seq, String parentsJson) throws SQLException {
        sql("UPDATE decision_log SET session_parents = '" + parentsJson + "' WHERE seq = " + seq);
    }

    /** Makes the entries' table unwritable (renames it away), or undoes that. */
    void hideEntryTable(boolean hide) throws SQLException {
        sql(
                hide
                        ? "ALTER TABLE decision_log RENAME TO decision_log_away"
                        : "ALTER TABLE decision_log_away RENAME TO decision_log");
    }

    /** Verifies {@code log}: broken, first at entry {@code seq}, in the way {@code kind} names. */
    static VerifyResult assertBroken(DecisionLog log, VerifyResult.Kind kind, long seq) {
        VerifyResult r = log.verify();
        assertThat(r.intact()).isFalse();
        assertThat(r.firstBrokenSeq()).isEqualTo(seq);
        assertThat(r.kind()).isEqualTo(kind);
        return r;
    }

    void sql(String statement) throws SQLException {
        try (Connection c = raw();
                Statement st = c.createStatement()) {
            st.executeUpdate(statement);
        }
    }

    static void assertLinearChain(List<LogEntry> entries) {
        String prev = ChainCodec.GENESIS;
        for (int i = 0; i < entries.size(); i++) {
            LogEntry e = entries.get(i);
            assertThat(e.seq()).isEqualTo(i + 1);
            assertThat(e.prevHash()).isEqualTo(prev);
            assertThat(e.hash()).hasSize(64).isNotEqualTo(prev);
            prev = e.hash();
        }
    }

    @Test
    void append_thenQueryReturnsTheRecordsInOrderWithAChainFromGenesis() {
        JdbcDecisionLog log = open();
        List<DecisionRecord> in = records(0, 30);
        in.forEach(log::append);
        List<LogEntry> out = log.query(LogQuery.all());
        assertThat(out).extracting(LogEntry::record).containsExactlyElementsOf(in);
        assertThat(out.getFirst().prevHash()).isEqualTo("0".repeat(64));
        assertLinearChain(out);
        assertThat(log.verify()).isEqualTo(VerifyResult.ok(30));
    }

    @Test
    void append_keepsNullFieldsAndAwkwardStringsExactly() {
        JdbcDecisionLog log = open();
        DecisionRecord odd = new DecisionRecord(
                "d-odd",
                Instant.parse("1969-12-31T23:59:59.999999999Z"),
                "search",
                null,
                "User::\"\\\"quoted\\\" \u00e9\u4e2d\ud83d\ude00 \\u0000\"",
                "Action::\"a\\nb\"",
                null,
                null,
                false,
                List.of("id with \"quotes\" and \\", "\u0001ctl"),
                List.of(),
                null,
                0);
        log.append(odd);
        assertThat(log.query(LogQuery.all())).extracting(LogEntry::record).containsExactly(odd);
        assertThat(log.verify().intact()).isTrue();
    }

    @Test
    void append_ofUnstorableCharactersIsRefusedOrKeptExactly_neverAFalseTamperAlarm() {
        JdbcDecisionLog log = open();
        String nul = "User::\"a\u0000b\"";
        String surrogate = "User::\"\ud800x\"";
        for (String principal : List.of(nul, surrogate)) {
            DecisionRecord r = new DecisionRecord(
                    "d", T0, "evaluation", "k", principal, "a", "r", "{}", true, List.of(principal), List.of(), "v", 1);
            try {
                log.append(r);
            } catch (DecisionLogException refused) {
                assertThat(refused.getMessage()).doesNotContain("\n");
            }
        }
        log.append(record(1));
        assertThat(log.query(LogQuery.all()))
                .last()
                .extracting(LogEntry::record)
                .isEqualTo(record(1));
        assertThat(log.verify().intact()).as(log.verify().toString()).isTrue();
    }

    @Test
    void query_filtersByTimePrincipalActionDecisionAndPolicy() {
        JdbcDecisionLog log = open();
        List<DecisionRecord> in = records(0, 60);
        in.forEach(log::append);
        LogQuery all = LogQuery.all();
        assertFilter(
                log,
                withTime(all, T0.plusSeconds(10), T0.plusSeconds(20)),
                in,
                r -> !r.time().isBefore(T0.plusSeconds(10)) && r.time().isBefore(T0.plusSeconds(20)));
        assertFilter(
                log, withPrincipal(all, "User::\"u1\""), in, r -> r.principal().equals("User::\"u1\""));
        assertFilter(
                log, withAction(all, "Action::\"write\""), in, r -> r.action().equals("Action::\"write\""));
        assertFilter(log, withAllowed(all, false), in, r -> !r.allowed());
        assertFilter(log, withPolicy(all, "p3"), in, r -> r.reasons().contains("p3"));
        assertFilter(log, withPolicy(all, "shared"), in, r -> r.reasons().contains("shared"));
        // a policy id that is only a substring of another, or of the JSON around it, matches nothing
        assertThat(log.query(withPolicy(all, "p"))).isEmpty();
        assertThat(log.query(withPolicy(all, "\"p3\""))).isEmpty();
        LogQuery combined = withPolicy(withAllowed(withPrincipal(all, "User::\"u2\""), true), "p1");
        assertFilter(
                log,
                combined,
                in,
                r -> r.principal().equals("User::\"u2\"")
                        && r.allowed()
                        && r.reasons().contains("p1"));
        assertThat(log.query(withTime(all, T0.plusSeconds(1000), null))).isEmpty();
        assertThat(log.query(withTime(all, Instant.MIN, Instant.MAX))).hasSize(60);
    }

    @Test
    void query_pagesBySeqWithoutGapsOrRepeats() {
        JdbcDecisionLog log = open();
        records(0, 95).forEach(log::append);
        List<Long> seen = new ArrayList<>();
        long after = 0;
        while (true) {
            List<LogEntry> page = log.query(new LogQuery(null, null, null, null, true, null, after, 10));
            if (page.isEmpty()) {
                break;
            }
            assertThat(page.size()).isLessThanOrEqualTo(10);
            page.forEach(e -> seen.add(e.seq()));
            after = page.getLast().seq();
        }
        List<Long> expected = log.query(withAllowed(LogQuery.all(), true)).stream()
                .map(LogEntry::seq)
                .toList();
        assertThat(seen).containsExactlyElementsOf(expected).hasSize(71);
    }

    @Test
    void latest_returnsTheNewestMatchesOldestFirst() {
        JdbcDecisionLog log = open();
        records(0, 50).forEach(log::append);
        List<LogEntry> all = log.query(withAction(LogQuery.all(), "Action::\"read\""));
        List<LogEntry> last = log.latest(new LogQuery(null, null, null, "Action::\"read\"", null, null, 0, 5));
        assertThat(last).containsExactlyElementsOf(all.subList(all.size() - 5, all.size()));
    }

    @Test
    void durable_appendReturnsOnlyOnceTheEntryIsCommitted() throws SQLException {
        JdbcDecisionLog log = open(DecisionLogs.Options.defaults().withDurable(true));
        for (int i = 0; i < 20; i++) {
            log.append(record(i));
            // read behind the log's back: no flush, so only a committed entry can be seen
            assertThat(count()).isEqualTo(i + 1);
        }
    }

    @Test
    void durable_concurrentAppendsShareTransactions() throws Exception {
        JdbcDecisionLog log = open(DecisionLogs.Options.defaults().withDurable(true));
        int threads = 16;
        int each = 25;
        runConcurrently(threads, t -> {
            for (int i = 0; i < each; i++) {
                log.append(record(t * 1000 + i));
            }
        });
        assertThat(count()).isEqualTo(threads * each);
        assertThat(log.batchesCommitted())
                .as("transactions for %d durable appends", threads * each)
                .isLessThan(threads * each);
        assertThat(log.verify()).isEqualTo(VerifyResult.ok(threads * each));
    }

    @Test
    void concurrentAppendsFromManyThreadsFormOneLinearChain() throws Exception {
        JdbcDecisionLog log = open();
        int threads = 16;
        int each = 300;
        runConcurrently(threads, t -> {
            for (int i = 0; i < each; i++) {
                log.append(record(t * 10_000 + i));
            }
        });
        List<LogEntry> all = log.query(LogQuery.all());
        assertThat(all).hasSize(threads * each);
        assertLinearChain(all);
        Set<String> ids = new HashSet<>();
        all.forEach(e -> ids.add(e.record().decisionId()));
        assertThat(ids).hasSize(threads * each);
        assertThat(log.verify()).isEqualTo(VerifyResult.ok(threads * each));
    }

    @Test
    void severalWritersOnOneStoreKeepOneChain() throws Exception {
        // two logs on the same store stand for two PDP nodes
        JdbcDecisionLog a = open(DecisionLogs.Options.defaults().withMaxBatch(20, Duration.ZERO));
        JdbcDecisionLog b = open(DecisionLogs.Options.defaults().withMaxBatch(20, Duration.ZERO));
        runConcurrently(8, t -> {
            JdbcDecisionLog log = t % 2 == 0 ? a : b;
            for (int i = 0; i < 200; i++) {
                log.append(record(t * 10_000 + i));
            }
        });
        a.query(LogQuery.all());
        List<LogEntry> all = b.query(LogQuery.all());
        assertThat(all).hasSize(1600);
        assertLinearChain(all);
        assertThat(a.verify()).isEqualTo(VerifyResult.ok(1600));
    }

    @Test
    void reopening_continuesTheChain() {
        JdbcDecisionLog first = open();
        records(0, 10).forEach(first::append);
        first.close();
        JdbcDecisionLog second = open();
        records(10, 25).forEach(second::append);
        List<LogEntry> all = second.query(LogQuery.all());
        assertThat(all).extracting(LogEntry::record).containsExactlyElementsOf(records(0, 25));
        assertLinearChain(all);
        assertThat(second.verify()).isEqualTo(VerifyResult.ok(25));
    }

    @Test
    void verify_namesTheEntryWhoseAllowedColumnWasEdited() throws SQLException {
        JdbcDecisionLog log = open();
        records(0, 20).forEach(log::append);
        assertThat(log.verify().intact()).isTrue();
        flipAllowed(13);
        VerifyResult r = assertBroken(log, VerifyResult.Kind.CONTENT_HASH, 13);
        assertThat(r.entries()).isEqualTo(12);
    }

    @Test
    void verify_namesTheDeletedEntry() throws SQLException {
        JdbcDecisionLog log = open();
        records(0, 20).forEach(log::append);
        log.query(LogQuery.all());
        deleteEntry(8);
        VerifyResult r = assertBroken(log, VerifyResult.Kind.MISSING, 8);
        assertThat(r.problem()).contains("8");
    }

    @Test
    void verify_noticesTheNewestEntriesDeleted() throws SQLException {
        JdbcDecisionLog log = open();
        records(0, 20).forEach(log::append);
        log.query(LogQuery.all());
        deleteFrom(19);
        assertBroken(log, VerifyResult.Kind.MISSING, 19);
    }

    @Test
    void verify_namesTheEntryWhosePrevHashWasEdited() throws SQLException {
        JdbcDecisionLog log = open(DecisionLogs.Options.defaults().withMaxBatch(1, Duration.ZERO));
        records(0, 20).forEach(log::append);
        log.query(LogQuery.all());
        setPrevHash(4, "f".repeat(64));
        assertBroken(log, VerifyResult.Kind.PREV_HASH_LINK, 4);
    }

    @Test
    void verify_detectsARecomputedHashThroughTheNextLink() throws SQLException {
        // an editor who also rewrites the edited entry's hash breaks the next entry's link (each
        // entry a batch of its own, so that every entry has its own stored link)
        JdbcDecisionLog log = open(DecisionLogs.Options.defaults().withMaxBatch(1, Duration.ZERO));
        records(0, 10).forEach(log::append);
        LogEntry e5 = log.query(LogQuery.all()).get(4);
        DecisionRecord forged = flipped(e5.record());
        String forgedHash = ChainCodec.hash(e5.prevHash(), 5, forged);
        flipAllowedAndRehash(5, forgedHash);
        VerifyResult v = log.verify();
        assertThat(v.firstBrokenSeq()).isEqualTo(6);
        assertThat(v.kind()).isEqualTo(VerifyResult.Kind.PREV_HASH_LINK);
    }

    @Test
    void health_downWhileWritesFail_upOnceTheyWorkAgain_downWhenClosed() throws Exception {
        JdbcDecisionLog log = open();
        assertThat(log.health()).isEqualTo(DecisionLog.Health.UP);
        log.append(record(0));
        assertThat(log.query(LogQuery.all())).hasSize(1);

        hideEntryTable(true);
        log.append(record(1)); // queued: the writer fails on it and retries
        awaitUntil(() -> !log.health().up());
        assertThat(log.health().reason()).startsWith("the last decision log write failed: ");

        hideEntryTable(false);
        awaitUntil(() -> log.health().up());
        assertThat(log.query(LogQuery.all())).extracting(LogEntry::record).containsExactlyElementsOf(records(0, 2));
        assertThat(log.verify()).isEqualTo(VerifyResult.ok(2));

        log.close();
        assertThat(log.health()).isEqualTo(DecisionLog.Health.down("decision log is closed"));
    }

    /** Waits for a condition; the bound only keeps a broken test from hanging. */
    static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not reached in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void close_drainsTheQueue() throws SQLException {
        // a long batch delay keeps entries queued until close
        JdbcDecisionLog log = open(DecisionLogs.Options.defaults().withMaxBatch(5000, Duration.ofSeconds(30)));
        records(0, 2000).forEach(log::append);
        log.close();
        assertThat(count()).isEqualTo(2000);
        assertThat(open().verify()).isEqualTo(VerifyResult.ok(2000));
        assertThatThrownBy(() -> log.append(record(1))).isInstanceOf(DecisionLogException.class);
    }

    @Test
    void fullQueue_failsClosedAfterTheAppendTimeout() throws Exception {
        JdbcDecisionLog log = open(DecisionLogs.Options.defaults()
                .withQueueCapacity(2)
                .withMaxBatch(1, Duration.ZERO)
                .withTimeouts(Duration.ofMillis(50), Duration.ofSeconds(20)));
        AutoCloseable lock = blockWriters();
        try {
            log.append(record(0));
            // the writer takes the entry and then waits for the chain lock
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (log.queueDepth() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            log.append(record(1));
            log.append(record(2));
            assertThat(log.queueDepth()).isEqualTo(2);
            assertThat(log.health().reason()).contains("queue is full");
            long start = System.nanoTime();
            assertThatThrownBy(() -> log.append(record(3)))
                    .isInstanceOf(DecisionLogException.class)
                    .hasMessageContaining("queue is full");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(45));
        } finally {
            lock.close();
        }
        // once the lock is gone the queued entries are written, the refused one is not
        List<LogEntry> all = log.query(LogQuery.all());
        assertThat(all).extracting(LogEntry::record).containsExactlyElementsOf(records(0, 3));
        assertThat(log.verify()).isEqualTo(VerifyResult.ok(3));
    }

    static LogQuery withTime(LogQuery q, Instant from, Instant to) {
        return new LogQuery(from, to, q.principal(), q.action(), q.allowed(), q.policyId(), q.afterSeq(), q.limit());
    }

    static LogQuery withPrincipal(LogQuery q, String principal) {
        return new LogQuery(
                q.from(), q.to(), principal, q.action(), q.allowed(), q.policyId(), q.afterSeq(), q.limit());
    }

    static LogQuery withAction(LogQuery q, String action) {
        return new LogQuery(
                q.from(), q.to(), q.principal(), action, q.allowed(), q.policyId(), q.afterSeq(), q.limit());
    }

    static LogQuery withAllowed(LogQuery q, Boolean allowed) {
        return new LogQuery(
                q.from(), q.to(), q.principal(), q.action(), allowed, q.policyId(), q.afterSeq(), q.limit());
    }

    static LogQuery withPolicy(LogQuery q, String policyId) {
        return new LogQuery(
                q.from(), q.to(), q.principal(), q.action(), q.allowed(), policyId, q.afterSeq(), q.limit());
    }

    static void assertFilter(
            DecisionLog log, LogQuery q, List<DecisionRecord> in, java.util.function.Predicate<DecisionRecord> p) {
        List<DecisionRecord> expected = in.stream().filter(p).toList();
        assertThat(expected).as("the filter selects something").isNotEmpty();
        assertThat(expected.size()).as("the filter leaves something out").isLessThan(in.size());
        assertThat(log.query(q)).extracting(LogEntry::record).containsExactlyElementsOf(expected);
    }

    interface ThreadBody {
        void run(int thread) throws Exception;
    }

    static void runConcurrently(int threads, ThreadBody body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    body.run(id);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static DecisionRecord inSession(int i, String sessionId) {
        return record(i).withSessionId(sessionId);
    }

    @Test
    void sessionId_isKeptHashedAndFilterable() throws SQLException {
        JdbcDecisionLog log = open();
        List<DecisionRecord> in =
                List.of(record(0), inSession(1, "ses_a"), inSession(2, "ses_b"), inSession(3, "ses_a"));
        in.forEach(log::append);
        assertThat(log.query(LogQuery.all())).extracting(LogEntry::record).containsExactlyElementsOf(in);
        assertThat(log.query(LogQuery.all().withSessionId("ses_a")))
                .extracting(e -> e.record().decisionId())
                .containsExactly("d-1", "d-3");
        assertThat(log.verify()).isEqualTo(VerifyResult.ok(4));

        setSessionId(2, "ses_b");
        assertBroken(log, VerifyResult.Kind.CONTENT_HASH, 2);
    }

    @Test
    void aLogFromBeforeSessions_isReadAsItWas_andUpgradedWhenOpenedForWriting() throws Exception {
        assumeTrue(rowLayout(), "only logs in the row layout predate sessions");
        JdbcDecisionLog first = open();
        records(0, 3).forEach(first::append);
        first.close();
        // the table as it was before the session_id column existed
        sql("DROP INDEX decision_log_session");
        sql("ALTER TABLE decision_log DROP COLUMN session_parents");
        sql("ALTER TABLE decision_log DROP COLUMN session_id");

        JdbcDecisionLog readOnly = open(DecisionLogs.Options.defaults().withCreate(false));
        assertThat(readOnly.query(LogQuery.all()))
                .extracting(LogEntry::record)
                .containsExactlyElementsOf(records(0, 3));
        assertThat(readOnly.query(LogQuery.all().withSessionId("ses_a"))).isEmpty();
        assertThat(readOnly.verify()).isEqualTo(VerifyResult.ok(3));
        assertThatThrownBy(() -> readOnly.append(inSession(3, "ses_a")))
                .isInstanceOf(DecisionLogException.class)
                .hasMessageContaining("predates sessions");
        readOnly.close();

        JdbcDecisionLog upgraded = open();
        upgraded.append(inSession(3, "ses_a"));
        assertThat(upgraded.query(LogQuery.all().withSessionId("ses_a")))
                .extracting(LogEntry::record)
                .containsExactly(inSession(3, "ses_a"));
        assertThat(upgraded.verify()).isEqualTo(VerifyResult.ok(4));
    }

    @Test
    void sessionParents_areKeptHashedAndShown() throws SQLException {
        JdbcDecisionLog log = open();
        List<DecisionRecord> in = List.of(
                inSession(0, "ses_root"),
                record(1).withSession("ses_child", List.of("ses_mid", "ses_root")),
                record(2).withSession("ses_mid", List.of("ses_root")));
        in.forEach(log::append);
        assertThat(log.query(LogQuery.all())).extracting(LogEntry::record).containsExactlyElementsOf(in);
        assertThat(log.query(LogQuery.all().withSessionId("ses_child")))
                .extracting(e -> e.record().sessionParents())
                .containsExactly(List.of("ses_mid", "ses_root"));
        assertThat(log.verify()).isEqualTo(VerifyResult.ok(3));

        // a chain rewritten after the fact: the entry's hash no longer matches
        setSessionParents(3, "[\"ses_other\"]");
        assertBroken(log, VerifyResult.Kind.CONTENT_HASH, 3);
    }

    @Test
    void aLogFromBeforeSubAgentChains_isReadAsItWas_andUpgradedWhenOpenedForWriting() throws Exception {
        assumeTrue(rowLayout(), "only logs in the row layout predate sub-agent chains");
        JdbcDecisionLog first = open();
        List<DecisionRecord> old = List.of(record(0), inSession(1, "ses_a"));
        old.forEach(first::append);
        first.close();
        // the table as it was before the session_parents column existed
        sql("ALTER TABLE decision_log DROP COLUMN session_parents");

        DecisionRecord child = record(2).withSession("ses_b", List.of("ses_a"));
        JdbcDecisionLog readOnly = open(DecisionLogs.Options.defaults().withCreate(false));
        assertThat(readOnly.query(LogQuery.all())).extracting(LogEntry::record).containsExactlyElementsOf(old);
        assertThat(readOnly.verify()).isEqualTo(VerifyResult.ok(2));
        assertThatThrownBy(() -> readOnly.append(child))
                .isInstanceOf(DecisionLogException.class)
                .hasMessageContaining("predates sub-agent sessions");
        readOnly.close();

        JdbcDecisionLog upgraded = open();
        upgraded.append(child);
        assertThat(upgraded.query(LogQuery.all().withSessionId("ses_b")))
                .extracting(LogEntry::record)
                .containsExactly(child);
        assertThat(upgraded.verify()).isEqualTo(VerifyResult.ok(3));
    }
}
