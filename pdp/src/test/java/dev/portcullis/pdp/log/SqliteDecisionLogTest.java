package dev.portcullis.pdp.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision-log contract on the embedded store, a fresh temporary file per test. */
class SqliteDecisionLogTest extends DecisionLogContract {
    @TempDir
    Path dir;

    Path file() {
        return dir.resolve("data").resolve("decisions.db");
    }

    @Override
    JdbcDecisionLog openStore(DecisionLogs.Options options) {
        return new SqliteDecisionLog(file(), options);
    }

    @Override
    Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file());
    }

    @Override
    AutoCloseable blockWriters() throws SQLException {
        // another connection holding SQLite's write lock, as a second process writing would
        Connection c = raw();
        try (Statement st = c.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
        }
        return () -> {
            try (c;
                    Statement st = c.createStatement()) {
                st.execute("ROLLBACK");
            }
        };
    }

    @Test
    void theLogIndexesTimeAndSessionOnly_andALogWithTheOlderIndexesLosesThemWhenOpenedForWriting() throws Exception {
        JdbcDecisionLog first = openStore(DecisionLogs.Options.defaults());
        first.close();
        assertThat(indexes()).containsExactlyInAnyOrder("decision_log_session", "decision_log_time");

        // a log as created before 2026-11-29
        try (Connection c = raw();
                Statement st = c.createStatement()) {
            st.execute("CREATE INDEX decision_log_principal ON decision_log (principal, seq)");
            st.execute("CREATE INDEX decision_log_action ON decision_log (action, seq)");
        }
        openStore(DecisionLogs.Options.defaults().withCreate(false)).close();
        assertThat(indexes()).hasSize(4); // a reader changes nothing
        openStore(DecisionLogs.Options.defaults()).close();
        assertThat(indexes()).containsExactlyInAnyOrder("decision_log_session", "decision_log_time");
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

    private List<String> indexes() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = raw();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'decision_log'"
                                + " AND name NOT LIKE 'sqlite_autoindex%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
