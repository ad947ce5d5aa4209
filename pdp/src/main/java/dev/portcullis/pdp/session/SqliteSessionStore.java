package dev.portcullis.pdp.session;

import dev.portcullis.pdp.store.SqlConnections;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

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
        try {
            this.url = SqlConnections.sqliteUrl(file);
        } catch (IOException e) {
            throw new SessionException(
                    SessionException.Kind.UNAVAILABLE,
                    "cannot create the directory of session store `" + file + "`: " + e);
        }
        start();
    }

    @Override
    Connection connect() throws SQLException {
        return SqlConnections.sqlite(url, true);
    }
}
