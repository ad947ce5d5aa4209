package dev.portcullis.pdp.session;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where sessions and identity signals survive a restart. {@link SessionService} is the authority
 * while it runs (it keeps every session in memory and decides from there); the store is written
 * on every state change (start, renewal, revocation: synchronously) and behind the decisions for
 * counters, labels and history (every {@code flush_interval}).
 *
 * <p>Implementations: {@link InMemorySessionStore} (nothing survives), {@link SqliteSessionStore}
 * (the embedded default), {@link PostgresSessionStore} (shared by several nodes). All pass the
 * same contract tests. Failures throw {@link SessionException} of kind {@code UNAVAILABLE}.
 */
public interface SessionStore extends AutoCloseable {
    /** Writes these sessions, each unless the store already holds the same or a newer version. */
    void save(Collection<StoredSession> sessions);

    /** The session with this id, or {@code null}. */
    StoredSession load(String id);

    /** The session whose current token has this hash, or {@code null}. */
    StoredSession loadByTokenHash(String tokenHash);

    /** Every session. */
    List<StoredSession> loadAll();

    /** Deletes the sessions that ended before {@code before}; returns how many. */
    int deleteEndedBefore(Instant before);

    /** Records a signal, replacing one of the same kind, issuer and key. */
    void saveSignal(IdentitySignal signal);

    /** Forgets the signal of this kind, issuer ({@code null}: every issuer) and key. */
    void deleteSignal(IdentitySignal.Kind kind, String issuer, String key);

    /** Every signal. */
    List<IdentitySignal> loadSignals();

    /** Forgets signals whose {@code until} is before {@code now}; returns how many. */
    int deleteSignalsBefore(Instant now);

    /**
     * Whether other processes write this store too (PostgreSQL): then a session this process does
     * not know may be found there.
     */
    default boolean shared() {
        return false;
    }

    /** What {@link #announce} sends when the identity signals changed. */
    String SIGNALS = "!signals";

    /** What a {@link #subscribe} listener receives when it may have missed changes. */
    String RESYNC = "!resync";

    /**
     * Tells every node sharing this store (this one included) that these sessions changed state or
     * tokens, or with {@link #SIGNALS} that the identity signals did. Called after the change is
     * written. Stores of one process do nothing.
     */
    default void announce(Collection<String> changed) {}

    /**
     * Calls {@code listener}, on a thread of the store's, with each announced change, until the
     * returned handle is closed; {@link #RESYNC} first, and whenever changes may have been missed
     * (a lost connection): then reread everything. Stores of one process never call it.
     */
    default AutoCloseable subscribe(Consumer<String> listener) {
        return () -> {};
    }

    @Override
    void close();
}
