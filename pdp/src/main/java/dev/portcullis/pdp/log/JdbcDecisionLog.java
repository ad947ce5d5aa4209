package dev.portcullis.pdp.log;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The part of the SQL decision logs both stores share: the tables, the chained batch insert,
 * queries and verification. The dialects differ only in how a connection is opened, a few column
 * types, how the head row is locked and how a policy id is found among the reasons. This class
 * keeps a row per entry (the row layout); SQLite logs created since 2026-11-30 keep a row per
 * batch instead ({@link SqliteBatches}), by overriding the table creation, {@link #insert},
 * {@link #select} and {@link #walk}: the queue, the head and its checks stay here.
 *
 * <pre>
 * Tables of the row layout (TABLE = decision_log)
 *   TABLE       one row per entry: seq, the record's fields, prev_hash, hash
 *               (time as exact epoch nanoseconds, reasons and errors as JSON arrays of strings)
 *   TABLE_head  one row (id = 1): seq and hash of the last entry (0 and 64 zeros when empty)
 *
 * INVARIANT: the head row and the entries it covers change in the same transaction, so the head
 * always names the last entry. Every writer extends the chain from the head it read under the
 * dialect's write lock; verify() also checks that the chain ends where the head says, which
 * detects deleting the newest entries (deleting both them and the head update is possible for
 * whoever controls the database; anchor the head hash elsewhere to detect that).
 * </pre>
 */
abstract sealed class JdbcDecisionLog implements DecisionLog permits SqliteDecisionLog, PostgresDecisionLog {
    static final String TABLE = "decision_log";
    static final String HEAD = TABLE + "_head";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final String BASE_COLUMNS = "seq, decision_id, time_ns, kind, caller, principal, action, resource,"
            + " request_json, allowed, reasons, errors, policy_version, latency_us, prev_hash, hash";
    // session_id and session_parents came later: a log created before them lacks the columns until
    // it is opened for writing
    private static final String COLUMNS = BASE_COLUMNS + ", session_id, session_parents";
    private static final String INSERT =
            "INSERT INTO " + TABLE + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final DecisionLogs.Options options;
    private final String description;
    private WriteQueue queue;
    /** Whether the table has the session_id column (false only for an old log opened read-only). */
    private volatile boolean sessionColumn = true;
    /** Whether it has the session_parents column (false only for an old log opened read-only). */
    private volatile boolean parentsColumn = true;

    private StoreProbe probe;
    /**
     * Owned by the writer thread; reopened after a failed batch. Volatile for {@link #close}, which
     * reads it from another thread even when the writer did not stop in time.
     */
    private volatile Writer writer;

    JdbcDecisionLog(DecisionLogs.Options options, String description) {
        this.options = Objects.requireNonNull(options);
        this.description = description;
    }

    /** A new connection to the store, auto-commit off unless {@link #beginWrite} begins its writes. */
    abstract Connection connect(boolean writer) throws SQLException;

    /** The column type of {@code seq} (SQLite wants {@code INTEGER} for its rowid alias). */
    abstract String seqType();

    /** Reads the head row ({@code seq, hash}) so that no other writer can extend the chain meanwhile. */
    abstract String lockHeadSql();

    /** A condition on one {@code ?} parameter: the policy id is among {@code reasons}. */
    abstract String reasonsContainSql();

    /**
     * Whether {@code principal} and {@code action} get an index each (besides time and session),
     * or are found by scanning; a log that had them and is opened for writing loses them.
     */
    abstract boolean indexesEveryFilter();

    /** Whether {@code table} has a column named {@code column}. */
    abstract boolean hasColumn(Connection c, String table, String column) throws SQLException;

    /** Creates the tables if missing; called by the subclass's constructor, which then calls start. */
    void createTables(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (seq " + seqType() + " PRIMARY KEY,"
                    + " decision_id TEXT, time_ns BIGINT NOT NULL, kind TEXT, caller TEXT, principal TEXT,"
                    + " action TEXT, resource TEXT, request_json TEXT, allowed BOOLEAN NOT NULL,"
                    + " reasons TEXT NOT NULL, errors TEXT NOT NULL, policy_version TEXT,"
                    + " latency_us BIGINT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, session_id TEXT,"
                    + " session_parents TEXT)");
            for (String column : List.of("session_id", "session_parents")) {
                if (!hasColumn(c, TABLE, column)) {
                    st.execute("ALTER TABLE " + TABLE + " ADD COLUMN " + column + " TEXT");
                }
            }
            st.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_session ON " + TABLE
                    + " (session_id, seq) WHERE session_id IS NOT NULL");
            st.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_time ON " + TABLE + " (time_ns)");
            for (String column : List.of("principal", "action")) {
                String index = TABLE + "_" + column;
                st.execute(
                        indexesEveryFilter()
                                ? "CREATE INDEX IF NOT EXISTS " + index + " ON " + TABLE + " (" + column + ", seq)"
                                : "DROP INDEX IF EXISTS " + index);
            }
            createHead(st);
        }
    }

    /** Creates the head row, if missing, for an empty chain. */
    static void createHead(Statement st) throws SQLException {
        st.execute("CREATE TABLE IF NOT EXISTS " + HEAD + " (id INTEGER PRIMARY KEY CHECK (id = 1),"
                + " seq BIGINT NOT NULL, hash TEXT NOT NULL)");
        st.execute("INSERT INTO " + HEAD + " (id, seq, hash) VALUES (1, 0, '" + ChainCodec.GENESIS
                + "') ON CONFLICT DO NOTHING");
    }

    /**
     * Asks the store itself for {@link #health()}, or null when the writer's own state says enough
     * (an embedded file has no server to lose).
     */
    StoreProbe newProbe() {
        return null;
    }

    /** Checks (or creates) the tables and starts the writer. */
    final void start(String threadName) {
        try (Connection c = connect(true)) {
            if (options.create()) {
                beginWrite(c);
                createTables(c);
                commit(c);
            } else if (!tablesExist(c)) {
                throw new DecisionLogException(
                        "no decision log in " + description + " (table `" + TABLE + "` is missing)");
            } else {
                inspect(c);
                if (!c.getAutoCommit()) {
                    c.commit();
                }
            }
        } catch (SQLException e) {
            throw new DecisionLogException("cannot open decision log " + description + ": " + e.getMessage(), e);
        }
        queue = new WriteQueue(
                threadName,
                new WriteQueue.Sink() {
                    @Override
                    public void write(List<DecisionRecord> batch) throws SQLException {
                        writeBatch(batch);
                    }

                    @Override
                    public boolean rejects(Exception failure) {
                        // SQLSTATE class 22: data exception (a value the column cannot hold)
                        return failure instanceof SQLException e
                                && e.getSQLState() != null
                                && e.getSQLState().startsWith("22");
                    }
                },
                options);
        probe = newProbe();
    }

    /**
     * Learns, for a log opened without create, which columns its table has: a log from before
     * sessions lacks {@code session_id} and {@code session_parents} (this one reads rows).
     */
    void inspect(Connection c) throws SQLException {
        sessionColumn = hasColumn(c, TABLE, "session_id");
        parentsColumn = hasColumn(c, TABLE, "session_parents");
    }

    private static boolean tablesExist(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeQuery("SELECT seq FROM " + HEAD + " WHERE id = 1").close();
            return true;
        } catch (SQLException e) {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
            return false;
        }
    }

    @Override
    public void append(DecisionRecord record) {
        Objects.requireNonNull(record, "record");
        if (record.time() == null) {
            throw new DecisionLogException("decision `" + record.decisionId() + "` has no time");
        }
        ChainCodec.epochNanos(record.time()); // fails now, not in the writer
        if (record.sessionId() != null && !sessionColumn) {
            throw new DecisionLogException("decision log " + description
                    + " predates sessions (no `session_id` column); open it with create on to upgrade it");
        }
        if (!record.sessionParents().isEmpty() && !parentsColumn) {
            throw new DecisionLogException("decision log " + description
                    + " predates sub-agent sessions (no `session_parents` column); open it with create on to"
                    + " upgrade it");
        }
        check(record);
        queue.submit(record);
    }

    /** Refuses, on the caller's thread, a record the store could not keep exactly. */
    void check(DecisionRecord record) {}

    /** Down when the log is closed, its writer has stopped, the last write failed or the queue is full. */
    @Override
    public Health health() {
        String problem = queue.problem();
        if (problem != null) {
            return Health.down(problem);
        }
        return probe == null ? Health.UP : probe.check();
    }

    @Override
    public int queueDepth() {
        return queue.depth();
    }

    /** Transactions the writer committed (group commit shows as fewer than entries). */
    long batchesCommitted() {
        return queue.batches();
    }

    /**
     * The writer's connection and its three statements, prepared once per connection (preparing
     * them per batch cost the writer about as much as binding a row); dropped after a failure.
     */
    private record Writer(
            Connection connection,
            PreparedStatement head,
            List<PreparedStatement> inserts,
            PreparedStatement moveHead) {}

    /** The last entry of the chain: its seq and hash (0 and 64 zeros before the first). */
    record Head(long seq, String hash) {}

    /**
     * Where a walk along the chain ended: at its last entry, or at the first broken link.
     *
     * @param broken the first broken link, or null when every entry walked checks
     */
    record Walk(long lastSeq, String lastHash, VerifyResult broken) {
        static Walk broken(VerifyResult result) {
            return new Walk(result.entries(), null, result);
        }
    }

    private Writer writer() throws SQLException {
        if (writer == null) {
            Connection c = connect(true);
            try {
                List<PreparedStatement> inserts = new ArrayList<>();
                for (String sql : insertSql()) {
                    inserts.add(c.prepareStatement(sql));
                }
                writer = new Writer(
                        c,
                        c.prepareStatement(lockHeadSql()),
                        List.copyOf(inserts),
                        c.prepareStatement("UPDATE " + HEAD + " SET seq = ?, hash = ? WHERE id = 1"));
            } catch (SQLException | RuntimeException e) {
                try (c) {
                    throw e;
                }
            }
        }
        return writer;
    }

    /** One transaction: lock the head, chain and insert the batch, move the head. */
    private void writeBatch(List<DecisionRecord> batch) throws SQLException {
        Writer w = writer();
        Connection c = w.connection();
        try {
            beginWrite(c);
            long seq;
            String hash;
            try (ResultSet rs = w.head().executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("the head row of `" + HEAD + "` is missing");
                }
                seq = rs.getLong(1);
                hash = rs.getString(2);
            }
            Head head = insert(w.inserts(), new Head(seq, hash), batch);
            PreparedStatement up = w.moveHead();
            up.setLong(1, head.seq());
            up.setString(2, head.hash());
            up.executeUpdate();
            commit(c);
        } catch (SQLException | RuntimeException e) {
            writer = null;
            try (c) {
                rollback(c);
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        committed(c, batch);
    }

    /**
     * Called on the writer's thread after each commit, with its connection, outside any
     * transaction. Must not throw: the batch is committed, and a failure reported here would have
     * it written again.
     */
    void committed(Connection c, List<DecisionRecord> batch) {}

    /** The statements {@link #insert} is given, prepared once per writer connection. */
    List<String> insertSql() {
        return List.of(INSERT);
    }

    /**
     * Chains {@code batch} after {@code head} and inserts it, inside the writer's transaction;
     * returns the new head. This one writes a row per entry.
     */
    Head insert(List<PreparedStatement> inserts, Head head, List<DecisionRecord> batch) throws SQLException {
        PreparedStatement ins = inserts.getFirst();
        long seq = head.seq();
        String hash = head.hash();
        for (DecisionRecord r : batch) {
            seq++;
            String prev = hash;
            hash = ChainCodec.hash(prev, seq, r);
            bind(ins, seq, r, prev, hash);
            ins.addBatch();
        }
        ins.executeBatch();
        return new Head(seq, hash);
    }

    private static void bind(PreparedStatement ins, long seq, DecisionRecord r, String prev, String hash)
            throws SQLException {
        ins.setLong(1, seq);
        ins.setString(2, r.decisionId());
        ins.setLong(3, ChainCodec.epochNanos(r.time()));
        ins.setString(4, r.kind());
        ins.setString(5, r.caller());
        ins.setString(6, r.principal());
        ins.setString(7, r.action());
        ins.setString(8, r.resource());
        ins.setString(9, r.requestJson());
        ins.setBoolean(10, r.allowed());
        ins.setString(11, ChainCodec.jsonArray(r.reasons()));
        ins.setString(12, ChainCodec.jsonArray(r.errors()));
        ins.setString(13, r.policyVersion());
        ins.setLong(14, r.latencyMicros());
        ins.setString(15, prev);
        ins.setString(16, hash);
        ins.setString(17, r.sessionId());
        ins.setString(18, r.sessionParents().isEmpty() ? null : ChainCodec.jsonArray(r.sessionParents()));
    }

    @Override
    public List<LogEntry> query(LogQuery query) {
        return select(query, false);
    }

    @Override
    public List<LogEntry> latest(LogQuery query) {
        List<LogEntry> newestFirst = new ArrayList<>(select(query, true));
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    private List<LogEntry> select(LogQuery q, boolean newestFirst) {
        Objects.requireNonNull(q, "query");
        if (q.limit() < 0) {
            throw new DecisionLogException("query limit cannot be `" + q.limit() + "`");
        }
        queue.flush();
        try (Connection c = connect(false)) {
            List<LogEntry> out = select(c, q, newestFirst);
            c.commit();
            return out;
        } catch (SQLException e) {
            throw new DecisionLogException("cannot query decision log " + description + ": " + e.getMessage(), e);
        }
    }

    /** The entries {@code q} selects, oldest first or newest first, read on {@code c}. */
    List<LogEntry> select(Connection c, LogQuery q, boolean newestFirst) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + columns() + " FROM " + TABLE + " WHERE seq > ?");
        List<Object> args = new ArrayList<>();
        args.add(q.afterSeq());
        if (q.from() != null) {
            sql.append(" AND time_ns >= ?");
            args.add(ChainCodec.epochNanosClamped(q.from()));
        }
        if (q.to() != null) {
            sql.append(" AND time_ns < ?");
            args.add(ChainCodec.epochNanosClamped(q.to()));
        }
        if (q.principal() != null) {
            sql.append(" AND principal = ?");
            args.add(q.principal());
        }
        if (q.action() != null) {
            sql.append(" AND action = ?");
            args.add(q.action());
        }
        if (q.allowed() != null) {
            sql.append(" AND allowed = ?");
            args.add(q.allowed());
        }
        if (q.policyId() != null) {
            sql.append(" AND ").append(reasonsContainSql());
            args.add(q.policyId());
        }
        if (q.sessionId() != null) {
            sql.append(sessionColumn ? " AND session_id = ?" : " AND NULL = ?");
            args.add(q.sessionId());
        }
        sql.append(newestFirst ? " ORDER BY seq DESC" : " ORDER BY seq").append(" LIMIT ?");
        args.add((long) q.limit());
        try (PreparedStatement st = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                Object a = args.get(i);
                switch (a) {
                    case Long l -> st.setLong(i + 1, l);
                    case Boolean b -> st.setBoolean(i + 1, b);
                    case String s -> st.setString(i + 1, s);
                    default -> st.setNull(i + 1, Types.NULL);
                }
            }
            st.setFetchSize(1000);
            List<LogEntry> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs));
                }
            }
            return out;
        }
    }

    private static LogEntry entry(ResultSet rs) throws SQLException {
        DecisionRecord r = new DecisionRecord(
                rs.getString(2),
                ChainCodec.fromEpochNanos(rs.getLong(3)),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getBoolean(10),
                strings(rs.getString(11), rs.getLong(1)),
                strings(rs.getString(12), rs.getLong(1)),
                rs.getString(13),
                rs.getLong(14),
                rs.getString(17),
                rs.getString(18) == null ? List.of() : strings(rs.getString(18), rs.getLong(1)));
        return new LogEntry(rs.getLong(1), r, rs.getString(15), rs.getString(16));
    }

    private static List<String> strings(String json, long seq) throws SQLException {
        try {
            List<String> list = JSON.readValue(json, STRINGS);
            if (list == null || list.contains(null)) {
                throw new SQLException("entry " + seq + " has a malformed list `" + json + "`");
            }
            return list;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("entry " + seq + " has a malformed list `" + json + "`", e);
        }
    }

    /**
     * Walks the chain in one read snapshot (so a concurrent writer cannot make it look broken):
     * every seq from 1 without gaps, every prevHash equal to the previous hash, every hash equal
     * to the recomputed one, and the last entry equal to the head row.
     */
    @Override
    public VerifyResult verify() {
        queue.flush();
        try (Connection c = connect(false)) {
            beginSnapshot(c);
            long headSeq;
            String headHash;
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT seq, hash FROM " + HEAD + " WHERE id = 1")) {
                if (!rs.next()) {
                    return new VerifyResult(0, 1, VerifyResult.Kind.HEAD, "the head row is missing");
                }
                headSeq = rs.getLong(1);
                headHash = rs.getString(2);
            }
            Walk walk = walk(c);
            if (walk.broken() != null) {
                return walk.broken();
            }
            long last = walk.lastSeq();
            String prev = walk.lastHash();
            c.commit();
            if (headSeq > last) {
                return new VerifyResult(
                        last,
                        last + 1,
                        VerifyResult.Kind.MISSING,
                        "entry " + (last + 1) + " is missing (the head records " + headSeq + " entries)");
            }
            if (headSeq < last) {
                return new VerifyResult(
                        headSeq,
                        headSeq + 1,
                        VerifyResult.Kind.HEAD,
                        "entry " + (headSeq + 1) + " lies beyond the head, which records " + headSeq + " entries");
            }
            if (!headHash.equals(prev)) {
                return new VerifyResult(
                        last - 1,
                        last,
                        VerifyResult.Kind.HEAD,
                        "the head records another hash for entry " + last + " than the chain has");
            }
            return VerifyResult.ok(last);
        } catch (SQLException e) {
            throw new DecisionLogException("cannot verify decision log " + description + ": " + e.getMessage(), e);
        }
    }

    /** Walks the chain from its first entry on {@code c} (inside verify's snapshot); this one walks rows. */
    Walk walk(Connection c) throws SQLException {
        long expected = 1;
        String prev = ChainCodec.GENESIS;
        try (PreparedStatement st = c.prepareStatement("SELECT " + columns() + " FROM " + TABLE + " ORDER BY seq")) {
            st.setFetchSize(1000);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    if (seq != expected) {
                        return Walk.broken(new VerifyResult(
                                expected - 1,
                                expected,
                                VerifyResult.Kind.MISSING,
                                "entry " + expected + " is missing (the next entry is " + seq + ")"));
                    }
                    LogEntry e;
                    try {
                        e = entry(rs);
                    } catch (SQLException malformed) {
                        return Walk.broken(new VerifyResult(
                                expected - 1, seq, VerifyResult.Kind.CONTENT_HASH, malformed.getMessage()));
                    }
                    if (!prev.equals(e.prevHash())) {
                        return Walk.broken(new VerifyResult(
                                expected - 1,
                                seq,
                                VerifyResult.Kind.PREV_HASH_LINK,
                                "prevHash does not match the hash of entry " + (seq - 1)));
                    }
                    if (!ChainCodec.hash(e.prevHash(), seq, e.record()).equals(e.hash())) {
                        return Walk.broken(new VerifyResult(
                                expected - 1,
                                seq,
                                VerifyResult.Kind.CONTENT_HASH,
                                "content does not match its hash (the entry was altered)"));
                    }
                    prev = e.hash();
                    expected++;
                }
            }
        }
        return new Walk(expected - 1, prev, null);
    }

    /**
     * Starts a write transaction. A connection in auto-commit mode (SQLite's writer, see there)
     * gets an explicit {@code BEGIN}; otherwise JDBC has already begun one.
     */
    void beginWrite(Connection c) throws SQLException {}

    private static void commit(Connection c) throws SQLException {
        if (c.getAutoCommit()) {
            try (Statement st = c.createStatement()) {
                st.execute("COMMIT");
            }
        } else {
            c.commit();
        }
    }

    private static void rollback(Connection c) throws SQLException {
        if (c.getAutoCommit()) {
            try (Statement st = c.createStatement()) {
                st.execute("ROLLBACK");
            }
        } else {
            c.rollback();
        }
    }

    private String columns() {
        return BASE_COLUMNS
                + (sessionColumn ? ", session_id" : ", NULL AS session_id")
                + (parentsColumn ? ", session_parents" : ", NULL AS session_parents");
    }

    /** Makes the connection's next reads one consistent snapshot. */
    void beginSnapshot(Connection c) throws SQLException {}

    @Override
    public void close() {
        try {
            if (probe != null) {
                probe.close();
            }
            queue.close(options.commitTimeout());
        } finally {
            Writer w = writer;
            writer = null;
            if (w != null) {
                closeQuietly(w.connection()); // the writes are committed or reported above
            }
        }
    }

    /**
     * Closes {@code c}, if any, ignoring a failure: for connections whose close has nothing left
     * to lose (each caller says why).
     */
    static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // see the caller
            }
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + description + "]";
    }
}
