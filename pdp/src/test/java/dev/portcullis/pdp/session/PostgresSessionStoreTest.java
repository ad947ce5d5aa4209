package dev.portcullis.pdp.session;

import dev.portcullis.pdp.TestPostgres;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The session-store contract on PostgreSQL ({@link TestPostgres}), a schema per test. */
class PostgresSessionStoreTest extends SessionStoreContract {
    private String schema;

    @BeforeEach
    void createSchema() throws SQLException {
        schema = TestPostgres.createSchema("sesstore_", "session-store");
    }

    @AfterEach
    void dropSchema() throws SQLException {
        closeStores();
        TestPostgres.dropSchema(schema);
    }

    @Override
    SessionStore openStore() {
        return new PostgresSessionStore(TestPostgres.url(schema));
    }
}
