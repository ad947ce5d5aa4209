package dev.portcullis.pdp.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Checkpoints a SQLite decision log's write-ahead log (copies its pages into the database file, so
 * that the WAL can start over) without stalling the log's writer.
 *
 * <p>Left to SQLite, the checkpoint runs on the writer's thread, inside the commit that takes the
 * WAL past 1,000 pages: with 16 KiB pages, a 16 MB copy and two {@code fsync}s, tens of
 * milliseconds every half second under load, while decisions queue up behind it (up to 92 % of the
 * queue in bench/load, docs/performance.md, session 14). Here the writer's connection has the
 * automatic checkpoint off, and a cycle goes:
 *
 * <ol>
 *   <li>the writer, after each commit, adds the commit's WAL growth, estimated, to its counts.
 *       Every eighth of the trigger it wakes this class's thread, which copies what the WAL holds
 *       so far on a connection of its own, with a {@code PASSIVE} checkpoint: one that never waits
 *       for a lock and never holds one the writer needs. (Copying a whole cycle at once kept the
 *       thread on a CPU for about 60 ms, beside an event loop.)
 *   <li>at the trigger, the thread copies what is left until little is, while the writer goes on
 *       appending. Then it syncs the database file and the WAL itself: SQLite syncs the database
 *       only at the end of a checkpoint that reaches the end of the WAL, which here is the
 *       writer's, and that sync would write out all the thread copied (8.5 ms in {@code
 *       bench/load/WriterBench.java}, against 1–2 ms for the rest of the writer's part);
 *   <li>the writer, after its next commit, runs one more {@code PASSIVE} checkpoint itself. Nothing
 *       appends while it runs, so it copies the last few pages and completes, unless a reader
 *       still reads an older snapshot; and the writer's next transaction starts the WAL over.
 * </ol>
 *
 * A checkpoint from the other connection alone never completes under load: the writer appends
 * while it copies, so the WAL never starts over and grows without bound (675 MB in {@code
 * bench/load/WriterBench.java}). A {@code RESTART} checkpoint from there does complete, but holds
 * the write lock while it finishes, and the writer waits for it.
 *
 * <p>When the thread fails (it cannot open its connection, a checkpoint fails), it reports once
 * and stops, and the writer checkpoints as SQLite would have: on its own thread, at the trigger.
 */
final class SqliteCheckpointer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SqliteCheckpointer.class.getName());

    /**
     * The WAL growth, as the writer estimates it, that starts a cycle: SQLite's default automatic
     * checkpoint, 1,000 pages, of the log's 16 KiB pages.
     */
    static final long DEFAULT_TRIGGER_BYTES = 1_000L * SqliteDecisionLog.PAGE_SIZE;

    /**
     * What an entry adds to the WAL besides its request: its canonical encoding is about 360
     * bytes longer than the request's JSON (bench/load's entries: 690 bytes for a 330-byte
     * request). An estimate is enough: it only decides when a cycle starts.
     */
    private static final int ENTRY_OVERHEAD_BYTES = 400;

    /**
     * What a commit adds to the WAL besides its entries: the partly filled pages it rewrites (the
     * head row's page, the last page of the batch table and of the session index).
     */
    private static final int COMMIT_OVERHEAD_BYTES = 3 * SqliteDecisionLog.PAGE_SIZE;

    /** Pages the thread may leave for the writer's last checkpoint: 1 MiB with 16 KiB pages. */
    private static final int FINISH_FRAMES = 64;

    /** The thread's checkpoints per cycle at most, should the writer outpace them. */
    private static final int MAX_ROUNDS = 6;

    /** The least time between two cycles, should readers keep them from completing. */
    private static final long MIN_CYCLE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /**
     * The pieces the thread copies the WAL in between two cycles' ends: a whole cycle's copy at
     * once kept it on a CPU for about 60 ms, beside an event loop.
     */
    private static final int PIECES = 8;

    private static final int IDLE = 0;
    private static final int COPYING = 1; // the thread copies a piece
    private static final int ENDING = 2; // the thread copies the rest and syncs
    private static final int FINISHING = 3; // the writer's last checkpoint is due
    private static final int FAILED = 4;
    private static final int CLOSED = 5;

    private final Callable<Connection> connect;
    private final Path database;
    private final Path wal;
    private final long triggerBytes;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final Thread thread;
    private final AtomicLong cycles = new AtomicLong();
    private final AtomicLong writerCopies = new AtomicLong();

    /** The writer's estimate of the WAL's growth since the last completed cycle (writer thread only). */
    private long sinceCycle;

    /** The same since the thread last copied (writer thread only). */
    private long sincePiece;

    private Connection connection; // the thread's own

    /**
     * The thread's handles on the database file and the WAL, for their syncs. Closed only after
     * every connection: closing a file descriptor releases every POSIX lock the process holds on
     * the file, SQLite's included, which SQLite could not know.
     */
    private FileChannel databaseFile;

    private FileChannel walFile;

    /**
     * @param database the database file, whose WAL is its name followed by {@code -wal}
     * @param connect opens the thread's connection: to the same file, with the writer's
     *     synchronous setting (a checkpoint syncs as its connection's setting says)
     * @param triggerBytes the estimated WAL growth that starts a cycle
     */
    SqliteCheckpointer(String threadName, Path database, Callable<Connection> connect, long triggerBytes) {
        this.connect = connect;
        this.database = database;
        this.wal = Path.of(database + "-wal");
        this.triggerBytes = triggerBytes;
        // started by the writer's first piece: a log only read (audit verify, tail) never needs it
        this.thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::run);
    }

    /** Turns the writer connection's automatic checkpoint off; the cycles replace it. */
    static void disableAutomaticCheckpoint(Connection writer) throws SQLException {
        try (Statement st = writer.createStatement()) {
            st.execute("PRAGMA wal_autocheckpoint = 0");
        }
    }

    /** The WAL growth a committed batch of {@code records} adds, estimated. */
    static long estimate(Iterable<DecisionRecord> records) {
        long bytes = COMMIT_OVERHEAD_BYTES;
        for (DecisionRecord r : records) {
            bytes += ENTRY_OVERHEAD_BYTES
                    + (r.requestJson() == null ? 0 : r.requestJson().length());
        }
        return bytes;
    }

    /**
     * Called by the writer after each commit, on its thread, with its connection (outside any
     * transaction) and the commit's estimated WAL growth. Never throws: the batch is committed
     * whatever happens here.
     */
    void committed(Connection writer, long bytes) {
        try {
            advance(writer, bytes);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "decision log checkpoint after a commit failed: " + e);
        }
    }

    private void advance(Connection writer, long bytes) {
        sinceCycle += bytes;
        sincePiece += bytes;
        switch (state.get()) {
            case IDLE -> {
                int next = sinceCycle >= triggerBytes ? ENDING : sincePiece >= triggerBytes / PIECES ? COPYING : IDLE;
                if (next != IDLE && state.compareAndSet(IDLE, next)) {
                    sincePiece = 0;
                    if (thread.getState() == Thread.State.NEW) {
                        thread.start();
                    }
                    LockSupport.unpark(thread);
                }
            }
            case FINISHING -> {
                Checkpoint last = checkpoint(writer, "the writer's last checkpoint of a cycle");
                if (last != null && last.complete()) {
                    sinceCycle = 0;
                    cycles.incrementAndGet();
                }
                // incomplete (a reader holds an older snapshot): the next commit starts another cycle
                state.compareAndSet(FINISHING, IDLE);
            }
            case FAILED -> {
                if (sinceCycle >= triggerBytes) {
                    writerCopies.incrementAndGet();
                    Checkpoint c = checkpoint(writer, "a checkpoint on the writer's thread");
                    if (c != null && c.complete()) {
                        sinceCycle = 0;
                    }
                }
            }
            default -> {} // COPYING, ENDING: the thread is at it; CLOSED: nothing more to do
        }
    }

    /** Cycles that completed, so that the WAL started over (for tests). */
    long cycles() {
        return cycles.get();
    }

    /** Checkpoints the writer ran alone, after this class's thread failed (for tests). */
    long writerCopies() {
        return writerCopies.get();
    }

    /**
     * Stops the thread and closes its connection and files; the writer's next commits checkpoint
     * nothing. Call it after the log's other connections are closed (see {@link #databaseFile}).
     */
    @Override
    public void close() {
        state.set(CLOSED);
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            closeConnection();
            closeFiles();
        }
    }

    private void run() {
        long lastCycle = System.nanoTime() - MIN_CYCLE_NANOS;
        while (true) {
            int s = state.get();
            if (s == CLOSED || s == FAILED) {
                break;
            }
            if (s != COPYING && s != ENDING) {
                LockSupport.park(this);
                continue;
            }
            long wait = lastCycle + MIN_CYCLE_NANOS - System.nanoTime();
            if (s == ENDING && wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue;
            }
            try {
                if (connection == null) {
                    connection = connect.call();
                    databaseFile = FileChannel.open(database, StandardOpenOption.READ);
                    walFile = FileChannel.open(wal, StandardOpenOption.READ);
                }
                if (s == COPYING) {
                    passive(connection);
                    state.compareAndSet(COPYING, IDLE);
                    continue;
                }
                lastCycle = System.nanoTime();
                boolean copied = false;
                for (int round = 0; round < MAX_ROUNDS && state.get() == ENDING; round++) {
                    Checkpoint c = passive(connection);
                    copied |= c.copied() > 0;
                    if (c.busy() || c.frames() - c.copied() <= FINISH_FRAMES) {
                        break;
                    }
                }
                if (copied) {
                    databaseFile.force(true);
                    walFile.force(true);
                }
                state.compareAndSet(ENDING, FINISHING);
            } catch (Exception e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "decision log checkpoints moved back to the writer's thread: " + e.getMessage());
                closeConnection();
                int now = state.get();
                if (now != CLOSED) {
                    state.compareAndSet(now, FAILED);
                }
            }
        }
        if (state.get() == FAILED) {
            closeConnection();
        }
    }

    private void closeFiles() {
        for (FileChannel f : new FileChannel[] {databaseFile, walFile}) {
            if (f != null) {
                try {
                    f.close();
                } catch (IOException ignored) {
                    // read-only handles: nothing to lose
                }
            }
        }
        databaseFile = null;
        walFile = null;
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        JdbcDecisionLog.closeQuietly(c); // a checkpoint only copies what the WAL already holds
    }

    /** Runs a PASSIVE checkpoint on the writer's connection, reporting a failure instead of throwing. */
    private static Checkpoint checkpoint(Connection writer, String what) {
        try {
            return passive(writer);
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, what + " failed: " + e.getMessage());
            return null;
        }
    }

    /**
     * Copies what it can of the WAL into the database without waiting for any lock ({@code busy}
     * when another connection is checkpointing).
     */
    static Checkpoint passive(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            if (!rs.next()) {
                throw new SQLException("PRAGMA wal_checkpoint returned no row");
            }
            return new Checkpoint(rs.getInt(1) != 0, rs.getLong(2), rs.getLong(3));
        }
    }

    /**
     * What {@code PRAGMA wal_checkpoint} reports.
     *
     * @param busy whether another connection held the checkpoint lock
     * @param frames the frames in the WAL (-1 when the database is not in WAL mode)
     * @param copied the frames of it now in the database
     */
    record Checkpoint(boolean busy, long frames, long copied) {
        /** Whether the WAL is all copied, so the next write transaction starts it over. */
        boolean complete() {
            return !busy && frames == copied;
        }
    }
}
