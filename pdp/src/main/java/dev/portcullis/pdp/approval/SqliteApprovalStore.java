package dev.portcullis.pdp.approval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;

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
        Path absolute = file.toAbsolutePath();
        try {
            Path dir = absolute.getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new ApprovalException(
                    ApprovalException.Kind.UNAVAILABLE,
                    "cannot create the directory of approval store `" + file + "`: " + e);
        }
        this.url = "jdbc:sqlite:" + absolute;
        start();
    }

    @Override
    Connection connect() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(10_000);
        Connection c = DriverManager.getConnection(url, config.toProperties());
        c.setAutoCommit(false);
        return c;
    }
}
