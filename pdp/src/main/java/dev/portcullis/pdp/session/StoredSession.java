package dev.portcullis.pdp.session;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A session as a {@link SessionStore} keeps it: the snapshot plus what only the service needs.
 *
 * @param session the snapshot; its state is the recorded one (an expired session may still say
 *     {@code ACTIVE} until the service notices)
 * @param version increases with every change; a store never replaces a version with an older one,
 *     so a late write-behind cannot undo a revocation
 * @param tokenHash hex SHA-256 of the current session token, or {@code null}
 * @param tokenExpiresAt when that token expires, or {@code null}
 * @param rateLogs for each of the session's rate limits (in order), the epoch milliseconds of the
 *     actions it counted that are still in its window
 */
public record StoredSession(
        Session session, long version, String tokenHash, Instant tokenExpiresAt, List<List<Long>> rateLogs) {
    public StoredSession {
        Objects.requireNonNull(session, "session");
        rateLogs = rateLogs.stream().map(List::copyOf).toList();
    }

    public String id() {
        return session.id();
    }
}
