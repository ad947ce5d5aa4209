package dev.portcullis.pdp.session;

import dev.portcullis.pdp.identity.VerifiedToken;
import java.time.Duration;
import java.util.Objects;

/**
 * What starting a session takes.
 *
 * @param agentToken the agent's verified token; a delegated token (RFC 8693, {@code sub} the user,
 *     {@code act.sub} the agent) also names the user
 * @param userToken the user's verified token when the agent acts for a user and its own token does
 *     not say so, or {@code null}
 * @param purpose what the session is for (free text, shown to policies as {@code
 *     context.session.purpose})
 * @param boundary what the session will touch; {@code null}: unrestricted
 * @param expiresIn lifetime; {@code null}: the configured default
 * @param limits how much it may do; {@code null}: no limits
 * @param parentId the session of the agent that delegates to this one, or {@code null}
 * @param parentToken that parent's current session token, proving the delegation is the parent's
 *     doing; required with {@code parentId}
 */
public record SessionRequest(
        VerifiedToken agentToken,
        VerifiedToken userToken,
        String purpose,
        Boundary boundary,
        Duration expiresIn,
        Limits limits,
        String parentId,
        String parentToken) {

    public SessionRequest {
        Objects.requireNonNull(agentToken, "agentToken");
        boundary = boundary == null ? Boundary.unrestricted() : boundary;
        limits = limits == null ? Limits.none() : limits;
        purpose = purpose == null ? "" : purpose;
    }

    public static SessionRequest of(VerifiedToken agentToken) {
        return new SessionRequest(agentToken, null, "", null, null, null, null, null);
    }

    public SessionRequest withUserToken(VerifiedToken userToken) {
        return new SessionRequest(agentToken, userToken, purpose, boundary, expiresIn, limits, parentId, parentToken);
    }

    public SessionRequest withPurpose(String purpose) {
        return new SessionRequest(agentToken, userToken, purpose, boundary, expiresIn, limits, parentId, parentToken);
    }

    public SessionRequest withBoundary(Boundary boundary) {
        return new SessionRequest(agentToken, userToken, purpose, boundary, expiresIn, limits, parentId, parentToken);
    }

    public SessionRequest withExpiresIn(Duration expiresIn) {
        return new SessionRequest(agentToken, userToken, purpose, boundary, expiresIn, limits, parentId, parentToken);
    }

    public SessionRequest withLimits(Limits limits) {
        return new SessionRequest(agentToken, userToken, purpose, boundary, expiresIn, limits, parentId, parentToken);
    }

    /** A sub-agent's session under {@code parentId}, authorised by the parent's session token. */
    public SessionRequest withParent(String parentId, String parentToken) {
        return new SessionRequest(agentToken, userToken, purpose, boundary, expiresIn, limits, parentId, parentToken);
    }
}
