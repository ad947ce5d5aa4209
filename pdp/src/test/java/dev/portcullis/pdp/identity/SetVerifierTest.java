package dev.portcullis.pdp.identity;

import static dev.portcullis.pdp.identity.TestIdp.NOW;
import static dev.portcullis.pdp.identity.TestIdp.RSA;
import static dev.portcullis.pdp.identity.TestIdp.b64;
import static dev.portcullis.pdp.identity.TestIdp.clockAt;
import static dev.portcullis.pdp.identity.TestIdp.header;
import static dev.portcullis.pdp.identity.TestIdp.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.pdp.identity.TokenException.Reason;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Security Event Tokens (RFC 8417) from an OpenID Shared Signals transmitter. */
class SetVerifierTest {
    static final String TRANSMITTER = "https://ssf.idp.test";
    static final String RECEIVER = "https://portcullis.test/ssf";
    static final JOSEObjectType SECEVENT = new JOSEObjectType("secevent+jwt");
    static final SetVerifier VERIFIER = new SetVerifier(
            List.of(TrustedIssuer.of(TRANSMITTER, new KeySource.StaticJwks(TestIdp.publicSet(RSA)), Set.of(RECEIVER))),
            clockAt(NOW));

    static JWTClaimsSet.Builder set(Map<String, Object> events) {
        return new JWTClaimsSet.Builder()
                .issuer(TRANSMITTER)
                .audience(RECEIVER)
                .issueTime(Date.from(NOW.minusSeconds(5)))
                .jwtID("set-1")
                .claim("events", events);
    }

    static String signSet(JWTClaimsSet claims) {
        return sign(RSA, header(JWSAlgorithm.RS256, "rsa-1", SECEVENT), claims);
    }

    static Map<String, Object> sessionRevoked(Object subject) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (subject != null) {
            body.put("subject", subject);
        }
        body.put("event_timestamp", NOW.minusSeconds(60).getEpochSecond());
        body.put("initiating_entity", "policy");
        return Map.of(SecurityEvent.SESSION_REVOKED, body);
    }

    static Reason reason(String token) {
        TokenException e = catchThrowableOfType(TokenException.class, () -> VERIFIER.verify(token));
        assertThat(e).as("should be refused").isNotNull();
        assertThat(e.getStackTrace()).isEmpty();
        return e.reason();
    }

    @Test
    void caepSessionRevoked_withTopLevelSubId() {
        SecurityEventToken t = VERIFIER.verify(signSet(set(sessionRevoked(null))
                .claim("sub_id", Map.of("format", "email", "email", "alice@example.com"))
                .claim("txn", "txn-9")
                .build()));
        assertThat(t.issuer()).isEqualTo(TRANSMITTER);
        assertThat(t.tokenId()).isEqualTo("set-1");
        assertThat(t.issuedAt()).isEqualTo(NOW.minusSeconds(5));
        assertThat(t.audience()).containsExactly(RECEIVER);
        assertThat(t.transactionId()).isEqualTo("txn-9");
        assertThat(t.subject()).isEqualTo(new SubjectId.Email("alice@example.com"));
        assertThat(t.events()).hasSize(1);
        SecurityEvent e = t.events().get(0);
        assertThat(e.type()).isEqualTo(SecurityEvent.SESSION_REVOKED);
        assertThat(e.subject()).isEqualTo(new SubjectId.Email("alice@example.com"));
        assertThat(e.eventTimestamp())
                .isEqualTo(Instant.ofEpochSecond(NOW.minusSeconds(60).getEpochSecond()));
        assertThat(e.claims()).containsEntry("initiating_entity", "policy").doesNotContainKey("subject");
    }

    @Test
    void eventSubject_winsOverSubId_andEveryFormatParses() {
        Map<String, Object> issSub = Map.of("format", "iss_sub", "iss", "https://idp.test", "sub", "u-1");
        SecurityEventToken t = VERIFIER.verify(signSet(set(sessionRevoked(issSub))
                .claim("sub_id", Map.of("format", "opaque", "id", "x"))
                .build()));
        assertThat(t.events().get(0).subject()).isEqualTo(new SubjectId.IssSub("https://idp.test", "u-1"));

        Map<String, SubjectId> expected = new LinkedHashMap<>();
        expected.put("account", new SubjectId.Account("acct:alice@example.com"));
        expected.put("phone_number", new SubjectId.PhoneNumber("+12065550100"));
        expected.put("did", new SubjectId.Did("did:example:123"));
        expected.put("uri", new SubjectId.Uri("https://example.com/u/1"));
        expected.put("jwt_id", new SubjectId.JwtId("https://idp.test", "token-1"));
        expected.put("saml_assertion_id", new SubjectId.SamlAssertionId("https://saml.test", "a-1"));
        List<Map<String, Object>> raw = List.of(
                Map.of("format", "account", "uri", "acct:alice@example.com"),
                Map.of("format", "phone_number", "phone_number", "+12065550100"),
                Map.of("format", "did", "url", "did:example:123"),
                Map.of("format", "uri", "uri", "https://example.com/u/1"),
                Map.of("format", "jwt_id", "iss", "https://idp.test", "jti", "token-1"),
                Map.of("format", "saml_assertion_id", "issuer", "https://saml.test", "assertion_id", "a-1"));
        for (Map<String, Object> r : raw) {
            SubjectId id = VERIFIER.verify(signSet(set(sessionRevoked(r)).build()))
                    .events()
                    .get(0)
                    .subject();
            assertThat(id).isEqualTo(expected.get((String) r.get("format")));
            assertThat(id.format()).isEqualTo(r.get("format"));
        }
    }

    @Test
    void complexAliasesAndUnknownFormats() {
        Map<String, Object> complex = Map.of(
                "user", Map.of("format", "email", "email", "bob@example.com"),
                "session", Map.of("format", "opaque", "id", "sess-1"));
        SubjectId c = VERIFIER.verify(signSet(set(sessionRevoked(complex)).build()))
                .events()
                .get(0)
                .subject();
        assertThat(c).isInstanceOf(SubjectId.Complex.class);
        assertThat(((SubjectId.Complex) c).member("user")).isEqualTo(new SubjectId.Email("bob@example.com"));
        assertThat(((SubjectId.Complex) c).member("session")).isEqualTo(new SubjectId.Opaque("sess-1"));

        Map<String, Object> aliases = Map.of(
                "format",
                "aliases",
                "identifiers",
                List.of(Map.of("format", "email", "email", "bob@example.com"), Map.of("format", "opaque", "id", "7")));
        assertThat(VERIFIER.verify(signSet(set(sessionRevoked(aliases)).build()))
                        .events()
                        .get(0)
                        .subject())
                .isEqualTo(new SubjectId.Aliases(
                        List.of(new SubjectId.Email("bob@example.com"), new SubjectId.Opaque("7"))));

        SubjectId other = VERIFIER.verify(signSet(set(sessionRevoked(Map.of("format", "x509", "dn", "CN=a")))
                        .build()))
                .events()
                .get(0)
                .subject();
        assertThat(other).isEqualTo(new SubjectId.Other("x509", Map.of("dn", "CN=a")));
    }

    @Test
    void severalEvents_andEventsWithoutSubject() {
        Map<String, Object> events = new LinkedHashMap<>();
        events.put(SecurityEvent.ACCOUNT_DISABLED, Map.of("reason", "hijacking"));
        events.put(SecurityEvent.SSF_VERIFICATION, Map.of("state", "abc"));
        SecurityEventToken t = VERIFIER.verify(signSet(set(events).build()));
        assertThat(t.events())
                .extracting(SecurityEvent::type)
                .containsExactlyInAnyOrder(SecurityEvent.ACCOUNT_DISABLED, SecurityEvent.SSF_VERIFICATION);
        assertThat(t.events()).allSatisfy(e -> assertThat(e.subject()).isNull());
    }

    @Test
    void typ_isOptionalButMustFitWhenPresent() {
        JWTClaimsSet claims = set(sessionRevoked(null)).build();
        assertThat(VERIFIER.verify(sign(RSA, header(JWSAlgorithm.RS256, "rsa-1", null), claims)))
                .isNotNull();
        assertThat(VERIFIER.verify(sign(
                        RSA,
                        header(JWSAlgorithm.RS256, "rsa-1", new JOSEObjectType("application/secevent+jwt")),
                        claims)))
                .isNotNull();
        assertThat(reason(sign(RSA, header(JWSAlgorithm.RS256, "rsa-1", JOSEObjectType.JWT), claims)))
                .isEqualTo(Reason.WRONG_TYPE);
    }

    @Test
    void exp_isOptionalButHonoured() {
        assertThat(VERIFIER.verify(signSet(set(sessionRevoked(null)).build())).events())
                .hasSize(1);
        assertThat(reason(signSet(set(sessionRevoked(null))
                        .expirationTime(Date.from(NOW.minusSeconds(3600)))
                        .build())))
                .isEqualTo(Reason.EXPIRED);
    }

    @Test
    void malformedSets() {
        assertThat(reason(
                        signSet(set(sessionRevoked(null)).claim("events", null).build())))
                .isEqualTo(Reason.MISSING_CLAIM);
        assertThat(reason(signSet(set(Map.of()).build()))).isEqualTo(Reason.MALFORMED);
        assertThat(reason(signSet(
                        set(sessionRevoked(null)).claim("events", "revoked").build())))
                .isEqualTo(Reason.MALFORMED);
        assertThat(reason(signSet(set(sessionRevoked(null))
                        .claim("events", List.of(SecurityEvent.SESSION_REVOKED))
                        .build())))
                .isEqualTo(Reason.MALFORMED);
        assertThat(reason(signSet(
                        set(Map.of(SecurityEvent.SESSION_REVOKED, "now")).build())))
                .isEqualTo(Reason.MALFORMED);
        assertThat(reason(signSet(set(sessionRevoked(null)).jwtID(null).build())))
                .isEqualTo(Reason.MISSING_CLAIM);
        assertThat(reason(signSet(set(sessionRevoked(null)).issueTime(null).build())))
                .isEqualTo(Reason.MISSING_CLAIM);
        assertThat(reason(signSet(set(sessionRevoked(null)).claim("txn", 5).build())))
                .isEqualTo(Reason.MALFORMED);
        // subjects
        for (Object subject : List.of(
                "alice",
                Map.of("email", "alice@example.com"),
                Map.of("format", 1, "email", "a@b"),
                Map.of("format", "email"),
                Map.of("format", "iss_sub", "iss", "https://idp.test"),
                Map.of("format", "email", "email", 5),
                Map.of("format", "aliases", "identifiers", List.of()),
                Map.of(
                        "format",
                        "aliases",
                        "identifiers",
                        List.of(Map.of(
                                "format", "aliases", "identifiers", List.of(Map.of("format", "opaque", "id", "1"))))),
                Map.of("user", Map.of("user", Map.of("format", "opaque", "id", "1"))))) {
            assertThat(reason(signSet(set(sessionRevoked(subject)).build())))
                    .as(String.valueOf(subject))
                    .isEqualTo(Reason.MALFORMED);
        }
        assertThat(reason(signSet(
                        set(sessionRevoked(null)).claim("sub_id", "alice").build())))
                .isEqualTo(Reason.MALFORMED);
        assertThat(reason("not-a-set")).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void signatureIssuerAndAudience_areChecked() {
        JWTClaimsSet claims = set(sessionRevoked(null)).build();
        assertThat(reason(signSet(
                        set(sessionRevoked(null)).audience("https://elsewhere").build())))
                .isEqualTo(Reason.WRONG_AUDIENCE);
        assertThat(reason(signSet(
                        set(sessionRevoked(null)).issuer("https://evil.test").build())))
                .isEqualTo(Reason.UNKNOWN_ISSUER);
        assertThat(reason(b64("{\"alg\":\"none\",\"typ\":\"secevent+jwt\"}") + "." + b64(claims.toString()) + "."))
                .isEqualTo(Reason.UNSIGNED);
        String[] p = signSet(claims).split("\\.");
        String forged = b64(
                set(Map.of(SecurityEvent.ACCOUNT_DISABLED, Map.of())).build().toString());
        assertThat(reason(p[0] + "." + forged + "." + p[2])).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(reason(sign(TestIdp.RSA_2, header(JWSAlgorithm.RS256, "rsa-1", SECEVENT), claims)))
                .isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void reasons_mapToRfc8935ErrorCodes() {
        assertThat(Reason.WRONG_AUDIENCE.setErrorCode()).isEqualTo("invalid_audience");
        assertThat(Reason.UNKNOWN_ISSUER.setErrorCode()).isEqualTo("invalid_issuer");
        assertThat(Reason.BAD_SIGNATURE.setErrorCode()).isEqualTo("invalid_key");
        assertThat(Reason.MALFORMED.setErrorCode()).isEqualTo("invalid_request");
        for (Reason r : Reason.values()) {
            assertThat(Set.of("invalid_request", "invalid_key", "invalid_issuer", "invalid_audience"))
                    .contains(r.setErrorCode());
        }
    }
}
