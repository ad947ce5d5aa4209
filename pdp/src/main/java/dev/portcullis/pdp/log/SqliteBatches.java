package dev.portcullis.pdp.log;

import static dev.portcullis.pdp.log.JdbcDecisionLog.TABLE;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The batch layout of the SQLite decision log: one row per written batch instead of one per
 * entry. The entries of a row are their canonical encodings, exactly the bytes the chain hashes,
 * so the writer encodes each entry once, binds seven values per batch instead of eighteen per
 * entry, and SQLite updates one B-tree row and no index per batch (plus a row of the session
 * index per entry made in a session).
 *
 * <pre>
 * decision_log_batch        one row per batch (a batch above about 1 MiB of entries takes several)
 *   first_seq   INTEGER PRIMARY KEY  seq of its first entry
 *   last_seq    INTEGER              seq of its last entry
 *   min_time_ns, max_time_ns         the earliest and latest decision time among its entries
 *   prev_hash   BLOB, 32 bytes       the chain hash before its first entry
 *   hashes      BLOB, 32 bytes per entry, in seq order: each entry's chain hash
 *   entries     BLOB, UTF-8: a JSON array of the canonical encodings (ChainCodec), one per line
 * decision_log_session_seq  (session_id, seq) of every entry made in a session: the index of
 *                           session queries (WITHOUT ROWID, keyed by both)
 * decision_log_entries      a view with a row per entry, for reading the log with SQL
 * decision_log_head         as in the row layout: seq and hash of the last entry
 * </pre>
 *
 * <p>Queries read the rows whose seq and time ranges can hold a match and test each entry: a
 * byte search for the filtered values first (the encoding writes them in one fixed form), then
 * the decoded entry. The walk of {@code verify} hashes the stored bytes themselves, checks that
 * they are the canonical encoding of what they decode to, and that the bounds of every row and
 * the session index agree with the entries, so that an edit which would hide entries from
 * queries is reported too.
 *
 * <p>Not thread-safe: the writer's methods run on the log's writer thread, the others on a
 * connection of their own each.
 */
final class SqliteBatches {
    static final String BATCHES = TABLE + "_batch";
    static final String SESSIONS = TABLE + "_session_seq";
    static final String VIEW = TABLE + "_entries";

    private static final HexFormat HEX = HexFormat.of();
    private static final String ROW_COLUMNS =
            "first_seq, last_seq, min_time_ns, max_time_ns, prev_hash, hashes, entries";

    /** The writer's encoding buffer, reused from batch to batch. */
    private final ChainCodec.Batch batch = new ChainCodec.Batch();

    static void createTables(Statement st) throws SQLException {
        st.execute("CREATE TABLE IF NOT EXISTS " + BATCHES + " (first_seq INTEGER PRIMARY KEY,"
                + " last_seq INTEGER NOT NULL, min_time_ns INTEGER NOT NULL, max_time_ns INTEGER NOT NULL,"
                + " prev_hash BLOB NOT NULL, hashes BLOB NOT NULL, entries BLOB NOT NULL)");
        st.execute("CREATE TABLE IF NOT EXISTS " + SESSIONS
                + " (session_id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (session_id, seq)) WITHOUT ROWID");
        st.execute("CREATE VIEW IF NOT EXISTS " + VIEW + " AS SELECT"
                + " json_extract(e.value, '$.seq') AS seq,"
                + " json_extract(e.value, '$.decisionId') AS decision_id,"
                + " json_extract(e.value, '$.time') AS time,"
                + " json_extract(e.value, '$.kind') AS kind,"
                + " json_extract(e.value, '$.caller') AS caller,"
                + " json_extract(e.value, '$.principal') AS principal,"
                + " json_extract(e.value, '$.action') AS action,"
                + " json_extract(e.value, '$.resource') AS resource,"
                + " json_extract(e.value, '$.request') AS request_json,"
                + " json_extract(e.value, '$.allowed') AS allowed,"
                + " json_extract(e.value, '$.reasons') AS reasons,"
                + " json_extract(e.value, '$.errors') AS errors,"
                + " json_extract(e.value, '$.policyVersion') AS policy_version,"
                + " json_extract(e.value, '$.latencyMicros') AS latency_us,"
                + " json_extract(e.value, '$.sessionId') AS session_id,"
                + " json_extract(e.value, '$.sessionParents') AS session_parents,"
                + " lower(hex(substr(b.hashes, 32 * e.key + 1, 32))) AS hash"
                + " FROM " + BATCHES + " b, json_each(CAST(b.entries AS TEXT)) e");
    }

    static List<String> insertSql() {
        return List.of(
                "INSERT INTO " + BATCHES + " (" + ROW_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                "INSERT INTO " + SESSIONS + " (session_id, seq) VALUES (?, ?)");
    }

    /** Chains {@code records} after {@code head} into batch rows (writer thread only). */
    JdbcDecisionLog.Head insert(
            List<PreparedStatement> inserts, JdbcDecisionLog.Head head, List<DecisionRecord> records)
            throws SQLException {
        PreparedStatement rows = inserts.get(0);
        PreparedStatement sessions = inserts.get(1);
        byte[] last = HEX.parseHex(head.hash());
        batch.start(head.seq() + 1, last);
        boolean inSession = false;
        for (DecisionRecord r : records) {
            if (r.sessionId() != null) {
                sessions.setString(1, r.sessionId());
                sessions.setLong(2, batch.nextSeq());
                sessions.addBatch();
                inSession = true;
            }
            batch.add(r);
            if (batch.full()) {
                last = batch.lastHash();
                writeRow(rows);
                batch.start(batch.nextSeq(), last);
            }
        }
        if (batch.count() > 0) {
            last = batch.lastHash();
            writeRow(rows);
        }
        if (inSession) {
            sessions.executeBatch();
        }
        return new JdbcDecisionLog.Head(batch.nextSeq() - 1, HEX.formatHex(last));
    }

    private void writeRow(PreparedStatement rows) throws SQLException {
        rows.setLong(1, batch.firstSeq());
        rows.setLong(2, batch.nextSeq() - 1);
        rows.setLong(3, batch.minTime());
        rows.setLong(4, batch.maxTime());
        rows.setBytes(5, batch.firstPrevHash());
        rows.setBytes(6, batch.hashes());
        rows.setBytes(7, batch.entries());
        rows.executeUpdate();
    }

    /** One stored row, its entries located. */
    private record Row(
            long firstSeq,
            long lastSeq,
            long minTime,
            long maxTime,
            byte[] prevHash,
            byte[] hashes,
            byte[] entries,
            int[] bounds) {

        /** Reads the row at the result set's cursor (columns in {@link #ROW_COLUMNS} order). */
        static Row read(ResultSet rs) throws SQLException {
            byte[] hashes = rs.getBytes(6);
            byte[] entries = rs.getBytes(7);
            return new Row(
                    rs.getLong(1),
                    rs.getLong(2),
                    rs.getLong(3),
                    rs.getLong(4),
                    rs.getBytes(5),
                    hashes,
                    entries,
                    SqliteBatches.bounds(entries, hashes == null ? 1 : hashes.length / 32));
        }

        int count() {
            return bounds == null ? 0 : bounds.length / 2;
        }

        int from(int i) {
            return bounds[2 * i];
        }

        int to(int i) {
            return bounds[2 * i + 1];
        }

        /** Whether entry {@code i} has a hash; false only in a damaged row. */
        boolean hashed() {
            return hashes != null && hashes.length == 32 * count();
        }

        byte[] hash(int i) {
            return Arrays.copyOfRange(hashes, 32 * i, 32 * i + 32);
        }

        byte[] prevHash(int i) {
            return i == 0 ? prevHash : hash(i - 1);
        }

        LogEntry entry(int i, DecisionRecord r) {
            return new LogEntry(firstSeq + i, r, HEX.formatHex(prevHash(i)), HEX.formatHex(hash(i)));
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW7 = 0x7f7f7f7f7f7f7f7fL;
    private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;

    /**
     * The start and end offsets of the entries in an entries column ({@code [e1,\ne2,\n...en]}),
     * or null when it is not of that form. Finds the line breaks eight bytes at a time (a byte
     * loop was most of the time a query took to scan a large log).
     *
     * @param hint the number of entries the row should hold (its hashes), to size the result
     */
    static int[] bounds(byte[] entries, int hint) {
        int n = entries == null ? 0 : entries.length;
        if (n < 3 || entries[0] != '[' || entries[n - 1] != ']') {
            return null;
        }
        Lines lines = new Lines(hint);
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long v = (long) LONGS.get(entries, i) ^ NEWLINES;
            // 0x80 in exactly the bytes of v that are zero, the bytes of the word that are '\n'
            long zeros = ~(((v & LOW7) + LOW7) | v | LOW7);
            while (zeros != 0) {
                if (!lines.lineBreak(entries, i + (Long.numberOfTrailingZeros(zeros) >>> 3))) {
                    return null;
                }
                zeros &= zeros - 1;
            }
        }
        for (; i < n; i++) {
            if (entries[i] == '\n' && !lines.lineBreak(entries, i)) {
                return null;
            }
        }
        return lines.end(n - 1);
    }

    /** The bounds of the entries, collected line break by line break. */
    private static final class Lines {
        private int[] bounds;
        private int k;
        private int from = 1;

        Lines(int hint) {
            bounds = new int[2 * Math.max(1, hint)];
        }

        /** Ends the current entry at the line break at {@code at}; false when no ',' precedes it. */
        boolean lineBreak(byte[] entries, int at) {
            if (entries[at - 1] != ',') {
                return false;
            }
            add(at - 1);
            from = at + 1;
            return true;
        }

        /** Ends the last entry at {@code to}; the bounds, or null when an entry is empty. */
        int[] end(int to) {
            add(to);
            for (int j = 0; j < k; j += 2) {
                if (bounds[j] >= bounds[j + 1]) {
                    return null;
                }
            }
            return k == bounds.length ? bounds : Arrays.copyOf(bounds, k);
        }

        private void add(int to) {
            if (k + 2 > bounds.length) {
                bounds = Arrays.copyOf(bounds, 2 * bounds.length);
            }
            bounds[k++] = from;
            bounds[k++] = to;
        }
    }

    // --- queries ----------------------------------------------------------------------------------

    /**
     * What a query asks of an entry: first a look at its bytes, where each filtered value stands
     * right after its key; then, for the entries that pass, the exact test of the decoded entry.
     */
    private record Filter(LogQuery q, List<Probe> probes, long from, long to) {
        static Filter of(LogQuery q) {
            List<Probe> probes = new ArrayList<>();
            if (q.principal() != null) {
                probes.add(new Probe(",\"principal\":", false, value(q.principal(), ",\"action\":"), false));
            }
            if (q.action() != null) {
                probes.add(new Probe(",\"action\":", false, value(q.action(), ",\"resource\":"), false));
            }
            if (q.allowed() != null) {
                probes.add(new Probe(",\"allowed\":", true, ascii(q.allowed() + ","), false));
            }
            if (q.policyId() != null) {
                probes.add(new Probe(",\"reasons\":[", true, ChainCodec.jsonString(q.policyId()), true));
            }
            if (q.sessionId() != null) {
                probes.add(new Probe(",\"sessionId\":", true, ChainCodec.jsonString(q.sessionId()), false));
            }
            return new Filter(
                    q,
                    List.copyOf(probes),
                    q.from() == null ? Long.MIN_VALUE : ChainCodec.epochNanosClamped(q.from()),
                    q.to() == null ? Long.MAX_VALUE : ChainCodec.epochNanosClamped(q.to()));
        }

        /** False when the entry in {@code b[from, to)} cannot match. */
        boolean mayMatch(byte[] b, int from, int to) {
            for (Probe p : probes) {
                if (!p.test(b, from, to)) {
                    return false;
                }
            }
            return true;
        }

        boolean matches(DecisionRecord r) {
            long t = ChainCodec.epochNanos(r.time());
            return t >= from
                    && (q.to() == null || t < to)
                    && (q.principal() == null || q.principal().equals(r.principal()))
                    && (q.action() == null || q.action().equals(r.action()))
                    && (q.allowed() == null || q.allowed() == r.allowed())
                    && (q.policyId() == null || r.reasons().contains(q.policyId()))
                    && (q.sessionId() == null || q.sessionId().equals(r.sessionId()));
        }
    }

    /**
     * A filtered value in an encoding: the bytes right after {@code key} start with {@code value}
     * (or, {@code anywhereAfter}, contain it). A key with its quotes can only stand as a key, since
     * a string value escapes every quote, so its first occurrence is the key; keys that follow
     * the long {@code request} value are looked for from the end instead, and found sooner.
     */
    private record Probe(byte[] key, boolean fromEnd, byte[] value, boolean anywhereAfter) {
        Probe(String key, boolean fromEnd, byte[] value, boolean anywhereAfter) {
            this(ascii(key), fromEnd, value, anywhereAfter);
        }

        boolean test(byte[] b, int from, int to) {
            int k = fromEnd ? lastIndexOf(b, from, to, key) : indexOf(b, from, to, key);
            if (k < 0) {
                return false;
            }
            int at = k + key.length;
            return anywhereAfter ? indexOf(b, at, to, value) >= 0 : startsWith(b, at, to, value);
        }
    }

    private static byte[] value(String value, String after) {
        byte[] v = ChainCodec.jsonString(value);
        byte[] z = ascii(after);
        byte[] out = Arrays.copyOf(v, v.length + z.length);
        System.arraycopy(z, 0, out, v.length, z.length);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static boolean startsWith(byte[] b, int at, int to, byte[] p) {
        return to - at >= p.length && Arrays.equals(b, at, at + p.length, p, 0, p.length);
    }

    /** The first index of {@code p} in {@code b[from, to)}, or -1. */
    static int indexOf(byte[] b, int from, int to, byte[] p) {
        for (int i = from, last = to - p.length; i <= last; i++) {
            if (b[i] == p[0] && startsWith(b, i, to, p)) {
                return i;
            }
        }
        return -1;
    }

    /** The last index of {@code p} in {@code b[from, to)}, or -1. */
    static int lastIndexOf(byte[] b, int from, int to, byte[] p) {
        for (int i = to - p.length; i >= from; i--) {
            if (b[i] == p[0] && startsWith(b, i, to, p)) {
                return i;
            }
        }
        return -1;
    }

    List<LogEntry> select(Connection c, LogQuery q, boolean newestFirst) throws SQLException {
        Filter filter = Filter.of(q);
        List<LogEntry> out = new ArrayList<>();
        if (q.limit() == 0) {
            return out;
        }
        if (q.sessionId() != null) {
            selectSession(c, q, filter, newestFirst, out);
            return out;
        }
        StringBuilder sql = new StringBuilder("SELECT " + ROW_COLUMNS + " FROM " + BATCHES
                + " WHERE first_seq >= coalesce((SELECT max(first_seq) FROM " + BATCHES + " WHERE first_seq <= ?), 0)"
                + " AND last_seq > ?");
        if (q.from() != null) {
            sql.append(" AND max_time_ns >= ").append(filter.from());
        }
        if (q.to() != null) {
            sql.append(" AND min_time_ns < ").append(filter.to());
        }
        sql.append(newestFirst ? " ORDER BY first_seq DESC" : " ORDER BY first_seq");
        try (PreparedStatement st = c.prepareStatement(sql.toString())) {
            // the row holding entry afterSeq + 1 (without overflow: afterSeq is below the last seq)
            st.setLong(1, q.afterSeq() == Long.MAX_VALUE ? q.afterSeq() : q.afterSeq() + 1);
            st.setLong(2, q.afterSeq());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Row row = Row.read(rs);
                    int n = row.count();
                    for (int k = 0; k < n; k++) {
                        int i = newestFirst ? n - 1 - k : k;
                        if (row.firstSeq() + i > q.afterSeq() && add(row, i, filter, out) && out.size() >= q.limit()) {
                            return out;
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Adds entry {@code i} of {@code row} to {@code out} when it matches; whether it did. */
    private boolean add(Row row, int i, Filter filter, List<LogEntry> out) throws SQLException {
        if (!row.hashed() || !filter.mayMatch(row.entries(), row.from(i), row.to(i))) {
            return false;
        }
        DecisionRecord r = decode(row, i);
        if (!filter.matches(r)) {
            return false;
        }
        out.add(row.entry(i, r));
        return true;
    }

    private static DecisionRecord decode(Row row, int i) throws SQLException {
        long seq = row.firstSeq() + i;
        ChainCodec.Decoded d;
        try {
            d = ChainCodec.decode(row.entries(), row.from(i), row.to(i));
        } catch (IllegalArgumentException e) {
            throw new SQLException("entry " + seq + " is not a canonical encoding: " + e.getMessage(), e);
        }
        if (d.seq() != seq) {
            throw new SQLException("the row of entries " + row.firstSeq() + "–" + row.lastSeq() + " holds entry "
                    + d.seq() + " where entry " + seq + " belongs; run `portcullis audit verify`");
        }
        return d.record();
    }

    /** A session's entries, found through the session index. */
    private void selectSession(Connection c, LogQuery q, Filter filter, boolean newestFirst, List<LogEntry> out)
            throws SQLException {
        try (PreparedStatement seqs = c.prepareStatement("SELECT seq FROM " + SESSIONS
                        + " WHERE session_id = ? AND seq > ? ORDER BY seq" + (newestFirst ? " DESC" : ""));
                PreparedStatement rowOf = c.prepareStatement("SELECT " + ROW_COLUMNS + " FROM " + BATCHES
                        + " WHERE first_seq <= ? ORDER BY first_seq DESC LIMIT 1")) {
            seqs.setString(1, q.sessionId());
            seqs.setLong(2, q.afterSeq());
            Row row = null;
            try (ResultSet rs = seqs.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    if (row == null || seq < row.firstSeq() || seq > row.lastSeq()) {
                        rowOf.setLong(1, seq);
                        try (ResultSet r = rowOf.executeQuery()) {
                            row = r.next() ? Row.read(r) : null;
                        }
                    }
                    // an index entry without its entry (a damaged log) selects nothing; verify names it
                    if (row != null
                            && seq <= row.lastSeq()
                            && seq - row.firstSeq() < row.count()
                            && add(row, (int) (seq - row.firstSeq()), filter, out)
                            && out.size() >= q.limit()) {
                        return;
                    }
                }
            }
        }
    }

    // --- verify -----------------------------------------------------------------------------------

    /** The session index in seq order, read alongside the chain. */
    private static final class SessionIndex implements AutoCloseable {
        private final PreparedStatement st;
        private final ResultSet rs;
        long seq = Long.MAX_VALUE;
        String sessionId;

        SessionIndex(Connection c) throws SQLException {
            st = c.prepareStatement("SELECT seq, session_id FROM " + SESSIONS + " ORDER BY seq, session_id");
            rs = st.executeQuery();
            next();
        }

        void next() throws SQLException {
            if (rs.next()) {
                seq = rs.getLong(1);
                sessionId = rs.getString(2);
            } else {
                seq = Long.MAX_VALUE;
                sessionId = null;
            }
        }

        @Override
        public void close() throws SQLException {
            try (st) {
                rs.close();
            }
        }
    }

    JdbcDecisionLog.Walk walk(Connection c) throws SQLException {
        long expected = 1;
        byte[] prev = new byte[32];
        try (SessionIndex index = new SessionIndex(c);
                PreparedStatement st =
                        c.prepareStatement("SELECT " + ROW_COLUMNS + " FROM " + BATCHES + " ORDER BY first_seq")) {
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Row row = Row.read(rs);
                    long first = row.firstSeq();
                    if (first > expected) {
                        return missing(expected, first);
                    }
                    if (first < expected) {
                        return broken(first, VerifyResult.Kind.CONTENT_HASH, "entry " + first + " is stored twice");
                    }
                    if (!Arrays.equals(row.prevHash(), prev)) {
                        return broken(
                                first,
                                VerifyResult.Kind.PREV_HASH_LINK,
                                "prevHash does not match the hash of entry " + (first - 1));
                    }
                    if (row.count() == 0) {
                        return broken(
                                first,
                                VerifyResult.Kind.CONTENT_HASH,
                                "the row of entry " + first + " does not hold a JSON array of one entry per line");
                    }
                    long minTime = Long.MAX_VALUE;
                    long maxTime = Long.MIN_VALUE;
                    for (int i = 0; i < row.count(); i++) {
                        long seq = expected;
                        if (!row.hashed()) {
                            return broken(seq, VerifyResult.Kind.CONTENT_HASH, "entry " + seq + " has no hash");
                        }
                        ChainCodec.Decoded d;
                        try {
                            d = ChainCodec.decode(row.entries(), row.from(i), row.to(i));
                        } catch (IllegalArgumentException e) {
                            return broken(
                                    seq,
                                    VerifyResult.Kind.CONTENT_HASH,
                                    "entry " + seq + " is not a canonical encoding: " + e.getMessage());
                        }
                        if (d.seq() > seq) {
                            return missing(seq, d.seq());
                        }
                        byte[] hash = ChainCodec.hashEncoded(prev, row.entries(), row.from(i), row.to(i));
                        if (d.seq() < seq
                                || !Arrays.equals(hash, row.hash(i))
                                || !ChainCodec.isEncodingOf(row.entries(), row.from(i), row.to(i), seq, d.record())) {
                            return broken(
                                    seq,
                                    VerifyResult.Kind.CONTENT_HASH,
                                    "content does not match its hash (the entry was altered)");
                        }
                        String session = d.record().sessionId();
                        if (index.seq < seq) {
                            return broken(
                                    index.seq,
                                    VerifyResult.Kind.CONTENT_HASH,
                                    "the session index lists entry " + index.seq
                                            + " under another session than its own");
                        }
                        if (index.seq == seq) {
                            if (!Objects.equals(index.sessionId, session)) {
                                return broken(
                                        seq,
                                        VerifyResult.Kind.CONTENT_HASH,
                                        "the session index lists entry " + seq + " under another session than its own");
                            }
                            index.next();
                        } else if (session != null) {
                            return broken(
                                    seq,
                                    VerifyResult.Kind.CONTENT_HASH,
                                    "the session index lacks entry " + seq + " (its session's queries would miss it)");
                        }
                        long t = ChainCodec.epochNanos(d.record().time());
                        minTime = Math.min(minTime, t);
                        maxTime = Math.max(maxTime, t);
                        prev = hash;
                        expected++;
                    }
                    if (row.lastSeq() != expected - 1 || row.minTime() != minTime || row.maxTime() != maxTime) {
                        return broken(
                                first,
                                VerifyResult.Kind.CONTENT_HASH,
                                "the row of entries " + first + "–"
                                        + (expected - 1) + " records other bounds than its entries have"
                                        + " (queries by seq or time would miss them)");
                    }
                }
            }
            if (index.seq != Long.MAX_VALUE) {
                return broken(
                        index.seq,
                        VerifyResult.Kind.CONTENT_HASH,
                        "the session index lists entry " + index.seq + ", which the chain does not have");
            }
        }
        return new JdbcDecisionLog.Walk(expected - 1, HEX.formatHex(prev), null);
    }

    private static JdbcDecisionLog.Walk missing(long expected, long next) {
        return JdbcDecisionLog.Walk.broken(new VerifyResult(
                expected - 1,
                expected,
                VerifyResult.Kind.MISSING,
                "entry " + expected + " is missing (the next entry is " + next + ")"));
    }

    private static JdbcDecisionLog.Walk broken(long seq, VerifyResult.Kind kind, String problem) {
        return JdbcDecisionLog.Walk.broken(new VerifyResult(seq - 1, seq, kind, problem));
    }
}
