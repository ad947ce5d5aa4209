package dev.portcullis.pdp.log;

import dev.portcullis.pdp.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The decision-log contract on PostgreSQL ({@link TestPostgres}), a schema per test. */
class PostgresDecisionLogTest extends DecisionLogContract {
    private String schema;

    @BeforeEach
    void createSchema() throws SQLException {
        schema = TestPostgres.createSchema("declog_", "decision-log");
    }

    @AfterEach
    void dropSchema() throws SQLException {
        closeLogs();
        TestPostgres.dropSchema(schema);
    }

    String url() {
        return TestPostgres.url(schema);
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
