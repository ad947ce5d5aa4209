package dev.portcullis.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dev.portcullis.pdp.identity.SecurityEvent;
import dev.portcullis.server.http.AgentServer.Res;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Shared Signals receiver over HTTP: a pushed Security Event Token changes the affected
 * sessions before the 202, so the very next decision in them denies; a SET that is not what it
 * should be is refused with the RFC 8935 error and changes nothing. Each test acts for a user of
 * its own, so the signals of one do not reach another.
 */
class SsfHttpTest extends AgentHttpTest {
    Res push(String set) {
        return s.call("POST", "/v1/ssf/events", set, "Content-Type", "application/secevent+jwt");
    }

    boolean reads(String token) {
        return s.read(token, "mailbot", "press-release").body().path("decision").asBoolean();
    }

    String state(JsonNode session) {
        return s.call("GET", "/v1/sessions/" + session.path("id").asText(), null, "Authorization", AgentServer.ADMIN)
                .text("state");
    }

    @Test
    void accountDisabled_endsTheSessions_andRefusesNewOnes_untilEnabled() {
        JsonNode ses = s.session(s.delegated("dora", "mailbot"), "{}");
        String token = ses.path("session_token").asText();
        assertThat(reads(token)).isTrue();

        Res r = push(s.set(SecurityEvent.ACCOUNT_DISABLED, AgentServer.issSub("dora"), Map.of()));

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.raw().body()).isEmpty();
        Res next = s.read(token, "mailbot", "press-release");
        assertThat(next.body().path("decision").asBoolean()).isFalse();
        assertThat(next.body().path("context").path("error").path("message").asText())
                .contains("account `dora` disabled");
        Res again = s.startSession(s.delegated("dora", "mailbot"), "{}");
        assertThat(again.status()).isEqualTo(403);
        assertThat(again.text("message")).contains("is disabled");

        assertThat(push(s.set(SecurityEvent.ACCOUNT_ENABLED, AgentServer.issSub("dora"), Map.of()))
                        .status())
                .isEqualTo(202);
        assertThat(s.startSession(s.delegated("dora", "mailbot"), "{}").status())
                .isEqualTo(201);
        // the ended session stays ended
        assertThat(reads(token)).isFalse();
    }

    @Test
    void sessionRevoked_withTheIdpSession_endsOnlyTheSessionsOfThatIdpSession() {
        JsonNode hit = s.session(
                s.sign(AgentServer.claims("erin")
                        .claim("act", Map.of("sub", "mailbot"))
                        .claim("sid", "idp-1")
                        .build()),
                "{}");
        JsonNode spared = s.session(
                s.sign(AgentServer.claims("erin")
                        .claim("act", Map.of("sub", "mailbot"))
                        .claim("sid", "idp-2")
                        .build()),
                "{}");

        Res r = push(s.set(
                SecurityEvent.SESSION_REVOKED,
                Map.of("user", AgentServer.issSub("erin"), "session", Map.of("format", "opaque", "id", "idp-1")),
                Map.of()));

        assertThat(r.status()).isEqualTo(202);
        assertThat(reads(hit.path("session_token").asText())).isFalse();
        assertThat(reads(spared.path("session_token").asText())).isTrue();
    }

    @Test
    void credentialChange_endsSessionsOfEarlierTokens() {
        JsonNode ses = s.session(s.delegated("fred", "mailbot"), "{}");

        Res r = push(s.set(
                SecurityEvent.CREDENTIAL_CHANGE,
                AgentServer.issSub("fred"),
                Map.of("credential_type", "password", "change_type", "update")));

        assertThat(r.status()).isEqualTo(202);
        assertThat(state(ses)).isEqualTo("revoked");
        assertThat(reads(ses.path("session_token").asText())).isFalse();
    }

    @Test
    void tokenClaimsChange_endsTheSessions_butNewTokensMayStartNewOnes() {
        JsonNode ses = s.session(s.delegated("gina", "mailbot"), "{}");

        assertThat(push(s.set(SecurityEvent.TOKEN_CLAIMS_CHANGE, AgentServer.issSub("gina"), Map.of()))
                        .status())
                .isEqualTo(202);

        assertThat(state(ses)).isEqualTo("revoked");
        assertThat(s.startSession(s.delegated("gina", "mailbot"), "{}").status())
                .isEqualTo(201);
    }

    @Test
    void assuranceLevelChange_endsTheSessionsWhenItDecreases_only() {
        JsonNode ses = s.session(s.delegated("hank", "mailbot"), "{}");

        assertThat(push(s.set(
                                SecurityEvent.ASSURANCE_LEVEL_CHANGE,
                                AgentServer.issSub("hank"),
                                Map.of(
                                        "namespace",
                                        "NIST-AAL",
                                        "current_level",
                                        "aal3",
                                        "previous_level",
                                        "aal2",
                                        "change_direction",
                                        "increase")))
                        .status())
                .isEqualTo(202);
        assertThat(state(ses)).isEqualTo("active");

        assertThat(push(s.set(
                                SecurityEvent.ASSURANCE_LEVEL_CHANGE,
                                AgentServer.issSub("hank"),
                                Map.of(
                                        "namespace",
                                        "NIST-AAL",
                                        "current_level",
                                        "aal1",
                                        "previous_level",
                                        "aal3",
                                        "change_direction",
                                        "decrease")))
                        .status())
                .isEqualTo(202);
        assertThat(state(ses)).isEqualTo("revoked");
    }

    @Test
    void unknownEvents_areAcknowledged_andChangeNothing() {
        JsonNode ses = s.session(s.delegated("iris", "mailbot"), "{}");

        Res r = push(
                s.set(SecurityEvent.SSF_VERIFICATION, Map.of("format", "opaque", "id", "x"), Map.of("state", "abc")));

        assertThat(r.status()).isEqualTo(202);
        assertThat(state(ses)).isEqualTo("active");
    }

    @Test
    void malformedSets_get400WithTheRfc8935Error_andChangeNothing() throws Exception {
        JsonNode ses = s.session(s.delegated("jane", "mailbot"), "{}");
        String good = s.set(SecurityEvent.ACCOUNT_DISABLED, AgentServer.issSub("jane"), Map.of());
        JWTClaimsSet claims = JWTClaimsSet.parse(
                com.nimbusds.jwt.SignedJWT.parse(good).getJWTClaimsSet().toJSONObject());
        String unsigned = new PlainJWT(
                        new PlainHeader.Builder()
                                .type(new JOSEObjectType("secevent+jwt"))
                                .build(),
                        claims)
                .serialize();
        String wrongIssuer = AgentServer.sign(
                new JWTClaimsSet.Builder(claims).issuer("https://evil.test").build(),
                s.key,
                new JOSEObjectType("secevent+jwt"));
        String wrongAudience = AgentServer.sign(
                new JWTClaimsSet.Builder(claims).audience("someone-else").build(),
                s.key,
                new JOSEObjectType("secevent+jwt"));
        String forged = AgentServer.sign(claims, s.otherKey, new JOSEObjectType("secevent+jwt"));
        String[] parts = good.split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 4) + "AAAA." + parts[2];
        String email =
                s.set(SecurityEvent.ACCOUNT_DISABLED, Map.of("format", "email", "email", "jane@example.com"), Map.of());
        String noEvents = s.sign(new JWTClaimsSet.Builder()
                .issuer(AgentServer.ISSUER)
                .audience("portcullis")
                .issueTime(new Date())
                .jwtID(UUID.randomUUID().toString())
                .build());

        record Case(String set, String err, String contentType) {}
        List<Case> cases = List.of(
                new Case("not a jwt", "invalid_request", "application/secevent+jwt"),
                new Case(unsigned, "invalid_request", "application/secevent+jwt"),
                new Case(wrongIssuer, "invalid_issuer", "application/secevent+jwt"),
                new Case(wrongAudience, "invalid_audience", "application/secevent+jwt"),
                new Case(forged, "invalid_key", "application/secevent+jwt"),
                new Case(tampered, null, "application/secevent+jwt"),
                new Case(email, "invalid_request", "application/secevent+jwt"),
                new Case(noEvents, "invalid_request", "application/secevent+jwt"),
                new Case(good, "invalid_request", "application/json"));
        for (Case c : cases) {
            Res r = push0(c.set(), c.contentType());
            assertThat(r.status()).as(c.set()).isEqualTo(400);
            assertThat(r.text("description")).as(c.set()).isNotBlank();
            if (c.err() != null) {
                assertThat(r.text("err")).as(c.set()).isEqualTo(c.err());
            } else {
                assertThat(r.text("err")).isIn("invalid_request", "invalid_key");
            }
            assertThat(state(ses)).isEqualTo("active");
        }
        assertThat(reads(ses.path("session_token").asText())).isTrue();
        // the well-formed one applies
        assertThat(push(good).status()).isEqualTo(202);
        assertThat(state(ses)).isEqualTo("revoked");
        // delivered again: acknowledged
        assertThat(push(good).status()).isEqualTo(202);
    }

    Res push0(String set, String contentType) {
        return s.call("POST", "/v1/ssf/events", set, "Content-Type", contentType);
    }
}
