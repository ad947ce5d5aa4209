package dev.portcullis.pdp.log;

import dev.portcullis.pdp.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The decision-log contract on PostgreSQL (127.0.0.1:5432, database {@code test}, user
 * {@code postgres}; override with {@code -Dportcullis.postgres=jdbc:postgresql://...}). Each test
 * gets a schema of its own, so parallel runs do not collide; the tests skip when the server is
 * unreachable.
 */
class PostgresDecisionLogTest extends DecisionLogContract {
    static final String SERVER = TestPostgres.SERVER;

    private String schema;

    @BeforeEach
    void createSchema() throws SQLException {
        TestPostgres.assumeReachable("decision-log");
        schema = "declog_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(SERVER);
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
    }

    @AfterEach
    void dropSchema() throws SQLException {
        closeLogs();
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(SERVER);
                    Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    String url() {
        return SERVER + (SERVER.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Override
    JdbcDecisionLog openStore(DecisionLogs.Options options) {
        return new PostgresDecisionLog(url(), options);
    }

    @Override
    Connection raw() throws SQLException {
        return DriverManager.getConnection(url());
    }

    @Override
    AutoCloseable blockWriters() throws SQLException {
        // another node in the middle of a batch: it holds the head row
        Connection c = raw();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.executeQuery("SELECT seq FROM decision_log_head WHERE id = 1 FOR UPDATE")
                    .close();
        }
        return () -> {
            try (c) {
                c.rollback();
            }
        };
    }
}
