package dev.portcullis.pdp.identity;

import static dev.portcullis.pdp.identity.TestIdp.AUDIENCE;
import static dev.portcullis.pdp.identity.TestIdp.EC;
import static dev.portcullis.pdp.identity.TestIdp.ISSUER;
import static dev.portcullis.pdp.identity.TestIdp.NOW;
import static dev.portcullis.pdp.identity.TestIdp.RSA;
import static dev.portcullis.pdp.identity.TestIdp.RSA_2;
import static dev.portcullis.pdp.identity.TestIdp.b64;
import static dev.portcullis.pdp.identity.TestIdp.claims;
import static dev.portcullis.pdp.identity.TestIdp.clockAt;
import static dev.portcullis.pdp.identity.TestIdp.header;
import static dev.portcullis.pdp.identity.TestIdp.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.pdp.identity.TokenException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
    static final TrustedIssuer TRUSTED =
            TrustedIssuer.of(ISSUER, new KeySource.StaticJwks(TestIdp.publicSet(RSA, EC)), Set.of(AUDIENCE));

    static TokenVerifier verifier(TrustedIssuer... issuers) {
        return new TokenVerifier(List.of(issuers), clockAt(NOW));
    }

    static final TokenVerifier VERIFIER = verifier(TRUSTED);

    /** Refused with {@code reason}; the message is one line, quotes no token part, has no stack trace. */
    static TokenException refused(TokenVerifier v, String token, Reason reason) {
        TokenException e = (TokenException) org.assertj.core.api.Assertions.catchThrowable(() -> v.verify(token));
        assertThat(e).as("token should be refused").isNotNull();
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
        assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
        assertThat(e.getStackTrace()).isEmpty();
        if (token != null) {
            for (String part : token.split("\\.")) {
                if (part.length() > 8) {
                    assertThat(e.getMessage()).doesNotContain(part);
                }
            }
        }
        return e;
    }

    @Test
    void verify_rsaAndEcTokens() {
        VerifiedToken t =
                VERIFIER.verify(sign(RSA, claims().claim("scope", "read write").build()));
        assertThat(t.issuer()).isEqualTo(ISSUER);
        assertThat(t.subject()).isEqualTo("agent-7");
        assertThat(t.audience()).containsExactly(AUDIENCE);
        assertThat(t.tokenId()).isEqualTo("jti-1");
        assertThat(t.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(t.issuedAt()).isEqualTo(NOW.minusSeconds(10));
        assertThat(t.actors()).isEmpty();
        assertThat(t.stringClaim("scope")).isEqualTo("read write");
        assertThat(t.claims())
                .containsEntry("exp", NOW.plus(Duration.ofMinutes(5)).getEpochSecond());

        assertThat(VERIFIER.verify(sign(EC, claims().build())).subject()).isEqualTo("agent-7");
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.PS256, JWSAlgorithm.RS512)) {
            String token = sign(RSA, new JWSHeader.Builder(alg).keyID("rsa-1").build(), claims().build());
            assertThat(VERIFIER.verify(token).subject()).isEqualTo("agent-7");
        }
    }

    @Test
    void verify_tokenWithoutKid_triesTheIssuersKeysOfThatType() {
        String token = sign(RSA, new JWSHeader.Builder(JWSAlgorithm.RS256).build(), claims().build());
        assertThat(VERIFIER.verify(token).subject()).isEqualTo("agent-7");
    }

    @Test
    void verify_ed25519_withTheJdksEdDsa() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = pair.getPublic().getEncoded();
        byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        OctetKeyPair jwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x))
                .keyID("ed-1")
                .build();
        TokenVerifier v =
                verifier(TrustedIssuer.of(ISSUER, new KeySource.StaticJwks(TestIdp.publicSet(jwk)), Set.of(AUDIENCE)));
        for (String alg : List.of("EdDSA", "Ed25519")) {
            String input = b64("{\"alg\":\"" + alg + "\",\"kid\":\"ed-1\"}") + "."
                    + b64(claims().build().toString());
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(pair.getPrivate());
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            String token = input + "." + Base64URL.encode(s.sign());
            assertThat(v.verify(token).subject()).isEqualTo("agent-7");
            refused(v, input + "." + Base64URL.encode(new byte[64]), Reason.BAD_SIGNATURE);
        }
    }

    @Test
    void verify_sharedSecret_onlyWhenConfigured() {
        byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        TokenVerifier v = verifier(TrustedIssuer.of(ISSUER, new KeySource.SharedSecret(secret), Set.of(AUDIENCE)));
        OctetSequenceKey key = new OctetSequenceKey.Builder(secret).build();
        assertThat(v.verify(sign(key, header(JWSAlgorithm.HS256, null, null), claims().build()))
                        .subject())
                .isEqualTo("agent-7");
        OctetSequenceKey other = new OctetSequenceKey.Builder(
                        "another-secret-another-secret-xx".getBytes(StandardCharsets.UTF_8))
                .build();
        refused(v, sign(other, header(JWSAlgorithm.HS256, null, null), claims().build()), Reason.BAD_SIGNATURE);
        // and the RSA issuer refuses HMAC outright
        refused(
                VERIFIER,
                sign(key, header(JWSAlgorithm.HS256, null, null), claims().build()),
                Reason.DISALLOWED_ALGORITHM);
    }

    @Test
    void hmacConfusion_hs256SignedWithThePublicKey_isRefused() throws Exception {
        byte[] publicKeyBytes = RSA.toRSAPublicKey().getEncoded();
        OctetSequenceKey forged = new OctetSequenceKey.Builder(publicKeyBytes).build();
        String token = sign(forged, header(JWSAlgorithm.HS256, "rsa-1", null), claims().build());
        refused(VERIFIER, token, Reason.DISALLOWED_ALGORITHM);
        // the JWK JSON as the secret, the other common variant
        OctetSequenceKey forged2 =
                new OctetSequenceKey.Builder(RSA.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)).build();
        refused(
                VERIFIER,
                sign(forged2, header(JWSAlgorithm.HS256, "rsa-1", null), claims().build()),
                Reason.DISALLOWED_ALGORITHM);
    }

    @Test
    void unsigned_algNone_isRefused() {
        String payload = b64(claims().build().toString());
        refused(VERIFIER, b64("{\"alg\":\"none\"}") + "." + payload + ".", Reason.UNSIGNED);
        refused(VERIFIER, b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + payload + ".c2ln", Reason.UNSIGNED);
        // spelled otherwise it is simply not an algorithm we accept
        refused(VERIFIER, b64("{\"alg\":\"None\"}") + "." + payload + ".c2ln", Reason.DISALLOWED_ALGORITHM);
    }

    @Test
    void tamperedPayload_isRefused() {
        String[] parts = sign(RSA, claims().build()).split("\\.");
        String forged = b64(claims().subject("admin").build().toString());
        refused(VERIFIER, parts[0] + "." + forged + "." + parts[2], Reason.BAD_SIGNATURE);
    }

    @Test
    void tamperedSignature_isRefused() {
        String[] parts = sign(RSA, claims().build()).split("\\.");
        char[] sig = parts[2].toCharArray();
        sig[sig.length / 2] = sig[sig.length / 2] == 'A' ? 'B' : 'A';
        refused(VERIFIER, parts[0] + "." + parts[1] + "." + new String(sig), Reason.BAD_SIGNATURE);
        refused(VERIFIER, parts[0] + "." + parts[1] + ".", Reason.UNSIGNED);
    }

    @Test
    void wrongKeyUnderATrustedKid_isRefused() {
        String token = sign(RSA_2, header(JWSAlgorithm.RS256, "rsa-1", null), claims().build());
        refused(VERIFIER, token, Reason.BAD_SIGNATURE);
    }

    @Test
    void unknownKid_isRefused() {
        String token = sign(RSA_2, claims().build());
        assertThat(refused(VERIFIER, token, Reason.UNKNOWN_KEY).getMessage()).contains("`rsa-2`");
    }

    @Test
    void expired_withinAndBeyondTheSkew() {
        String late30s = sign(
                RSA, claims().expirationTime(Date.from(NOW.minusSeconds(30))).build());
        assertThat(VERIFIER.verify(late30s).subject()).isEqualTo("agent-7");
        String late2m = sign(
                RSA, claims().expirationTime(Date.from(NOW.minusSeconds(120))).build());
        assertThat(refused(VERIFIER, late2m, Reason.EXPIRED).getMessage()).contains("2030-01-01T11:58:00Z");
        TokenVerifier strict = verifier(TRUSTED.withClockSkew(Duration.ZERO));
        refused(strict, late30s, Reason.EXPIRED);
    }

    @Test
    void notYetValid_nbfOrIatInTheFuture() {
        refused(
                VERIFIER,
                sign(
                        RSA,
                        claims().notBeforeTime(Date.from(NOW.plusSeconds(120))).build()),
                Reason.NOT_YET_VALID);
        refused(
                VERIFIER,
                sign(RSA, claims().issueTime(Date.from(NOW.plusSeconds(120))).build()),
                Reason.NOT_YET_VALID);
        assertThat(VERIFIER.verify(sign(
                        RSA,
                        claims().notBeforeTime(Date.from(NOW.plusSeconds(30))).build())))
                .isNotNull();
    }

    @Test
    void requiredClaims() {
        refused(VERIFIER, sign(RSA, claims().expirationTime(null).build()), Reason.MISSING_CLAIM);
        refused(VERIFIER, sign(RSA, claims().subject(null).build()), Reason.MISSING_CLAIM);
        refused(VERIFIER, sign(RSA, claims().issuer(null).build()), Reason.UNKNOWN_ISSUER);
    }

    @Test
    void wrongAudience() {
        TokenException e =
                refused(VERIFIER, sign(RSA, claims().audience("billing").build()), Reason.WRONG_AUDIENCE);
        assertThat(e.getMessage()).contains("`billing`");
        refused(VERIFIER, sign(RSA, claims().audience(List.of()).build()), Reason.WRONG_AUDIENCE);
        VerifiedToken t = VERIFIER.verify(
                sign(RSA, claims().audience(List.of("billing", AUDIENCE)).build()));
        assertThat(t.audience()).containsExactlyInAnyOrder("billing", AUDIENCE);
    }

    @Test
    void wrongIssuer() {
        TokenException e =
                refused(VERIFIER, sign(RSA, claims().issuer("https://evil.test").build()), Reason.UNKNOWN_ISSUER);
        assertThat(e.getMessage()).contains("`https://evil.test`");
        // the trusted issuer's name does not help a token signed by someone else
        refused(VERIFIER, sign(TestIdp.rsa("rsa-1"), claims().build()), Reason.BAD_SIGNATURE);
    }

    @Test
    void algorithmsAreLimitedPerIssuer() {
        TokenVerifier ecOnly = verifier(TRUSTED.withAlgorithms(Set.of("ES256")));
        refused(ecOnly, sign(RSA, claims().build()), Reason.DISALLOWED_ALGORITHM);
        assertThat(ecOnly.verify(sign(EC, claims().build()))).isNotNull();
    }

    @Test
    void securityEventTokenIsNotAnAccessToken() {
        String set =
                sign(RSA, header(JWSAlgorithm.RS256, "rsa-1", new JOSEObjectType("secevent+jwt")), claims().build());
        refused(VERIFIER, set, Reason.WRONG_TYPE);
        String at = sign(RSA, header(JWSAlgorithm.RS256, "rsa-1", new JOSEObjectType("at+jwt")), claims().build());
        assertThat(VERIFIER.verify(at)).isNotNull();
    }

    @Test
    void criticalHeaders_areRefused() {
        JWSHeader h = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("rsa-1")
                .criticalParams(Set.of("exp"))
                .customParam("exp", 1)
                .build();
        refused(VERIFIER, sign(RSA, h, claims().build()), Reason.MALFORMED);
    }

    @Test
    void malformedStrings() {
        String good = sign(RSA, claims().build());
        String[] p = good.split("\\.");
        for (String bad : List.of(
                "",
                "   ",
                "abc",
                "a.b",
                "a.b.c",
                "!!!.###.$$$",
                b64("[1,2]") + "." + p[1] + "." + p[2],
                b64("{\"typ\":\"JWT\"}") + "." + p[1] + "." + p[2],
                p[0] + "." + b64("[1,2]") + "." + p[2],
                p[0] + "." + b64("not json") + "." + p[2],
                p[0] + "." + b64("{\"exp\":\"tomorrow\",\"iss\":\"" + ISSUER + "\"}") + "." + p[2],
                good + ".x.y",
                "x".repeat(SignedTokens.MAX_TOKEN_CHARS + 1))) {
            refused(VERIFIER, bad, Reason.MALFORMED);
        }
        refused(VERIFIER, null, Reason.MALFORMED);
        // a JWE (five parts) is named as such
        assertThat(refused(VERIFIER, b64("{\"alg\":\"RSA-OAEP\",\"enc\":\"A128GCM\"}") + ".a.b.c.d", Reason.MALFORMED)
                        .getMessage())
                .contains("encrypted");
    }

    @Test
    void actChain_outermostFirst() {
        Map<String, Object> act = Map.of(
                "sub", "agent-7",
                "iss", "https://agents.test",
                "act", Map.of("sub", "orchestrator", "act", Map.of("sub", "scheduler")));
        VerifiedToken t = VERIFIER.verify(
                sign(RSA, claims().subject("alice").claim("act", act).build()));
        assertThat(t.subject()).isEqualTo("alice");
        assertThat(t.actors())
                .containsExactly(
                        new VerifiedToken.Actor("agent-7", "https://agents.test"),
                        new VerifiedToken.Actor("orchestrator", null),
                        new VerifiedToken.Actor("scheduler", null));
    }

    @Test
    void actChain_malformed() {
        refused(VERIFIER, sign(RSA, claims().claim("act", "agent-7").build()), Reason.MALFORMED);
        refused(VERIFIER, sign(RSA, claims().claim("act", Map.of("iss", "x")).build()), Reason.MALFORMED);
        refused(VERIFIER, sign(RSA, claims().claim("act", Map.of("sub", 7)).build()), Reason.MALFORMED);
        refused(
                VERIFIER,
                sign(RSA, claims().claim("act", Map.of("sub", "a", "iss", 1)).build()),
                Reason.MALFORMED);
        Map<String, Object> deep = Map.of("sub", "a0");
        for (int i = 1; i <= TokenVerifier.MAX_ACT_DEPTH; i++) {
            deep = Map.of("sub", "a" + i, "act", deep);
        }
        refused(VERIFIER, sign(RSA, claims().claim("act", deep).build()), Reason.MALFORMED);
    }

    @Test
    void claimsAreImmutablePlainValues() {
        JWTClaimsSet c = claims().claim("roles", List.of("pep", "admin"))
                .claim("meta", Map.of("team", "ops"))
                .build();
        VerifiedToken t = VERIFIER.verify(sign(RSA, c));
        assertThat(t.claims().get("roles")).isEqualTo(List.of("pep", "admin"));
        assertThat(t.claims().get("meta")).isEqualTo(Map.of("team", "ops"));
        @SuppressWarnings("unchecked")
        List<Object> roles = (List<Object>) t.claims().get("roles");
        assertThatThrownBy(() -> roles.add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shortRsaKeys_doNotVerify() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        KeyPair pair = g.generateKeyPair();
        com.nimbusds.jose.jwk.RSAKey weak = new com.nimbusds.jose.jwk.RSAKey.Builder(
                        (java.security.interfaces.RSAPublicKey) pair.getPublic())
                .privateKey(pair.getPrivate())
                .keyID("weak")
                .build();
        TokenVerifier v =
                verifier(TrustedIssuer.of(ISSUER, new KeySource.StaticJwks(TestIdp.publicSet(weak)), Set.of(AUDIENCE)));
        String input = b64("{\"alg\":\"RS256\",\"kid\":\"weak\"}") + "."
                + b64(claims().build().toString());
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(pair.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        refused(v, input + "." + Base64URL.encode(s.sign()), Reason.BAD_SIGNATURE);
    }

    @Test
    void trustedIssuer_refusesUnsafeConfigurations() {
        KeySource keys = new KeySource.StaticJwks(TestIdp.publicSet(RSA));
        assertThatThrownBy(() -> TRUSTED.withAlgorithms(Set.of("none"))).hasMessageContaining("`none`");
        assertThatThrownBy(() -> TRUSTED.withAlgorithms(Set.of("HS256"))).hasMessageContaining("shared secret");
        assertThatThrownBy(() -> TrustedIssuer.of(ISSUER, keys, Set.of())).hasMessageContaining("audience");
        assertThatThrownBy(() -> TrustedIssuer.of(" ", keys, Set.of(AUDIENCE))).hasMessageContaining("issuer");
        assertThatThrownBy(() -> new KeySource.SharedSecret(new byte[16])).hasMessageContaining("32 bytes");
        assertThat(new KeySource.SharedSecret(new byte[32]).toString()).isEqualTo("SharedSecret[32 bytes]");
        assertThatThrownBy(() -> KeySource.JwksUrl.of(java.net.URI.create("http://idp.example.com/jwks")))
                .hasMessageContaining("https");
        assertThatThrownBy(() -> KeySource.StaticJwks.parse("{\"keys\": 1}")).hasMessageContaining("JWKS");
        // a symmetric key in a public key set is dropped, leaving nothing
        assertThatThrownBy(() -> new KeySource.StaticJwks(
                        new com.nimbusds.jose.jwk.JWKSet(new OctetSequenceKey.Builder(new byte[32]).build())))
                .hasMessageContaining("no public keys");
        assertThatThrownBy(() -> verifier(TRUSTED, TRUSTED)).hasMessageContaining("twice");
    }
}
