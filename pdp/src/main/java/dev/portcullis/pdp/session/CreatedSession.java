package dev.portcullis.pdp.session;

import java.time.Instant;

/**
 * A session just started (or renewed), with its session token.
 *
 * @param session the session
 * @param token the session token: an opaque random secret ({@code pst_} and 43 base64url
 *     characters) shown only here; the store keeps its SHA-256 only
 * @param tokenExpiresAt when the token stops being accepted (never after the session)
 */
public record CreatedSession(Session session, String token, Instant tokenExpiresAt) {}
