package dev.portcullis.pdp.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;

/**
 * Sessions in an SQLite file, the embedded default: typically the decision log's file (its tables
 * are separate). WAL mode and a busy timeout, so that it shares the file with the decision log's
 * writer; commits are synchronous ({@code synchronous=FULL}) because they are rare: a start, a
 * revocation, a write-behind batch.
 */
public final class SqliteSessionStore extends JdbcSessionStore {
    private final String url;

    public SqliteSessionStore(Path file) {
        super("`" + file + "`");
        Path absolute = file.toAbsolutePath();
        try {
            Path dir = absolute.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new SessionException(
                    SessionException.Kind.UNAVAILABLE,
                    "cannot create the directory of session store `" + file + "`: " + e);
        }
        this.url = "jdbc:sqlite:" + absolute;
        start();
    }

    @Override
    Connection connect() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        Connection c = DriverManager.getConnection(url, config.toProperties());
        c.setAutoCommit(false);
        return c;
    }
}
