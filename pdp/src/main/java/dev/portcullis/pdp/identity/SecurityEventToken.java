package dev.portcullis.pdp.identity;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Security Event Token (RFC 8417) whose signature, issuer (the transmitter) and audience were
 * checked.
 *
 * @param issuer the transmitter ({@code iss})
 * @param tokenId {@code jti}: receivers use it to ignore a SET delivered twice
 * @param issuedAt {@code iat}
 * @param audience {@code aud}
 * @param transactionId {@code txn}, or {@code null}
 * @param subject the token-level {@code sub_id}, or {@code null}
 * @param events the events, each with its subject resolved; never empty
 * @param claims every claim, as plain Java values
 */
public record SecurityEventToken(
        String issuer,
        String tokenId,
        Instant issuedAt,
        Set<String> audience,
        String transactionId,
        SubjectId subject,
        List<SecurityEvent> events,
        Map<String, Object> claims) {

    public SecurityEventToken {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        audience = Set.copyOf(audience);
        events = List.copyOf(events);
        claims = Map.copyOf(claims);
    }
}
