package dev.portcullis.pdp.session;

/** The contract on the in-memory store; "reopening" returns the same instance. */
class InMemorySessionStoreTest extends SessionStoreContract {
    private final InMemorySessionStore store = new InMemorySessionStore();

    @Override
    SessionStore openStore() {
        return store;
    }
}
