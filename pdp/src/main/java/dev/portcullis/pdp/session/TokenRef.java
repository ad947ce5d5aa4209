package dev.portcullis.pdp.session;

import dev.portcullis.pdp.identity.VerifiedToken;
import java.time.Instant;
import java.util.Objects;

/**
 * What a session remembers of a token that started (or renewed) it: enough to find the session
 * when the identity provider revokes the token, disables its subject or changes their credentials,
 * and to stop the session when the token expires. The token itself is not kept.
 *
 * @param role whose token: the agent's or the user's
 * @param issuer {@code iss}
 * @param subject {@code sub}
 * @param actor the current actor of an RFC 8693 {@code act} chain (the agent of a delegated token),
 *     or {@code null}
 * @param tokenId {@code jti}, or {@code null}
 * @param idpSessionId the identity provider's session id (claim {@code sid}), or {@code null}
 * @param issuedAt {@code iat}, or {@code null}
 * @param expiresAt {@code exp}
 */
public record TokenRef(
        Role role,
        String issuer,
        String subject,
        String actor,
        String tokenId,
        String idpSessionId,
        Instant issuedAt,
        Instant expiresAt) {

    /** Whose token. */
    public enum Role {
        AGENT,
        USER
    }

    public TokenRef {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    static TokenRef of(Role role, VerifiedToken t) {
        String actor = t.actors().isEmpty() ? null : t.actors().get(0).subject();
        return new TokenRef(
                role, t.issuer(), t.subject(), actor, t.tokenId(), t.stringClaim("sid"), t.issuedAt(), t.expiresAt());
    }

    /** Whether this token is about {@code subject} (as its subject or its current actor) at {@code issuer}. */
    boolean concerns(String issuer, String subject) {
        return (issuer == null || issuer.equals(this.issuer))
                && (subject.equals(this.subject) || subject.equals(actor));
    }
}
