package dev.portcullis.pdp.approval;

import dev.portcullis.pdp.store.SqlConnections;
import java.sql.Connection;
import java.sql.SQLException;

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
        super(table, SqlConnections.describe(jdbcUrl));
        this.jdbcUrl = jdbcUrl;
        start();
    }

    @Override
    Connection connect() throws SQLException {
        return SqlConnections.postgres(jdbcUrl, "portcullis approvals");
    }

    @Override
    void createTable(Connection c) throws SQLException {
        SqlConnections.lockSchema(c, "portcullis.approvals.create");
        super.createTable(c);
    }
}
