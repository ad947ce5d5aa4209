package dev.portcullis.pdp.approval;

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
 * The approval-store contract on PostgreSQL (127.0.0.1:5432, database {@code test}, user {@code
 * postgres}; override with {@code -Dportcullis.postgres=jdbc:postgresql://...}). Each test gets a
 * table of its own, and two handles on it stand for two PDP nodes; the tests skip when the server
 * is unreachable.
 */
class PostgresApprovalStoreTest extends ApprovalStoreContract {
    static final String SERVER =
            System.getProperty("portcullis.postgres", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private static String unreachable;

    private String table;

    @BeforeAll
    static void probe() {
        try (Connection c = DriverManager.getConnection(SERVER)) {
            unreachable = c.isValid(5) ? null : "the connection is not valid";
        } catch (SQLException e) {
            unreachable = e.getMessage();
        }
    }

    @BeforeEach
    void pickTable() {
        assumeTrue(
                unreachable == null,
                () -> "PostgreSQL is not reachable at `" + SERVER + "`, skipping its approval-store tests: "
                        + unreachable);
        table = "approvals_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    @AfterEach
    void dropTable() throws SQLException {
        closeStores();
        if (table != null) {
            try (Connection c = DriverManager.getConnection(SERVER);
                    Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    @Override
    ApprovalStore openStore() {
        return new PostgresApprovalStore(SERVER, table);
    }
}
