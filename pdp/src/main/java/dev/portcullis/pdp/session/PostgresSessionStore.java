package dev.portcullis.pdp.session;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Sessions in PostgreSQL, shared by several PDP nodes: {@code jdbcUrl} such as {@code
 * jdbc:postgresql://db:5432/portcullis?user=pdp} (a {@code currentSchema} parameter places the
 * tables in a schema). A node that is asked about a session it does not hold finds it here.
 */
public final class PostgresSessionStore extends JdbcSessionStore {
    private final String jdbcUrl;

    public PostgresSessionStore(String jdbcUrl) {
        super("`" + jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***") + "`");
        this.jdbcUrl = jdbcUrl;
        start();
    }

    @Override
    Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("ApplicationName", "portcullis sessions");
        Connection c = DriverManager.getConnection(jdbcUrl, props);
        c.setAutoCommit(false);
        return c;
    }

    @Override
    void createTables(Connection c) throws SQLException {
        // nodes starting together: concurrent CREATE TABLE IF NOT EXISTS can collide in the catalog
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(hashtext('portcullis.sessions.create'))");
        }
        super.createTables(c);
    }

    @Override
    public boolean shared() {
        return true;
    }
}
