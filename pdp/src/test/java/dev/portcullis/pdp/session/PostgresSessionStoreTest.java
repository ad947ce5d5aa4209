package dev.portcullis.pdp.session;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract on PostgreSQL (127.0.0.1:5432, database {@code test}, user {@code postgres};
 * override with {@code -Dportcullis.postgres=jdbc:postgresql://...}). Each test gets a schema of
 * its own ({@code sesstore_...}); the tests skip when the server is unreachable.
 */
class PostgresSessionStoreTest extends SessionStoreContract {
    static final String SERVER =
            System.getProperty("portcullis.postgres", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private static String unreachable;

    private String schema;

    @BeforeAll
    static void probe() {
        try (Connection c = DriverManager.getConnection(SERVER)) {
            unreachable = c.isValid(5) ? null : "the connection is not valid";
        } catch (SQLException e) {
            unreachable = e.getMessage();
        }
    }

    @BeforeEach
    void createSchema() throws SQLException {
        assumeTrue(
                unreachable == null,
                () -> "PostgreSQL is not reachable at `" + SERVER + "`, skipping its session-store tests: "
                        + unreachable);
        schema = "sesstore_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(SERVER);
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
    }

    @AfterEach
    void dropSchema() throws SQLException {
        closeStores();
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
    SessionStore openStore() {
        return new PostgresSessionStore(url());
    }
}
