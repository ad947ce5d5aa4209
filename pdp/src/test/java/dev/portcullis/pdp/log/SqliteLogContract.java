package dev.portcullis.pdp.log;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.io.TempDir;

/** The decision-log contract on an embedded log, a fresh temporary file per test. */
abstract class SqliteLogContract extends DecisionLogContract {
    @TempDir
    Path dir;

    Path file() {
        return dir.resolve("data").resolve("decisions.db");
    }

    @Override
    Connection raw() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file());
    }

    /** Another connection holding SQLite's write lock, as a second process writing would. */
    @Override
    AutoCloseable blockWriters() throws SQLException {
        Connection c = raw();
        try (Statement st = c.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
        }
        return () -> {
            try (c;
                    Statement st = c.createStatement()) {
                st.execute("ROLLBACK");
            }
        };
    }
}
