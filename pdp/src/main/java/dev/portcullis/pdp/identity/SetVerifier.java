package dev.portcullis.pdp.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.pdp.identity.TokenException.Reason;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies Security Event Tokens (RFC 8417) from configured transmitters, for an OpenID Shared
 * Signals receiver (push, RFC 8935, or poll, RFC 8936). Checks what {@link TokenVerifier} checks,
 * except that {@code exp} is optional (a SET records a fact; it does not expire) and {@code typ},
 * when present, must be {@code secevent+jwt}; and requires {@code iat}, {@code jti} and a non-empty
 * {@code events} object whose members are objects. Parses each event's subject (RFC 9493); acting
 * on the events is the receiver's job.
 *
 * <p>A refusal's {@link Reason#setErrorCode()} is the RFC 8935 error code to answer with.
 */
public final class SetVerifier implements AutoCloseable {
    private final SignedTokens tokens;

    public SetVerifier(List<TrustedIssuer> transmitters) {
        this(transmitters, Clock.systemUTC());
    }

    /** With a clock of one's own (tests). */
    public SetVerifier(List<TrustedIssuer> transmitters, Clock clock) {
        this.tokens = new SignedTokens(transmitters, clock);
    }

    /**
     * The verified SET.
     *
     * @throws TokenException when it is refused, with the reason
     */
    public SecurityEventToken verify(String token) {
        SignedTokens.Checked c = tokens.check(token, SignedTokens.Kind.SECURITY_EVENT);
        JWTClaimsSet claims = c.claims();
        if (claims.getIssueTime() == null) {
            throw new TokenException(Reason.MISSING_CLAIM, "the security event token has no `iat` claim");
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isEmpty()) {
            throw new TokenException(Reason.MISSING_CLAIM, "the security event token has no `jti` claim");
        }
        Map<String, Object> all = Claims.freeze(claims.toJSONObject());
        SubjectId subject = all.containsKey("sub_id") ? SubjectId.parse(all.get("sub_id"), "sub_id") : null;
        Object txn = all.get("txn");
        if (txn != null && !(txn instanceof String)) {
            throw new TokenException(Reason.MALFORMED, "`txn` must be a string");
        }
        return new SecurityEventToken(
                claims.getIssuer(),
                jti,
                claims.getIssueTime().toInstant(),
                new LinkedHashSet<>(claims.getAudience()),
                (String) txn,
                subject,
                events(all.get("events"), subject),
                all);
    }

    /** The configured transmitters' {@code iss} values. */
    public Set<String> transmitters() {
        return tokens.issuers();
    }

    private static List<SecurityEvent> events(Object value, SubjectId tokenSubject) {
        if (value == null) {
            throw new TokenException(Reason.MISSING_CLAIM, "the security event token has no `events` claim");
        }
        if (!(value instanceof Map<?, ?> events) || events.isEmpty()) {
            throw new TokenException(Reason.MALFORMED, "`events` must be a non-empty JSON object");
        }
        List<SecurityEvent> out = new ArrayList<>();
        for (Map.Entry<?, ?> e : events.entrySet()) {
            String type = String.valueOf(e.getKey());
            String where = "events." + SignedTokens.quote(type);
            if (type.isBlank()) {
                throw new TokenException(Reason.MALFORMED, "an event type must not be empty");
            }
            if (!(e.getValue() instanceof Map<?, ?> body)) {
                throw new TokenException(Reason.MALFORMED, "`" + where + "` must be a JSON object");
            }
            Map<String, Object> rest = new LinkedHashMap<>();
            body.forEach((k, v) -> {
                if (v != null) {
                    rest.put(String.valueOf(k), v);
                }
            });
            Object own = rest.remove("subject");
            SubjectId subject = own == null ? tokenSubject : SubjectId.parse(own, where + ".subject");
            out.add(new SecurityEvent(type, subject, rest));
        }
        return out;
    }

    @Override
    public void close() {
        tokens.close();
    }
}
