package dev.portcullis.pdp.approval;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Approvals in PostgreSQL, shared by several PDP nodes: {@code jdbcUrl} such as {@code
 * jdbc:postgresql://db:5432/portcullis?user=pdp} (a {@code currentSchema} parameter places the table
 * in a schema). The table is created when missing. See {@link JdbcApprovalStore} for how the
 * database keeps "one pending per request" and "a grant is used once" across nodes.
 */
public final class PostgresApprovalStore extends JdbcApprovalStore {
    private final String jdbcUrl;

    public PostgresApprovalStore(String jdbcUrl) {
        this(jdbcUrl, DEFAULT_TABLE);
    }

    public PostgresApprovalStore(String jdbcUrl, String table) {
        super(table, "`" + jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***") + "`");
        this.jdbcUrl = jdbcUrl;
        start();
    }

    @Override
    Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("ApplicationName", "portcullis approvals");
        Connection c = DriverManager.getConnection(jdbcUrl, props);
        c.setAutoCommit(false);
        return c;
    }

    @Override
    void createTable(Connection c) throws SQLException {
        // concurrent CREATE ... IF NOT EXISTS from nodes starting together can clash in the catalog
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(hashtext('portcullis.approvals.create'))");
        }
        super.createTable(c);
    }
}
