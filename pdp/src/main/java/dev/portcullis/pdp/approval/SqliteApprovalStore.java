package dev.portcullis.pdp.approval;

import dev.portcullis.pdp.store.SqlConnections;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Approvals in an SQLite file (WAL mode), so that pending and granted approvals survive a restart
 * of a single node. Every operation's transaction starts by writing or only reads, so SQLite's
 * busy timeout, not an error, settles two connections writing at once.
 */
public final class SqliteApprovalStore extends JdbcApprovalStore {
    private final String url;

    public SqliteApprovalStore(Path file) {
        this(file, DEFAULT_TABLE);
    }

    public SqliteApprovalStore(Path file, String table) {
        super(table, "`" + file + "`");
        try {
            this.url = SqlConnections.sqliteUrl(file);
        } catch (IOException e) {
            throw new ApprovalException(
                    ApprovalException.Kind.UNAVAILABLE,
                    "cannot create the directory of approval store `" + file + "`: " + e);
        }
        start();
    }

    @Override
    Connection connect() throws SQLException {
        return SqlConnections.sqlite(url, false);
    }
}
