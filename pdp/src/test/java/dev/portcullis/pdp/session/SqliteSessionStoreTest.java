package dev.portcullis.pdp.session;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the embedded store, a fresh temporary file per test. */
class SqliteSessionStoreTest extends SessionStoreContract {
    @TempDir
    Path dir;

    @Override
    SessionStore openStore() {
        return new SqliteSessionStore(dir.resolve("data").resolve("sessions.db"));
    }
}
