package dev.portcullis.pdp.approval;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The approval-store contract on SQLite: a temporary file, each handle its own connections. */
class SqliteApprovalStoreTest extends ApprovalStoreContract {
    @TempDir
    Path dir;

    @Override
    ApprovalStore openStore() {
        return new SqliteApprovalStore(dir.resolve("data").resolve("approvals.db"), "approvals_test");
    }
}
