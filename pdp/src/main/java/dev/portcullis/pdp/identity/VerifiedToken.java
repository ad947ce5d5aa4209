package dev.portcullis.pdp.identity;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A JWT whose signature, issuer, audience and validity window have been checked. Nothing else in
 * Portcullis reads raw tokens: sessions and caller authentication work from this.
 *
 * @param issuer the {@code iss} claim
 * @param subject the {@code sub} claim
 * @param audience the {@code aud} claim (one or more)
 * @param tokenId the {@code jti} claim, or {@code null}
 * @param issuedAt {@code iat}, or {@code null}
 * @param expiresAt {@code exp} (always present: tokens without one are refused)
 * @param actors the RFC 8693 {@code act} chain, outermost (current actor) first; empty when the
 *     subject acts for itself
 * @param claims every claim, as plain Java values (String, Number, Boolean, List, Map)
 */
public record VerifiedToken(
        String issuer,
        String subject,
        Set<String> audience,
        String tokenId,
        Instant issuedAt,
        Instant expiresAt,
        List<Actor> actors,
        Map<String, Object> claims) {

    public VerifiedToken {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(expiresAt, "expiresAt");
        audience = Set.copyOf(audience);
        actors = List.copyOf(actors);
        claims = Map.copyOf(claims);
    }

    /** One link of an {@code act} chain: who acted (RFC 8693 section 4.1). */
    public record Actor(String subject, String issuer) {
        public Actor {
            Objects.requireNonNull(subject, "subject");
        }
    }

    /** The claim as a string, or {@code null} when absent or not a string. */
    public String stringClaim(String name) {
        return claims.get(name) instanceof String s ? s : null;
    }
}
