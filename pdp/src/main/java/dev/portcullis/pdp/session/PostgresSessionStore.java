package dev.portcullis.pdp.session;

import dev.portcullis.pdp.store.SqlConnections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * Sessions in PostgreSQL, shared by several PDP nodes: {@code jdbcUrl} such as {@code
 * jdbc:postgresql://db:5432/portcullis?user=pdp} (a {@code currentSchema} parameter places the
 * tables in a schema). A node that is asked about a session it does not hold finds it here.
 */
public final class PostgresSessionStore extends JdbcSessionStore {
    /** The notification channel: one per database, whatever the schema (other schemas' ids are unknown here). */
    static final String CHANNEL = "portcullis_sessions";

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

    /** {@code NOTIFY}, delivered when the transaction commits, one per change. */
    @Override
    public synchronized void announce(Collection<String> changed) {
        if (changed.isEmpty()) {
            return;
        }
        write(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
                for (String what : changed) {
                    st.setString(1, what);
                    st.execute();
                }
            }
            return null;
        });
    }

    /** {@code LISTEN} on a connection of its own (see {@link ChangeListener}). */
    @Override
    public AutoCloseable subscribe(Consumer<String> listener) {
        ChangeListener l = new ChangeListener(this::connect, CHANNEL, listener, toString());
        l.start();
        return l;
    }
}
