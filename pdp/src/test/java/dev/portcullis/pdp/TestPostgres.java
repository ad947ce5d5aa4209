package dev.portcullis.pdp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL server the store tests use (127.0.0.1:5432, database {@code test}, user {@code
 * postgres}; override with {@code -Dportcullis.postgres=jdbc:postgresql://...}). Each test works in
 * a schema of its own, so parallel runs do not collide; a test skips when the server is
 * unreachable.
 */
public final class TestPostgres {
    public static final String SERVER =
            System.getProperty("portcullis.postgres", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private static String unreachable;
    private static boolean probed;

    private TestPostgres() {}

    /** Why the server cannot be used, or {@code null}; asked once per run. */
    public static synchronized String unreachable() {
        if (!probed) {
            probed = true;
            try (Connection c = DriverManager.getConnection(SERVER)) {
                unreachable = c.isValid(5) ? null : "the connection is not valid";
            } catch (SQLException e) {
                unreachable = e.getMessage();
            }
        }
        return unreachable;
    }

    /** Skips the calling test when the server is unreachable; {@code what} names the tests skipped. */
    public static void assumeReachable(String what) {
        String why = unreachable();
        assumeTrue(
                why == null,
                () -> "PostgreSQL is not reachable at `" + SERVER + "`, skipping its " + what + " tests: " + why);
    }

    /**
     * Creates a fresh schema named {@code prefix} and a random suffix; skips the calling test when
     * the server is unreachable.
     *
     * @param what what the test exercises, for the skip message
     */
    public static String createSchema(String prefix, String what) throws SQLException {
        String problem = unreachable();
        assumeTrue(
                problem == null,
                () -> "PostgreSQL is not reachable at `" + SERVER + "`, skipping its " + what + " tests: " + problem);
        String schema = prefix + UUID.randomUUID().toString().replace("-", "");
        execute("CREATE SCHEMA " + schema);
        return schema;
    }

    public static void dropSchema(String schema) throws SQLException {
        if (schema != null) {
            execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    /** The server's URL with {@code schema} as the current schema. */
    public static String url(String schema) {
        return SERVER + (SERVER.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER);
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
