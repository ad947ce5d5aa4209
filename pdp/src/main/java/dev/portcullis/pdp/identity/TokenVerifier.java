package dev.portcullis.pdp.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.pdp.identity.TokenException.Reason;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies OIDC / OAuth JWTs (access and ID tokens) from the configured {@link TrustedIssuer}s and
 * turns them into {@link VerifiedToken}s. Checks, in this order: the token is a signed compact JWS
 * (not {@code alg: none}, not encrypted); {@code iss} is trusted; the algorithm is allowed for that
 * issuer; {@code typ} is not {@code secevent+jwt}; a key of the issuer fits the header and verifies
 * the signature; {@code exp} is present and not past, {@code nbf} and {@code iat} are not in the
 * future (each within the issuer's clock skew); {@code aud} names an accepted audience; {@code sub}
 * is present. Every refusal is a {@link TokenException} with a {@link Reason}.
 *
 * <p>Thread-safe; one instance serves all callers. Keys from a JWKS URL are fetched on first use and
 * cached (see {@link KeySource.JwksUrl}); that first use, and a token signed with a key not yet in
 * the cache, may wait for one HTTP fetch (at most the source's timeout). {@link #close()} releases
 * the HTTP client.
 */
public final class TokenVerifier implements AutoCloseable {
    /** Deeper {@code act} nesting than this is refused: no real delegation chain is that long. */
    public static final int MAX_ACT_DEPTH = 16;

    private final SignedTokens tokens;

    public TokenVerifier(List<TrustedIssuer> issuers) {
        this(issuers, Clock.systemUTC());
    }

    /** With a clock of one's own (tests). */
    public TokenVerifier(List<TrustedIssuer> issuers, Clock clock) {
        this.tokens = new SignedTokens(issuers, clock);
    }

    /**
     * The verified token.
     *
     * @throws TokenException when the token is refused, with the reason
     */
    public VerifiedToken verify(String token) {
        SignedTokens.Checked c = tokens.check(token, SignedTokens.Kind.ACCESS);
        JWTClaimsSet claims = c.claims();
        String sub = claims.getSubject();
        if (sub == null || sub.isEmpty()) {
            throw new TokenException(Reason.MISSING_CLAIM, "the token has no `sub` claim");
        }
        return new VerifiedToken(
                claims.getIssuer(),
                sub,
                new LinkedHashSet<>(claims.getAudience()),
                claims.getJWTID(),
                instant(claims.getIssueTime()),
                claims.getExpirationTime().toInstant(),
                actors(claims.getClaim("act")),
                Claims.freeze(claims.toJSONObject()));
    }

    /** The configured issuers' {@code iss} values. */
    public Set<String> issuers() {
        return tokens.issuers();
    }

    /**
     * Whether {@link #verify} may wait for an HTTP fetch: some issuer's keys come from a JWKS URL.
     * Callers on an event loop should then verify elsewhere.
     */
    public boolean mayFetchKeys() {
        return tokens.hasRemoteKeys();
    }

    /** Starts fetching every JWKS URL in the background, so the first tokens need not wait. */
    public void prefetch() {
        tokens.prefetch();
    }

    /** The keys of a configured issuer (tests). */
    Keys keysOf(String issuer) {
        return tokens.keysOf(issuer);
    }

    /**
     * The RFC 8693 section 4.1 {@code act} chain, outermost (the current actor) first: {@code
     * {"sub": "agent", "act": {"sub": "orchestrator"}}} gives {@code [agent, orchestrator]}.
     */
    static List<VerifiedToken.Actor> actors(Object act) {
        if (act == null) {
            return List.of();
        }
        List<VerifiedToken.Actor> chain = new ArrayList<>();
        Object at = act;
        while (at != null) {
            if (chain.size() == MAX_ACT_DEPTH) {
                throw new TokenException(
                        Reason.MALFORMED, "the `act` chain is deeper than " + MAX_ACT_DEPTH + " actors");
            }
            if (!(at instanceof Map<?, ?> m)) {
                throw new TokenException(Reason.MALFORMED, "`act` must be a JSON object");
            }
            Object sub = m.get("sub");
            Object iss = m.get("iss");
            if (!(sub instanceof String s) || s.isEmpty()) {
                throw new TokenException(Reason.MALFORMED, "every `act` needs a string `sub`");
            }
            if (iss != null && !(iss instanceof String)) {
                throw new TokenException(Reason.MALFORMED, "`act.iss` must be a string");
            }
            chain.add(new VerifiedToken.Actor(s, (String) iss));
            at = m.get("act");
        }
        return Collections.unmodifiableList(chain);
    }

    private static Instant instant(java.util.Date d) {
        return d == null ? null : d.toInstant();
    }

    @Override
    public void close() {
        tokens.close();
    }
}
