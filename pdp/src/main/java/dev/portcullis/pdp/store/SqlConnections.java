package dev.portcullis.pdp.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.sqlite.SQLiteConfig;

/**
 * How the SQL stores of sessions and approvals open their databases: an SQLite file (the embedded
 * default) or PostgreSQL (shared by several nodes). Every connection has auto-commit off.
 */
public final class SqlConnections {
    private SqlConnections() {}

    /** Work on a connection, in one transaction that the caller commits or rolls back. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * The JDBC URL of the SQLite file {@code file}, its directory created when missing.
     *
     * @throws IOException if the directory cannot be created
     */
    public static String sqliteUrl(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        return "jdbc:sqlite:" + absolute;
    }

    /**
     * A connection to an SQLite file in WAL mode, with a 10 s busy timeout (so that it shares the
     * file with other writers, such as the decision log's); {@code fullSync}: every commit is
     * synced ({@code synchronous=FULL}) rather than at checkpoints ({@code NORMAL}).
     */
    public static Connection sqlite(String url, boolean fullSync) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(fullSync ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        return noAutoCommit(DriverManager.getConnection(url, config.toProperties()));
    }

    /** A connection to PostgreSQL, named {@code applicationName} in the server's activity views. */
    public static Connection postgres(String jdbcUrl, String applicationName) throws SQLException {
        Properties props = new Properties();
        props.setProperty("ApplicationName", applicationName);
        return noAutoCommit(DriverManager.getConnection(jdbcUrl, props));
    }

    /**
     * Serializes schema creation among nodes starting together (concurrent {@code CREATE ... IF NOT
     * EXISTS} can collide in PostgreSQL's catalog): a transaction-scoped advisory lock on {@code
     * name}, released at commit.
     */
    public static void lockSchema(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(hashtext('" + name.replace("'", "''") + "'))");
        }
    }

    /** {@code jdbcUrl} in backticks, for messages, with a {@code password=} parameter hidden. */
    public static String describe(String jdbcUrl) {
        return "`" + jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***") + "`";
    }

    private static Connection noAutoCommit(Connection c) throws SQLException {
        try {
            c.setAutoCommit(false);
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }
}
