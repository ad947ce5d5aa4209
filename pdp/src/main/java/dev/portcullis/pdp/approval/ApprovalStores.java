package dev.portcullis.pdp.approval;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Opens an approval store from a URL: {@code memory} (the embedded default), {@code sqlite:PATH}
 * or {@code jdbc:postgresql://HOST[:PORT]/DB[?PARAMS]}.
 */
public final class ApprovalStores {
    private ApprovalStores() {}

    /** Opens the store {@code url} names, its table called {@code table} (SQL stores only). */
    public static ApprovalStore open(String url, String table) {
        String u = url == null ? "" : url.strip();
        if (u.isEmpty() || u.equals("memory")) {
            return new InMemoryApprovalStore();
        }
        if (u.startsWith("jdbc:sqlite:")) {
            u = u.substring("jdbc:".length());
        }
        if (u.startsWith("sqlite:")) {
            String path = u.substring("sqlite:".length());
            if (path.isEmpty() || path.startsWith(":memory:")) {
                throw invalid(url, "name a file (`sqlite:PATH`)");
            }
            try {
                return new SqliteApprovalStore(Path.of(path), table);
            } catch (InvalidPathException e) {
                throw invalid(url, "bad path: " + e.getReason());
            }
        }
        if (u.startsWith("jdbc:postgresql:")) {
            return new PostgresApprovalStore(u, table);
        }
        throw invalid(url, "expected `memory`, `sqlite:PATH` or `jdbc:postgresql://HOST/DB`");
    }

    /** {@link #open(String, String)} with the default table, {@code approvals}. */
    public static ApprovalStore open(String url) {
        return open(url, JdbcApprovalStore.DEFAULT_TABLE);
    }

    private static ApprovalException invalid(String url, String why) {
        return new ApprovalException(ApprovalException.Kind.INVALID, "approval store url `" + url + "`: " + why);
    }
}
