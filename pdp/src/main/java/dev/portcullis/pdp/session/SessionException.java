package dev.portcullis.pdp.session;

import java.util.Objects;

/**
 * Why a session operation was refused. The {@link Kind} tells an API layer which status to answer
 * with; the message is one lowercase line that names the offending input.
 */
public final class SessionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of refusal. */
    public enum Kind {
        /** The request is malformed: a bad boundary, limit, duration or token mapping (HTTP 400). */
        INVALID_REQUEST,
        /** A token may not start a session: expired, revoked, its subject disabled (HTTP 403). */
        FORBIDDEN,
        /** No such session (HTTP 404). */
        NOT_FOUND,
        /** The session (or the parent named) is not active (HTTP 409). */
        CONFLICT,
        /** The session store failed (HTTP 503). */
        UNAVAILABLE
    }

    private final Kind kind;

    public SessionException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public SessionException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
