package dev.portcullis.pdp.identity;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObject;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.pdp.identity.TokenException.Reason;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The checks every signed JWT goes through, for access tokens and Security Event Tokens alike, in
 * an order that gives nothing away: nothing about a token's validity window or audience is
 * reported before its signature has been verified, so a forged token learns only that it is
 * forged.
 *
 * <p>Implementation notes: the header is parsed on its own before anything else, so {@code alg:
 * none} is told apart from garbage; the issuer is looked up from the unverified {@code iss} only
 * to choose the keys; the algorithm must be one the issuer allows <em>before</em> a key is chosen
 * (RFC 8725 section 3.1), which with {@link TrustedIssuer}'s HMAC rule stops algorithm confusion;
 * {@code crit} headers are refused since we understand none (RFC 7515 section 4.1.11). EdDSA is
 * checked with the JDK's Ed25519/Ed448, so no extra crypto library is needed.
 */
final class SignedTokens implements AutoCloseable {
    /** Longer than any sane token; bounds the work an unauthenticated caller can cause. */
    static final int MAX_TOKEN_CHARS = 16 * 1024;

    /** Which kind of JWT is expected: decides {@code typ} and whether {@code exp} is required. */
    enum Kind {
        ACCESS,
        SECURITY_EVENT
    }

    /** A token whose signature, issuer, audience and time claims passed. */
    record Checked(TrustedIssuer issuer, JWSHeader header, JWTClaimsSet claims) {}

    private record Trusted(TrustedIssuer issuer, Keys keys) {}

    private final Map<String, Trusted> byIssuer = new HashMap<>();
    private final Clock clock;
    private final HttpClient http;

    SignedTokens(List<TrustedIssuer> issuers, Clock clock) {
        this.clock = clock;
        boolean remote = issuers.stream().anyMatch(i -> i.keys() instanceof KeySource.JwksUrl);
        this.http = remote
                ? HttpClient.newBuilder()
                        .connectTimeout(KeySource.JwksUrl.DEFAULT_TIMEOUT)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build()
                : null;
        for (TrustedIssuer i : issuers) {
            if (byIssuer.put(i.issuer(), new Trusted(i, Keys.of(i.issuer(), i.keys(), http, clock))) != null) {
                throw new IllegalArgumentException("issuer `" + i.issuer() + "` is configured twice");
            }
        }
    }

    Keys keysOf(String issuer) {
        return byIssuer.get(issuer).keys();
    }

    Set<String> issuers() {
        return Set.copyOf(byIssuer.keySet());
    }

    boolean hasRemoteKeys() {
        return http != null;
    }

    void prefetch() {
        for (Trusted t : byIssuer.values()) {
            if (t.keys() instanceof RemoteJwks r) {
                r.prefetch();
            }
        }
    }

    Checked check(String token, Kind kind) {
        SignedJWT jwt = parse(token);
        JWSHeader header = jwt.getHeader();
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new TokenException(Reason.MALFORMED, "the claims are not a valid JWT claims set: " + e.getMessage());
        }
        String iss = claims.getIssuer();
        if (iss == null) {
            throw new TokenException(Reason.UNKNOWN_ISSUER, "the token has no `iss` claim");
        }
        Trusted trusted = byIssuer.get(iss);
        if (trusted == null) {
            throw new TokenException(Reason.UNKNOWN_ISSUER, "issuer `" + quote(iss) + "` is not trusted");
        }
        TrustedIssuer issuer = trusted.issuer();
        JWSAlgorithm alg = header.getAlgorithm();
        if (!issuer.allows(alg)) {
            throw new TokenException(
                    Reason.DISALLOWED_ALGORITHM,
                    "algorithm `" + quote(alg.getName()) + "` is not accepted from issuer `" + quote(iss) + "`");
        }
        checkType(header.getType(), kind);
        List<JWK> candidates = trusted.keys().candidates(header);
        if (candidates.isEmpty()) {
            throw new TokenException(
                    Reason.UNKNOWN_KEY,
                    (header.getKeyID() == null ? "no key" : "no key with kid `" + quote(header.getKeyID()) + "`")
                            + " of issuer `" + quote(iss) + "` fits algorithm " + alg.getName());
        }
        if (candidates.stream().noneMatch(k -> verifies(jwt, k))) {
            throw new TokenException(Reason.BAD_SIGNATURE, "the signature does not verify");
        }
        checkTimes(claims, kind, issuer.clockSkew());
        checkAudience(claims, issuer);
        return new Checked(issuer, header, claims);
    }

    private static SignedJWT parse(String token) {
        if (token == null || token.isBlank()) {
            throw new TokenException(Reason.MALFORMED, "no token");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new TokenException(Reason.MALFORMED, "the token is longer than " + MAX_TOKEN_CHARS + " characters");
        }
        Base64URL[] parts;
        try {
            parts = JOSEObject.split(token.strip());
        } catch (ParseException e) {
            throw new TokenException(Reason.MALFORMED, "not a compact JWT (three base64url parts separated by dots)");
        }
        if (parts.length != 3) {
            throw new TokenException(Reason.MALFORMED, "encrypted (JWE) tokens are not accepted");
        }
        Header h;
        try {
            h = Header.parse(parts[0]);
        } catch (ParseException e) {
            throw new TokenException(Reason.MALFORMED, "the header is not a JSON object with a known `alg`");
        }
        if (h instanceof PlainHeader) {
            throw new TokenException(Reason.UNSIGNED, "unsigned tokens (`alg: none`) are not accepted");
        }
        if (!(h instanceof JWSHeader jws)) {
            throw new TokenException(Reason.MALFORMED, "encrypted (JWE) tokens are not accepted");
        }
        if (parts[2].toString().isEmpty()) {
            throw new TokenException(Reason.UNSIGNED, "the token has no signature");
        }
        if (jws.getCriticalParams() != null && !jws.getCriticalParams().isEmpty()) {
            throw new TokenException(
                    Reason.MALFORMED,
                    "critical header parameters are not understood: " + String.join(", ", jws.getCriticalParams()));
        }
        try {
            return new SignedJWT(parts[0], parts[1], parts[2]);
        } catch (ParseException e) {
            throw new TokenException(Reason.MALFORMED, "the payload is not a JSON object");
        }
    }

    private static void checkType(JOSEObjectType typ, Kind kind) {
        String t = typ == null ? null : typ.getType().toLowerCase(Locale.ROOT);
        if (t != null && t.startsWith("application/")) {
            t = t.substring("application/".length());
        }
        boolean set = "secevent+jwt".equals(t);
        if (kind == Kind.ACCESS && set) {
            // RFC 8417 section 4.1: a SET must never be usable as an access or ID token
            throw new TokenException(Reason.WRONG_TYPE, "a security event token is not an access token");
        }
        if (kind == Kind.SECURITY_EVENT && t != null && !set) {
            throw new TokenException(
                    Reason.WRONG_TYPE, "`typ` is `" + quote(typ.getType()) + "`, expected `secevent+jwt`");
        }
    }

    private void checkTimes(JWTClaimsSet claims, Kind kind, Duration skew) {
        Instant now = clock.instant();
        Instant exp = instant(claims.getExpirationTime());
        if (exp == null && kind == Kind.ACCESS) {
            throw new TokenException(Reason.MISSING_CLAIM, "the token has no `exp` claim");
        }
        if (exp != null && now.isAfter(exp.plus(skew))) {
            throw new TokenException(Reason.EXPIRED, "the token expired at " + exp);
        }
        Instant nbf = instant(claims.getNotBeforeTime());
        if (nbf != null && now.isBefore(nbf.minus(skew))) {
            throw new TokenException(Reason.NOT_YET_VALID, "the token is not valid before " + nbf);
        }
        Instant iat = instant(claims.getIssueTime());
        if (iat != null && now.isBefore(iat.minus(skew))) {
            throw new TokenException(Reason.NOT_YET_VALID, "the token was issued in the future (" + iat + ")");
        }
    }

    private static void checkAudience(JWTClaimsSet claims, TrustedIssuer issuer) {
        List<String> aud = claims.getAudience();
        if (aud.isEmpty()) {
            throw new TokenException(Reason.WRONG_AUDIENCE, "the token has no `aud` claim");
        }
        for (String a : aud) {
            if (issuer.audiences().contains(a)) {
                return;
            }
        }
        List<String> shown = new ArrayList<>();
        for (String a : aud.subList(0, Math.min(3, aud.size()))) {
            shown.add("`" + quote(a) + "`");
        }
        throw new TokenException(
                Reason.WRONG_AUDIENCE,
                "the token is for " + String.join(", ", shown) + (aud.size() > 3 ? ", ..." : "")
                        + ", not for this service");
    }

    private static boolean verifies(SignedJWT jwt, JWK key) {
        JWSHeader header = jwt.getHeader();
        byte[] input = jwt.getSigningInput();
        Base64URL sig = jwt.getSignature();
        try {
            return switch (key) {
                case RSAKey k -> k.size() >= 2048 && new RSASSAVerifier(k).verify(header, input, sig);
                case ECKey k -> new ECDSAVerifier(k).verify(header, input, sig);
                case OctetSequenceKey k -> new MACVerifier(k).verify(header, input, sig);
                case OctetKeyPair k -> verifyEdDsa(header.getAlgorithm(), k, input, sig.decode());
                default -> false;
            };
        } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
            // a key that cannot check this algorithm (wrong curve, too short) simply does not verify
            return false;
        }
    }

    // DER prefixes of the X.509 SubjectPublicKeyInfo of an Ed25519 / Ed448 key (RFC 8410)
    private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] ED448_SPKI = HexFormat.of().parseHex("3043300506032b6571033a00");

    private static boolean verifyEdDsa(JWSAlgorithm alg, OctetKeyPair key, byte[] input, byte[] sig)
            throws GeneralSecurityException {
        Curve crv = key.getCurve();
        boolean ed25519 = Curve.Ed25519.equals(crv);
        boolean ed448 = Curve.Ed448.equals(crv);
        boolean algFits = JWSAlgorithm.EdDSA.equals(alg)
                || (JWSAlgorithm.Ed25519.equals(alg) && ed25519)
                || (JWSAlgorithm.Ed448.equals(alg) && ed448);
        if (!algFits || !(ed25519 || ed448)) {
            return false;
        }
        byte[] x = key.getDecodedX();
        byte[] prefix = ed25519 ? ED25519_SPKI : ED448_SPKI;
        if (x.length != (ed25519 ? 32 : 57)) {
            return false;
        }
        byte[] spki = new byte[prefix.length + x.length];
        System.arraycopy(prefix, 0, spki, 0, prefix.length);
        System.arraycopy(x, 0, spki, prefix.length, x.length);
        String name = ed25519 ? "Ed25519" : "Ed448";
        PublicKey pub = KeyFactory.getInstance(name).generatePublic(new X509EncodedKeySpec(spki));
        Signature s = Signature.getInstance(name);
        s.initVerify(pub);
        s.update(input);
        return s.verify(sig);
    }

    private static Instant instant(java.util.Date d) {
        return d == null ? null : d.toInstant();
    }

    /** User input for a message: printable, at most 100 characters. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(100).forEach(c -> b.appendCodePoint(Character.isISOControl(c) || c == '`' ? '?' : c));
        return s.codePointCount(0, s.length()) > 100 ? b + "..." : b.toString();
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
    }
}
