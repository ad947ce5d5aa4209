package dev.portcullis.pdp.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * The embedded decision log: one SQLite file (e.g. {@code ./data/decisions.db}) in WAL mode, so
 * that readers ({@code audit tail}, queries) never block the writer.
 *
 * <p>Writes take SQLite's write lock when their transaction begins ({@code BEGIN IMMEDIATE}), so
 * the head read at its start is the head the batch extends even when another process has the
 * same file open. A durable log syncs every commit ({@code synchronous=FULL}); a buffered one uses
 * {@code synchronous=NORMAL}, which in WAL mode survives a crash of the process but may lose the
 * last commits on power loss.
 *
 * <p>A log this class creates has 16 KiB pages (SQLite's default is 4 KiB); an existing file keeps
 * the page size it was created with (a WAL database cannot change it).
 *
 * <p>The WAL is checkpointed (copied into the database file, so that it can start over) off the
 * writer's thread, by {@link SqliteCheckpointer}, not by SQLite inside the writer's commits.
 *
 * <p>A log this class creates keeps a row per written batch ({@link SqliteBatches}); a log
 * created before 2026-11-30 keeps its row per entry (the row layout of {@link JdbcDecisionLog}).
 */
public final class SqliteDecisionLog extends JdbcDecisionLog {
    /**
     * The page size of new logs. Larger pages mean fewer WAL frames, write calls and B-tree
     * splits per entry: the writer's CPU per entry in {@code bench/load/WriterBench.java}
     * (2026-11-29, one CPU, 60,000 entries/s) was 4.5 µs with 4 KiB, 4.2 with 8, 3.9 with 16, 3.7
     * with 32 and 64. Beyond 16 KiB the gain is small and the cost grows: every commit rewrites
     * the last, partly filled page of the table and of each index in full, so at low rates the
     * bytes written per entry grow with the page (at 1,000 entries/s, 4.7 KB with 4 KiB pages,
     * 10.8 KB with 16 KiB). Measured again for the batch layout (2026-11-30, 30,000 entries/s):
     * 8 and 4 KiB pages wrote 8 and 11 % fewer bytes per entry but cost the writer 4 and 16 % more
     * CPU (means of four rounds of bench/load/WriterBench.java).
     */
    static final int PAGE_SIZE = 16_384;

    private final String url;
    private final DecisionLogs.Options options;
    /** The batch layout's part, or null for a log in the row layout (created before it). */
    private final SqliteBatches batches;
    /** Checkpoints the WAL for the writer, so that it does not stall on the copy. */
    private final SqliteCheckpointer checkpointer;

    public SqliteDecisionLog(Path file, DecisionLogs.Options options) {
        this(file, options, false, SqliteCheckpointer.DEFAULT_TRIGGER_BYTES);
    }

    /** @see #SqliteDecisionLog(Path, DecisionLogs.Options, boolean, long) */
    SqliteDecisionLog(Path file, DecisionLogs.Options options, boolean rows) {
        this(file, options, rows, SqliteCheckpointer.DEFAULT_TRIGGER_BYTES);
    }

    /**
     * @param rows whether a new log gets the row layout, as logs created before the batch layout
     *     have (for the tests of such logs); an existing log keeps the layout it has
     * @param checkpointBytes the estimated WAL growth after which the WAL is checkpointed
     */
    SqliteDecisionLog(Path file, DecisionLogs.Options options, boolean rows, long checkpointBytes) {
        super(options, "`" + file + "`");
        this.options = options;
        Path absolute = file.toAbsolutePath();
        if (options.create()) {
            try {
                Path dir = absolute.getParent();
                if (dir != null) {
                    Files.createDirectories(dir);
                }
            } catch (IOException e) {
                throw new DecisionLogException("cannot create the directory of decision log `" + file + "`: " + e);
            }
        } else if (!Files.isRegularFile(absolute)) {
            throw new DecisionLogException("no decision log at `" + file + "`");
        }
        this.url = "jdbc:sqlite:" + absolute;
        if (options.create()) {
            setPageSizeIfNew(absolute);
        }
        this.batches = hasRowTable(rows) ? null : new SqliteBatches();
        this.checkpointer = new SqliteCheckpointer(
                "decision-log-checkpointer-sqlite", absolute, this::checkpointerConnection, checkpointBytes);
        try {
            start("decision-log-writer-sqlite");
        } catch (RuntimeException e) {
            checkpointer.close();
            throw e;
        }
    }

    /** The checkpoints' part, for tests. */
    SqliteCheckpointer checkpointer() {
        return checkpointer;
    }

    /**
     * Whether the log is (or, when new and {@code rows}, is to be) in the row layout: it has the
     * row table and not the batch table.
     */
    private boolean hasRowTable(boolean rows) {
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement st =
                        c.prepareStatement("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)")) {
            st.setString(1, TABLE);
            st.setString(2, SqliteBatches.BATCHES);
            boolean rowTable = false;
            boolean batchTable = false;
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rowTable |= rs.getString(1).equals(TABLE);
                    batchTable |= rs.getString(1).equals(SqliteBatches.BATCHES);
                }
            }
            return rowTable ? !batchTable : rows && !batchTable;
        } catch (SQLException e) {
            throw new DecisionLogException(
                    "cannot read decision log `" + url.substring("jdbc:sqlite:".length()) + "`: " + e.getMessage(), e);
        }
    }

    /** Whether this log keeps one row per batch (every log created since 2026-11-30). */
    boolean batchLayout() {
        return batches != null;
    }

    @Override
    void createTables(Connection c) throws SQLException {
        if (batches == null) {
            super.createTables(c);
            return;
        }
        try (Statement st = c.createStatement()) {
            SqliteBatches.createTables(st);
            createHead(st);
        }
    }

    @Override
    void inspect(Connection c) throws SQLException {
        if (batches == null) {
            super.inspect(c);
        }
    }

    @Override
    List<String> insertSql() {
        return batches == null ? super.insertSql() : SqliteBatches.insertSql();
    }

    @Override
    Head insert(List<PreparedStatement> inserts, Head head, List<DecisionRecord> batch) throws SQLException {
        return batches == null ? super.insert(inserts, head, batch) : batches.insert(inserts, head, batch);
    }

    @Override
    List<LogEntry> select(Connection c, LogQuery q, boolean newestFirst) throws SQLException {
        return batches == null ? super.select(c, q, newestFirst) : batches.select(c, q, newestFirst);
    }

    @Override
    Walk walk(Connection c) throws SQLException {
        return batches == null ? super.walk(c) : batches.walk(c);
    }

    /**
     * Gives a file that holds no database yet {@link #PAGE_SIZE}-byte pages. The size must be set
     * before the first write fixes it; switching to WAL is that write, so both happen here, before
     * the connection that creates the tables is opened in WAL mode.
     */
    private void setPageSizeIfNew(Path file) {
        try {
            if (Files.exists(file) && Files.size(file) > 0) {
                return;
            }
        } catch (IOException e) {
            throw new DecisionLogException("cannot read decision log `" + file + "`: " + e);
        }
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            st.execute("PRAGMA page_size = " + PAGE_SIZE);
            st.execute("PRAGMA journal_mode = WAL");
        } catch (SQLException e) {
            throw new DecisionLogException("cannot create decision log `" + file + "`: " + e.getMessage(), e);
        }
    }

    /**
     * The connections' settings. The synchronous one matters to every connection that writes and
     * to the checkpointer's too: a checkpoint syncs the files as its connection's setting says.
     */
    private SQLiteConfig config() {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(
                options.durable() ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        return config;
    }

    /** The checkpointer's connection: in auto-commit mode, as a checkpoint must run outside a transaction. */
    private Connection checkpointerConnection() throws SQLException {
        return DriverManager.getConnection(url, config().toProperties());
    }

    @Override
    Connection connect(boolean writer) throws SQLException {
        SQLiteConfig config = config();
        if (writer) {
            // SQLite's multi-thread mode for this connection: no connection mutex locked and
            // unlocked around every call on it (pthread mutex calls were about 5 % of the writer's
            // CPU in serialized mode, part of them SQLite's global mutexes, which stay).
            // INVARIANT: safe only while no two threads are ever inside SQLite on this connection
            // at once. start() uses its connection on one thread and closes it before the writer
            // starts; the writer's is the writer thread's (WriteQueue) and, besides, only closed
            // by close(), normally after that thread has ended; if close() gives up waiting for it,
            // the two may overlap, but sqlite-jdbc runs every call on a connection, close
            // included, synchronized on its DB object (all its native methods but interrupt(),
            // which SQLite allows from any thread and the writer never uses, and the library's
            // version), so the calls still come one at a time, with the memory ordering the mutex
            // gave them.
            config.setOpenMode(SQLiteOpenMode.NOMUTEX);
        }
        Connection c = DriverManager.getConnection(url, config.toProperties());
        if (writer) {
            try {
                SqliteCheckpointer.disableAutomaticCheckpoint(c);
            } catch (SQLException e) {
                try (c) {
                    throw e;
                }
            }
        }
        // The writer manages its transactions itself: the driver would begin the next one right
        // after each commit, and with BEGIN IMMEDIATE hold the write lock between batches.
        c.setAutoCommit(writer);
        return c;
    }

    @Override
    void committed(Connection c, List<DecisionRecord> batch) {
        checkpointer.committed(c, SqliteCheckpointer.estimate(batch));
    }

    /** Stops the writer, then the checkpointer; the last connection to close checkpoints the rest. */
    @Override
    public void close() {
        try {
            super.close();
        } finally {
            checkpointer.close();
        }
    }

    @Override
    void beginWrite(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
        }
    }

    @Override
    String seqType() {
        return "INTEGER"; // INTEGER PRIMARY KEY makes seq the rowid: no second index
    }

    /**
     * No: each index costs every insert a B-tree update, and the two cost the writer about 2 µs
     * of its 9–11 µs per entry (bench/load/WriterBench.java), on the same CPUs as the decisions.
     * Without them a query by principal or action scans the log from its newest entry until it
     * has its page: milliseconds when the value is common, about a second over 1,000,000
     * entries when it is absent (bench/load/QueryBench.java, docs/performance.md); a time range
     * bounds the scan.
     */
    @Override
    boolean indexesEveryFilter() {
        return false;
    }

    @Override
    String lockHeadSql() {
        // the transaction already holds the write lock (BEGIN IMMEDIATE)
        return "SELECT seq, hash FROM " + HEAD + " WHERE id = 1";
    }

    @Override
    boolean hasColumn(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM pragma_table_info(?) WHERE name = ?")) {
            st.setString(1, table);
            st.setString(2, column);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    String reasonsContainSql() {
        return "EXISTS (SELECT 1 FROM json_each(reasons) WHERE json_each.value = ?)";
    }
}
