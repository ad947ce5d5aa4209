package dev.portcullis.pdp.approval;

import dev.portcullis.pdp.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The approval-store contract on PostgreSQL ({@link TestPostgres}). Each test gets a table of its own, and two handles on it stand for two PDP nodes; the tests skip when the server
 * is unreachable.
 */
class PostgresApprovalStoreTest extends ApprovalStoreContract {
    static final String SERVER = TestPostgres.SERVER;

    private String table;

    @BeforeEach
    void pickTable() {
        TestPostgres.assumeReachable("approval-store");
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
