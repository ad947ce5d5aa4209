package dev.portcullis.pdp.session;

import java.time.Instant;
import java.util.Objects;

/**
 * An identity-provider event that outlives the sessions it ended: it also stops new sessions from
 * starting with the tokens it concerns. Kept by the {@link SessionStore}, so a restart does not
 * forget a disabled account or a revoked token.
 *
 * @param kind what happened
 * @param issuer the issuer it concerns, or {@code null} for every issuer
 * @param key the subject ({@code ACCOUNT_DISABLED}, {@code CREDENTIAL_CHANGED}), the token id
 *     ({@code TOKEN_REVOKED}) or the identity provider's session id ({@code IDP_SESSION_REVOKED})
 * @param at when it happened; for a credential change, tokens issued before it are refused
 * @param until when the signal may be forgotten, or {@code null} for never
 */
public record IdentitySignal(Kind kind, String issuer, String key, Instant at, Instant until) {
    /** The kinds of signals kept. */
    public enum Kind {
        ACCOUNT_DISABLED,
        CREDENTIAL_CHANGED,
        TOKEN_REVOKED,
        IDP_SESSION_REVOKED
    }

    public IdentitySignal {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(at, "at");
    }

    /** Whether this signal forbids {@code token} from starting or continuing a session. */
    boolean refuses(TokenRef token) {
        if (issuer != null && !issuer.equals(token.issuer())) {
            return false;
        }
        return switch (kind) {
            case ACCOUNT_DISABLED -> key.equals(token.subject()) || key.equals(token.actor());
            case CREDENTIAL_CHANGED ->
                (key.equals(token.subject()) || key.equals(token.actor()))
                        && (token.issuedAt() == null || token.issuedAt().isBefore(at));
            case TOKEN_REVOKED -> key.equals(token.tokenId());
            case IDP_SESSION_REVOKED -> key.equals(token.idpSessionId());
        };
    }

    /** Why a token is refused, for messages. */
    String describe() {
        String who = issuer == null ? "`" + key + "`" : "`" + key + "` at `" + issuer + "`";
        return switch (kind) {
            case ACCOUNT_DISABLED -> "account " + who + " is disabled";
            case CREDENTIAL_CHANGED -> "the credentials of " + who + " changed at " + at;
            case TOKEN_REVOKED -> "token " + who + " was revoked";
            case IDP_SESSION_REVOKED -> "identity-provider session " + who + " was revoked";
        };
    }
}
