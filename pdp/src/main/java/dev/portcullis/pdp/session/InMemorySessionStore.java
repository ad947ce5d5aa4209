package dev.portcullis.pdp.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** A store that keeps nothing beyond the process: for tests and throw-away deployments. */
public final class InMemorySessionStore implements SessionStore {
    private final Map<String, StoredSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, IdentitySignal> signals = new ConcurrentHashMap<>();

    @Override
    public void save(Collection<StoredSession> batch) {
        for (StoredSession s : batch) {
            sessions.merge(s.id(), s, (old, neu) -> neu.version() > old.version() ? neu : old);
        }
    }

    @Override
    public StoredSession load(String id) {
        return sessions.get(id);
    }

    @Override
    public StoredSession loadByTokenHash(String tokenHash) {
        for (StoredSession s : sessions.values()) {
            if (tokenHash.equals(s.tokenHash())) {
                return s;
            }
        }
        return null;
    }

    @Override
    public List<StoredSession> loadAll() {
        return new ArrayList<>(sessions.values());
    }

    @Override
    public int deleteEndedBefore(Instant before) {
        int[] n = {0};
        sessions.values().removeIf(s -> {
            Instant ended = s.session().endedAt();
            boolean old = ended != null && ended.isBefore(before);
            n[0] += old ? 1 : 0;
            return old;
        });
        return n[0];
    }

    @Override
    public void saveSignal(IdentitySignal signal) {
        signals.put(key(signal.kind(), signal.issuer(), signal.key()), signal);
    }

    @Override
    public void deleteSignal(IdentitySignal.Kind kind, String issuer, String key) {
        signals.remove(key(kind, issuer, key));
    }

    @Override
    public List<IdentitySignal> loadSignals() {
        return new ArrayList<>(signals.values());
    }

    @Override
    public int deleteSignalsBefore(Instant now) {
        int before = signals.size();
        signals.values().removeIf(s -> s.until() != null && s.until().isBefore(now));
        return before - signals.size();
    }

    private static String key(IdentitySignal.Kind kind, String issuer, String key) {
        return kind + "\u0000" + Objects.requireNonNullElse(issuer, "") + "\u0000" + key;
    }

    @Override
    public void close() {}
}
