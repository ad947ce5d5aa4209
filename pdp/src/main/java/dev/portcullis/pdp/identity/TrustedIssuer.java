package dev.portcullis.pdp.identity;

import com.nimbusds.jose.JWSAlgorithm;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * An issuer whose tokens we accept (or, for Security Event Tokens, a transmitter whose events we
 * accept): its {@code iss} value, where its keys come from, the audiences a token must name, the
 * signature algorithms it may use and how much clock difference we tolerate.
 *
 * <p>{@code none} is never an algorithm. HMAC algorithms are accepted only together with a {@link
 * KeySource.SharedSecret} (and a shared secret only with them): otherwise a token signed with HMAC
 * over an issuer's public RSA key — the classic algorithm-confusion forgery — could pass.
 */
public record TrustedIssuer(
        String issuer, KeySource keys, Set<String> audiences, Set<String> algorithms, Duration clockSkew) {

    /** The asymmetric algorithms accepted by default. */
    public static final Set<String> DEFAULT_ALGORITHMS = Set.of(
            "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519",
            "Ed448");

    /** The HMAC algorithms; accepted with a shared secret only. */
    public static final Set<String> HMAC_ALGORITHMS = Set.of("HS256", "HS384", "HS512");

    /** Every algorithm this verifier can check. */
    public static final Set<String> SUPPORTED_ALGORITHMS = union(DEFAULT_ALGORITHMS, HMAC_ALGORITHMS);

    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);

    public TrustedIssuer {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(clockSkew, "clockSkew");
        if (issuer.isBlank()) {
            throw new IllegalArgumentException("the issuer must not be empty");
        }
        audiences = Set.copyOf(audiences);
        if (audiences.isEmpty() || audiences.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("at least one non-empty audience is required");
        }
        algorithms = Set.copyOf(algorithms);
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("at least one algorithm is required");
        }
        for (String a : algorithms) {
            if (!SUPPORTED_ALGORITHMS.contains(a)) {
                throw new IllegalArgumentException("algorithm `" + a + "` is not supported (supported: "
                        + String.join(", ", new TreeSet<>(SUPPORTED_ALGORITHMS)) + ")");
            }
            boolean hmac = HMAC_ALGORITHMS.contains(a);
            boolean secret = keys instanceof KeySource.SharedSecret;
            if (hmac && !secret) {
                throw new IllegalArgumentException(
                        "algorithm `" + a + "` needs a shared secret; public keys cannot check an HMAC");
            }
            if (!hmac && secret) {
                throw new IllegalArgumentException(
                        "a shared secret only checks HS256, HS384 or HS512, not `" + a + "`");
            }
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("the clock skew must be between 0 and 10 minutes, got " + clockSkew);
        }
    }

    /**
     * An issuer with the default clock skew and the default algorithms: the asymmetric ones, or the
     * HMAC ones when {@code keys} is a shared secret.
     */
    public static TrustedIssuer of(String issuer, KeySource keys, Set<String> audiences) {
        Set<String> algorithms = keys instanceof KeySource.SharedSecret ? HMAC_ALGORITHMS : DEFAULT_ALGORITHMS;
        return new TrustedIssuer(issuer, keys, audiences, algorithms, DEFAULT_CLOCK_SKEW);
    }

    public TrustedIssuer withAlgorithms(Set<String> allowed) {
        return new TrustedIssuer(issuer, keys, audiences, allowed, clockSkew);
    }

    public TrustedIssuer withClockSkew(Duration skew) {
        return new TrustedIssuer(issuer, keys, audiences, algorithms, skew);
    }

    boolean allows(JWSAlgorithm alg) {
        return algorithms.contains(alg.getName());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
