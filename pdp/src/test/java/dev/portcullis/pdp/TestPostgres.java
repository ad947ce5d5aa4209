package dev.portcullis.pdp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The PostgreSQL server the store tests run against: 127.0.0.1:5432, database {@code test}, user
 * {@code postgres}; override with {@code -Dportcullis.postgres=jdbc:postgresql://...}. Probed once;
 * tests skip when it is unreachable.
 */
public final class TestPostgres {
    public static final String SERVER =
            System.getProperty("portcullis.postgres", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    private static boolean probed;
    private static String unreachable;

    private TestPostgres() {}

    /** Why the server cannot be used, or {@code null} when it can. */
    public static synchronized String unreachable() {
        if (!probed) {
            try (Connection c = DriverManager.getConnection(SERVER)) {
                unreachable = c.isValid(5) ? null : "the connection is not valid";
            } catch (SQLException e) {
                unreachable = e.getMessage();
            }
            probed = true;
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
}
