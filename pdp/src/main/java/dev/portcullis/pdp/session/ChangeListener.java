package dev.portcullis.pdp.session;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * PostgreSQL {@code LISTEN} on a connection of its own, on a daemon thread: every notification's
 * payload goes to the listener. After each (re)connection the listener first gets {@link
 * SessionStore#RESYNC}, since whatever was announced while nobody listened is lost; a lost
 * connection is retried with backoff (100 ms doubling to 5 s).
 */
final class ChangeListener implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ChangeListener.class.getName());
    private static final int POLL_MILLIS = 250;

    /** Opens a connection (the store's). */
    @FunctionalInterface
    interface Connector {
        Connection connect() throws SQLException;
    }

    private final Connector connector;
    private final String channel;
    private final Consumer<String> listener;
    private final String description;
    private volatile boolean closed;
    private volatile Connection current;
    private Thread thread;

    ChangeListener(Connector connector, String channel, Consumer<String> listener, String description) {
        this.connector = connector;
        this.channel = channel;
        this.listener = listener;
        this.description = description;
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("session-changes").start(this::run);
    }

    private void run() {
        long backoff = 100;
        while (!closed) {
            try (Connection c = connector.connect()) {
                current = c;
                c.setAutoCommit(true);
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + channel);
                }
                backoff = 100;
                deliver(SessionStore.RESYNC);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] received = pg.getNotifications(POLL_MILLIS);
                    if (received != null) {
                        for (PGNotification n : received) {
                            deliver(n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.log(
                        Level.WARNING,
                        "session change listener on " + description + " lost its connection (retrying in " + backoff
                                + " ms): " + e.getMessage());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(backoff * 2, 5_000);
            } finally {
                current = null;
            }
        }
    }

    private void deliver(String what) {
        try {
            listener.accept(what);
        } catch (RuntimeException e) {
            // a failed refresh must not stop the listening; the next resync catches up
            LOG.log(Level.WARNING, "session change `" + what + "` could not be applied: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            t.join(2 * POLL_MILLIS + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Connection c = current;
        if (t.isAlive() && c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing is all that is left to do
            }
        }
    }
}
