package dev.portcullis.pdp.session;

import dev.portcullis.pdp.store.SqlConnections;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Sessions in PostgreSQL, shared by several PDP nodes: {@code jdbcUrl} such as {@code
 * jdbc:postgresql://db:5432/portcullis?user=pdp} (a {@code currentSchema} parameter places the
 * tables in a schema). A node that is asked about a session it does not hold finds it here.
 */
public final class PostgresSessionStore extends JdbcSessionStore {
    private final String jdbcUrl;

    public PostgresSessionStore(String jdbcUrl) {
        super(SqlConnections.describe(jdbcUrl));
        this.jdbcUrl = jdbcUrl;
        start();
    }

    @Override
    Connection connect() throws SQLException {
        return SqlConnections.postgres(jdbcUrl, "portcullis sessions");
    }

    @Override
    void createTables(Connection c) throws SQLException {
        SqlConnections.lockSchema(c, "portcullis.sessions.create");
        super.createTables(c);
    }

    @Override
    public boolean shared() {
        return true;
    }
}
