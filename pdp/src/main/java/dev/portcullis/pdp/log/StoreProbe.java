package dev.portcullis.pdp.log;

import dev.portcullis.pdp.log.DecisionLog.Health;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Asks a database whether it answers ({@code SELECT 1}) for {@link DecisionLog#health()}, at most
 * once per {@code interval}: readiness probes from every orchestrator replica would otherwise each
 * cost a round trip. It keeps one connection for the purpose and opens a new one once when the kept
 * one fails, so a connection dropped by an idle timeout or a database restart does not report the
 * store as down.
 */
final class StoreProbe implements AutoCloseable {
    /** Opens a connection with short connect and socket timeouts. */
    interface Connector {
        Connection connect() throws SQLException;
    }

    private final Connector connector;
    private final long intervalNanos;
    private final int timeoutSeconds;
    private Connection connection;
    private Health last;
    private long lastAtNanos;
    private boolean closed;

    StoreProbe(Connector connector, Duration interval, int timeoutSeconds) {
        this.connector = connector;
        this.intervalNanos = interval.toNanos();
        this.timeoutSeconds = timeoutSeconds;
    }

    /** The store's answer, at most {@code interval} old; probes that overlap share one round trip. */
    synchronized Health check() {
        if (closed) {
            return Health.down("decision log is closed");
        }
        long now = System.nanoTime();
        if (last != null && now - lastAtNanos < intervalNanos) {
            return last;
        }
        Health h;
        try {
            ping();
        } catch (SQLException first) {
            drop();
            try {
                ping();
            } catch (SQLException e) {
                drop();
                h = Health.down("the decision log store does not answer: " + e.getMessage());
                last = h;
                lastAtNanos = System.nanoTime();
                return h;
            }
        }
        last = Health.UP;
        lastAtNanos = System.nanoTime();
        return last;
    }

    private void ping() throws SQLException {
        if (connection == null) {
            connection = connector.connect();
        }
        try (Statement st = connection.createStatement()) {
            st.setQueryTimeout(timeoutSeconds);
            st.executeQuery("SELECT 1").close();
        }
        if (!connection.getAutoCommit()) {
            connection.rollback();
        }
    }

    private void drop() {
        Connection c = connection;
        connection = null;
        JdbcDecisionLog.closeQuietly(c); // it is being dropped because it failed
    }

    @Override
    public synchronized void close() {
        closed = true;
        drop();
    }
}
