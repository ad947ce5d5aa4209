package dev.portcullis.pdp.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The decision-log contract on the embedded store in its batch layout (every new log), and what
 * that layout adds: rows, the session index and the view.
 */
class SqliteDecisionLogTest extends SqliteLogContract {
    @Override
    JdbcDecisionLog openStore(DecisionLogs.Options options) {
        return new SqliteDecisionLog(file(), options);
    }

    @Override
    boolean rowLayout() {
        return false;
    }

    @Override
    long count() throws SQLException {
        return longValue("SELECT count(*) FROM decision_log_entries");
    }

    private long longValue(String query) throws SQLException {
        try (Connection c = raw();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // --- the tamperer of the batch layout: decodes a row, edits it, writes it back -------------

    /** A row as stored: its entries' lines and hashes, editable. */
    record StoredRow(long firstSeq, List<String> lines, List<byte[]> hashes) {}

    StoredRow readRow(long seq) throws SQLException {
        try (Connection c = raw();
                PreparedStatement st = c.prepareStatement("SELECT first_seq, hashes, entries FROM decision_log_batch"
                        + " WHERE first_seq <= ? ORDER BY first_seq DESC LIMIT 1")) {
            st.setLong(1, seq);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).as("a row holds entry %d", seq).isTrue();
                String entries = new String(rs.getBytes(3), StandardCharsets.UTF_8);
                List<String> lines = new ArrayList<>(
                        List.of(entries.substring(1, entries.length() - 1).split(",\n", -1)));
                byte[] hashes = rs.getBytes(2);
                List<byte[]> hashList = new ArrayList<>();
                for (int i = 0; i < hashes.length; i += 32) {
                    hashList.add(Arrays.copyOfRange(hashes, i, i + 32));
                }
                return new StoredRow(rs.getLong(1), lines, hashList);
            }
        }
    }

    /** Writes {@code row} back, its bounds made to agree with its lines, as a careful tamperer would. */
    void writeRow(StoredRow row) throws SQLException {
        long last = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (String line : row.lines()) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            ChainCodec.Decoded d = ChainCodec.decode(b, 0, b.length);
            last = d.seq();
            min = Math.min(min, ChainCodec.epochNanos(d.record().time()));
            max = Math.max(max, ChainCodec.epochNanos(d.record().time()));
        }
        try (Connection c = raw();
                PreparedStatement st = c.prepareStatement(
                        row.lines().isEmpty()
                                ? "DELETE FROM decision_log_batch WHERE first_seq = ?"
                                : "UPDATE decision_log_batch SET last_seq = ?, min_time_ns = ?, max_time_ns = ?, hashes = ?,"
                                        + " entries = ? WHERE first_seq = ?")) {
            if (row.lines().isEmpty()) {
                st.setLong(1, row.firstSeq());
            } else {
                ByteArrayOutputStream hashes = new ByteArrayOutputStream();
                row.hashes().forEach(hashes::writeBytes);
                st.setLong(1, last);
                st.setLong(2, min);
                st.setLong(3, max);
                st.setBytes(4, hashes.toByteArray());
                st.setBytes(5, ("[" + String.join(",\n", row.lines()) + "]").getBytes(StandardCharsets.UTF_8));
                st.setLong(6, row.firstSeq());
            }
            st.executeUpdate();
        }
    }

    /** Replaces entry {@code seq} with its edited record, canonically encoded; and its hash, unless null. */
    void editEntry(long seq, UnaryOperator<DecisionRecord> edit, byte[] hash) throws SQLException {
        StoredRow row = readRow(seq);
        int i = (int) (seq - row.firstSeq());
        byte[] b = row.lines().get(i).getBytes(StandardCharsets.UTF_8);
        DecisionRecord r = ChainCodec.decode(b, 0, b.length).record();
        row.lines().set(i, ChainCodec.encode(seq, edit.apply(r)));
        if (hash != null) {
            row.hashes().set(i, hash);
        }
        writeRow(row);
    }

    @Override
    void flipAllowed(long seq) throws SQLException {
        editEntry(seq, DecisionLogContract::flipped, null);
    }

    @Override
    void flipAllowedAndRehash(long seq, String hash) throws SQLException {
        editEntry(seq, DecisionLogContract::flipped, HexFormat.of().parseHex(hash));
    }

    @Override
    void setSessionId(long seq, String sessionId) throws SQLException {
        editEntry(seq, r -> r.withSession(sessionId, r.sessionParents()), null);
    }

    @Override
    void setSessionParents(long seq, String parentsJson) throws SQLException {
        List<String> parents = List.of(parentsJson.replaceAll("[\\[\\]\"]", "").split(","));
        editEntry(seq, r -> r.withSession(r.sessionId(), parents), null);
    }

    @Override
    void deleteEntry(long seq) throws SQLException {
        StoredRow row = readRow(seq);
        int i = (int) (seq - row.firstSeq());
        row.lines().remove(i);
        row.hashes().remove(i);
        writeRow(row);
    }

    @Override
    void deleteFrom(long seq) throws SQLException {
        sql("DELETE FROM decision_log_batch WHERE first_seq > " + seq);
        StoredRow row = readRow(seq);
        int i = (int) (seq - row.firstSeq());
        row.lines().subList(i, row.lines().size()).clear();
        row.hashes().subList(i, row.hashes().size()).clear();
        writeRow(row);
    }

    @Override
    void setPrevHash(long seq, String hash) throws SQLException {
        assertThat(readRow(seq).firstSeq()).as("entry %d begins its row", seq).isEqualTo(seq);
        sql("UPDATE decision_log_batch SET prev_hash = X'" + hash + "' WHERE first_seq = " + seq);
    }

    @Override
    void hideEntryTable(boolean hide) throws SQLException {
        sql(
                hide
                        ? "ALTER TABLE decision_log_batch RENAME TO decision_log_away"
                        : "ALTER TABLE decision_log_away RENAME TO decision_log_batch");
    }

    // --- the batch layout itself -------------------------------------------------------------------

    @Test
    void aBatchIsOneRow_andTheViewShowsEveryEntryWithItsHash() throws Exception {
        JdbcDecisionLog log = inOneBatch(records(0, 100));
        assertThat(((SqliteDecisionLog) log).batchLayout()).isTrue();
        List<LogEntry> entries = log.query(LogQuery.all());
        assertThat(longValue("SELECT count(*) FROM decision_log_batch")).isEqualTo(1);
        try (Connection c = raw();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT seq, principal, allowed, reasons, hash FROM decision_log_entries ORDER BY seq")) {
            for (LogEntry e : entries) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(e.seq());
                assertThat(rs.getString(2)).isEqualTo(e.record().principal());
                assertThat(rs.getBoolean(3)).isEqualTo(e.record().allowed());
                assertThat(rs.getString(4))
                        .isEqualTo(ChainCodec.jsonArray(e.record().reasons()));
                assertThat(rs.getString(5)).isEqualTo(e.hash());
            }
            assertThat(rs.next()).isFalse();
        }
        assertThat(indexes()).isEmpty();
    }

    /**
     * A log that wrote {@code records} as one batch: they wait in the queue (a long batch delay)
     * until close writes them; then the log is opened again.
     */
    JdbcDecisionLog inOneBatch(List<DecisionRecord> records) {
        JdbcDecisionLog writer = open(DecisionLogs.Options.defaults().withMaxBatch(500, Duration.ofSeconds(30)));
        records.forEach(writer::append);
        writer.close();
        return open();
    }

    @Test
    void aBatchOfLargeEntriesIsCutIntoRowsOfAboutOneMebibyte() {
        String big = "{\"blob\":\"" + "x".repeat(300_000) + "\"}";
        List<DecisionRecord> in = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            DecisionRecord r = record(i);
            in.add(copy(r, r.allowed(), big));
        }
        JdbcDecisionLog log = inOneBatch(in);
        assertThat(log.query(LogQuery.all())).extracting(LogEntry::record).containsExactlyElementsOf(in);
        assertThat(uncheckedLong("SELECT count(*) FROM decision_log_batch")).isEqualTo(3); // 4 + 4 + 2 entries
        assertThat(log.latest(new LogQuery(null, null, null, null, null, null, 0, 3)))
                .extracting(LogEntry::record)
                .containsExactlyElementsOf(in.subList(7, 10));
        assertThat(log.verify()).isEqualTo(VerifyResult.ok(10));
    }

    private long uncheckedLong(String query) {
        try {
            return longValue(query);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void verify_namesTheEntryAfterOneWhoseHashWasRecomputedInsideARow() throws SQLException {
        JdbcDecisionLog log = inOneBatch(records(0, 10));
        assertThat(readRow(5).lines()).hasSize(10);
        LogEntry e5 = log.query(LogQuery.all()).get(4);
        String forgedHash = ChainCodec.hash(e5.prevHash(), 5, flipped(e5.record()));
        flipAllowedAndRehash(5, forgedHash);
        // inside a row the link is the previous entry's stored hash: entry 6 no longer hashes to its own
        assertBroken(log, VerifyResult.Kind.CONTENT_HASH, 6);
    }

    @Test
    void verify_namesADeletedRow() throws SQLException {
        JdbcDecisionLog log = open(DecisionLogs.Options.defaults().withMaxBatch(1, Duration.ZERO));
        records(0, 10).forEach(log::append);
        log.query(LogQuery.all());
        sql("DELETE FROM decision_log_batch WHERE first_seq = 6");
        assertBroken(log, VerifyResult.Kind.MISSING, 6);
    }

    @Test
    void verify_namesARowWhoseBoundsWouldHideItFromQueries() throws SQLException {
        JdbcDecisionLog log = open(DecisionLogs.Options.defaults().withMaxBatch(5, Duration.ZERO));
        records(0, 20).forEach(log::append);
        log.query(LogQuery.all());
        long first = readRow(12).firstSeq();
        sql("UPDATE decision_log_batch SET max_time_ns = 0 WHERE first_seq = " + first);
        assertThat(log.query(withTime(LogQuery.all(), T0, null))).hasSizeLessThan(20);
        VerifyResult r = assertBroken(log, VerifyResult.Kind.CONTENT_HASH, first);
        assertThat(r.problem()).contains("bounds");
    }

    @Test
    void verify_namesAnEntryTheSessionIndexLosesOrMisfiles() throws SQLException {
        JdbcDecisionLog log = open();
        List.of(record(0), inSession(1, "ses_a"), inSession(2, "ses_b"), inSession(3, "ses_a"))
                .forEach(log::append);
        assertThat(log.verify()).isEqualTo(VerifyResult.ok(4));

        sql("DELETE FROM decision_log_session_seq WHERE seq = 4");
        assertThat(log.query(LogQuery.all().withSessionId("ses_a"))).hasSize(1);
        assertBroken(log, VerifyResult.Kind.CONTENT_HASH, 4);

        sql("INSERT INTO decision_log_session_seq (session_id, seq) VALUES ('ses_a', 4), ('ses_a', 1)");
        assertBroken(log, VerifyResult.Kind.CONTENT_HASH, 1);
        // a misfiled index row selects nothing that is not in the session
        assertThat(log.query(LogQuery.all().withSessionId("ses_a")))
                .extracting(e -> e.record().decisionId())
                .containsExactly("d-1", "d-3");
    }

    @Test
    void bounds_findEveryEntryAtEveryOffset_andRefuseWhatIsNotOneEntryPerLine() {
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 2000; round++) {
            int count = 1 + random.nextInt(12);
            StringBuilder text = new StringBuilder("[");
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    text.append(",\n");
                }
                expected.add(text.length());
                text.append("x".repeat(1 + random.nextInt(20)));
                expected.add(text.length());
            }
            text.append(']');
            byte[] b = text.toString().getBytes(StandardCharsets.UTF_8);
            int[] bounds = SqliteBatches.bounds(b, random.nextInt(count + 2));
            assertThat(bounds)
                    .as(text.toString())
                    .containsExactly(
                            expected.stream().mapToInt(Integer::intValue).toArray());
        }
        for (String bad : List.of("", "[]", "[x", "x]", "[x\ny]", "[x,\n]", "[,\nx]", "[x,\n,\ny]")) {
            assertThat(SqliteBatches.bounds(bad.getBytes(StandardCharsets.UTF_8), 1))
                    .as(bad)
                    .isNull();
        }
    }

    @Test
    void aLogInTheRowLayoutKeepsIt() {
        new SqliteDecisionLog(file(), DecisionLogs.Options.defaults(), true).close();
        try (SqliteDecisionLog log = new SqliteDecisionLog(file(), DecisionLogs.Options.defaults())) {
            assertThat(log.batchLayout()).isFalse();
            log.append(record(1));
            assertThat(log.verify()).isEqualTo(VerifyResult.ok(1));
        }
        try (SqliteDecisionLog log = new SqliteDecisionLog(file(), DecisionLogs.Options.defaults(), false)) {
            assertThat(log.batchLayout()).isFalse();
        }
    }

    private List<String> indexes() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = raw();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index'"
                        + " AND name NOT LIKE 'sqlite_autoindex%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    @Test
    void aNewLogHas16KiBPages_andAnOlderLogKeepsItsPageSize() throws Exception {
        openStore(DecisionLogs.Options.defaults()).close();
        assertThat(pageSize()).isEqualTo(SqliteDecisionLog.PAGE_SIZE).isEqualTo(16_384);

        // a log as created before 2026-11-29: SQLite's default page size
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(file() + suffix));
        }
        try (Connection c = raw();
                Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode = WAL");
        }
        assertThat(pageSize()).isEqualTo(4096);
        try (JdbcDecisionLog log = openStore(DecisionLogs.Options.defaults())) {
            log.append(record(1));
            assertThat(log.verify()).isEqualTo(VerifyResult.ok(1));
        }
        assertThat(pageSize()).isEqualTo(4096);
    }

    private int pageSize() throws SQLException {
        try (Connection c = raw();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA page_size")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
