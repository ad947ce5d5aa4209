package dev.portcullis.pdp.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * The WAL checkpoints of the embedded log: off the writer's thread, yet the WAL starts over, so it
 * stays bounded while the log grows. The writer's connection has SQLite's automatic checkpoint
 * off, so without these cycles the WAL would hold everything written.
 */
class SqliteCheckpointerTest {
    private static final long TRIGGER = 256 * 1024;

    @TempDir
    Path dir;

    @Test
    void theWalStaysBoundedWhileTheLogGrows_andTheCheckpointsAreNotTheWriters() throws Exception {
        Path file = dir.resolve("decisions.db");
        String request = "{\"subject\":{\"type\":\"user\",\"id\":\"alice\",\"properties\":{\"note\":\""
                + "x".repeat(1_000) + "\"}},\"action\":{\"name\":\"view\"}}";
        int n = 20_000; // about 30 MB of entries, a hundred times the trigger
        DecisionLogs.Options options = DecisionLogs.Options.defaults().withQueueCapacity(n);
        try (SqliteDecisionLog log = new SqliteDecisionLog(file, options, false, TRIGGER)) {
            assertThat(threadsNamed("decision-log-checkpointer"))
                    .as("none before the first write")
                    .isZero();
            for (int i = 0; i < n; i++) {
                log.append(record("d-" + i, request));
            }
            assertThat(log.query(new LogQuery(null, null, null, null, null, null, n - 1, 1)))
                    .hasSize(1); // waits for the writer

            long wal = Files.size(Path.of(file + "-wal"));
            long database = Files.size(file);
            assertThat(database)
                    .as("entries copied into the database while the log is open")
                    .isGreaterThan(20L << 20);
            assertThat(wal)
                    .as("the WAL, which starts over after each cycle, against about 28 MB of entries")
                    .isLessThan(14L << 20);
            assertThat(log.checkpointer().cycles()).isGreaterThanOrEqualTo(2);
            assertThat(log.checkpointer().writerCopies()).isZero();
            assertThat(threadsNamed("decision-log-checkpointer")).isEqualTo(1);
        }
        assertThat(threadsNamed("decision-log-checkpointer"))
                .as("stopped by close")
                .isZero();
        try (SqliteDecisionLog log = new SqliteDecisionLog(file, DecisionLogs.Options.defaults())) {
            assertThat(log.verify().problem()).isNull();
            assertThat(log.verify().entries()).isEqualTo(n);
        }
    }

    @Test
    void whenTheCheckpointerCannotConnect_theWriterCheckpointsItself() throws Exception {
        try (Wal wal = new Wal(dir.resolve("t.db"));
                SqliteCheckpointer checkpointer = new SqliteCheckpointer(
                        "decision-log-checkpointer-test",
                        wal.file,
                        () -> {
                            throw new SQLException("no connection for you");
                        },
                        TRIGGER)) {
            for (int i = 0; i < 200 && checkpointer.writerCopies() < 3; i++) {
                wal.commit(checkpointer, 64 * 1024);
                TimeUnit.MILLISECONDS.sleep(1); // the thread fails on its own time
            }
            assertThat(checkpointer.writerCopies()).isGreaterThanOrEqualTo(3);
            assertThat(checkpointer.cycles()).isZero();
            assertThat(wal.walSize()).isLessThan(4 * TRIGGER);
        }
    }

    @Test
    void aReaderOfAnOldSnapshotDelaysTheWalsRestart_butDoesNotStopIt() throws Exception {
        Path file = dir.resolve("t.db");
        // closed in reverse: the database before the checkpointer's file handles (see there)
        try (SqliteCheckpointer checkpointer =
                        new SqliteCheckpointer("decision-log-checkpointer-test", file, () -> connect(file), TRIGGER);
                Wal wal = new Wal(file)) {
            wal.commit(checkpointer, 64 * 1024);
            try (Connection reader = connect(file);
                    Statement st = reader.createStatement()) {
                st.execute("BEGIN");
                st.executeQuery("SELECT count(*) FROM t").close(); // holds this snapshot
                for (int i = 0; i < 40; i++) {
                    wal.commit(checkpointer, 64 * 1024);
                    TimeUnit.MILLISECONDS.sleep(2);
                }
                assertThat(checkpointer.cycles())
                        .as("no restart while the snapshot is read")
                        .isZero();
                assertThat(wal.walSize()).isGreaterThan(40 * 64 * 1024);
                st.execute("COMMIT");
            }
            for (int i = 0; i < 400 && checkpointer.cycles() < 2; i++) {
                wal.commit(checkpointer, 64 * 1024);
                TimeUnit.MILLISECONDS.sleep(2);
            }
            assertThat(checkpointer.cycles()).isGreaterThanOrEqualTo(2);
            long restarted = wal.walSize();
            for (int i = 0; i < 100; i++) { // 6.4 MB more
                wal.commit(checkpointer, 64 * 1024);
                TimeUnit.MILLISECONDS.sleep(1);
            }
            assertThat(wal.walSize()).as("reused from its start, not grown").isLessThan(restarted + (1 << 20));
        }
    }

    private static DecisionRecord record(String id, String request) {
        return new DecisionRecord(
                id,
                Instant.now(),
                "evaluation",
                "anonymous",
                "User::\"alice\"",
                "Action::\"view\"",
                "Photo::\"a.jpg\"",
                request,
                true,
                List.of("policy0"),
                List.of(),
                "sha256:0",
                1);
    }

    private static long threadsNamed(String prefix) {
        Map<Thread, ?> threads = Thread.getAllStackTraces();
        return threads.keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive())
                .count();
    }

    private static Connection connect(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        return DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
    }

    /** A WAL database written as the log's writer writes: explicit transactions, no automatic checkpoint. */
    private static final class Wal implements AutoCloseable {
        private final Path file;
        private final Connection writer;
        private final PreparedStatement insert;

        Wal(Path file) throws SQLException {
            this.file = file;
            this.writer = connect(file);
            SqliteCheckpointer.disableAutomaticCheckpoint(writer);
            try (Statement st = writer.createStatement()) {
                st.execute("CREATE TABLE t (b BLOB)");
            }
            this.insert = writer.prepareStatement("INSERT INTO t (b) VALUES (?)");
        }

        void commit(SqliteCheckpointer checkpointer, int bytes) throws SQLException {
            try (Statement st = writer.createStatement()) {
                st.execute("BEGIN IMMEDIATE");
                insert.setBytes(1, new byte[bytes]);
                insert.executeUpdate();
                st.execute("COMMIT");
            }
            checkpointer.committed(writer, bytes);
        }

        long walSize() throws java.io.IOException {
            return Files.size(Path.of(file + "-wal"));
        }

        @Override
        public void close() throws SQLException {
            writer.close();
        }
    }
}
