package dev.portcullis.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dev.portcullis.server.http.AgentServer.Res;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Starting a session with a token that is not what it should be: each is a clear 401 (or 400 for
 * a malformed request) with an RFC 6750 challenge, and no session comes of it.
 */
class SessionTokensHttpTest extends AgentHttpTest {
    @Test
    void badTokens_get401_andCreateNoSession() {
        Instant now = Instant.now();
        JWTClaimsSet good = AgentServer.claims("mailbot").build();
        String expired = s.sign(new JWTClaimsSet.Builder(good)
                .issueTime(Date.from(now.minusSeconds(3600)))
                .expirationTime(Date.from(now.minusSeconds(600)))
                .build());
        String wrongAudience = s.sign(
                new JWTClaimsSet.Builder(good).audience("another-service").build());
        String wrongIssuer = s.sign(
                new JWTClaimsSet.Builder(good).issuer("https://evil.test").build());
        String unsigned = new PlainJWT(new PlainHeader(), good).serialize();
        String forged = AgentServer.sign(good, s.otherKey, null);
        String[] parts = s.sign(good).split("\\.");
        // the same signature over claims naming another agent
        String tampered = parts[0] + "."
                + com.nimbusds.jose.util.Base64URL.encode(new JWTClaimsSet.Builder(good)
                        .subject("researcher")
                        .build()
                        .toString())
                + "." + parts[2];
        String aSet = AgentServer.sign(good, s.key, new JOSEObjectType("secevent+jwt"));

        record Case(String name, String token, String says) {}
        List<Case> cases = List.of(
                new Case("expired", expired, "expired"),
                new Case("wrong audience", wrongAudience, "not for this service"),
                new Case("wrong issuer", wrongIssuer, "issuer"),
                new Case("unsigned", unsigned, "unsigned"),
                new Case("forged", forged, "signature"),
                new Case("tampered", tampered, "signature"),
                new Case("a security event token", aSet, "security event token"),
                new Case("not a jwt", "hello", "jwt"));
        List<String> before = s.sessionIds();
        for (Case c : cases) {
            Res r = s.startSession(c.token(), "{\"purpose\": \"" + c.name() + "\"}");
            assertThat(r.status()).as(c.name()).isEqualTo(401);
            assertThat(r.text("message")).as(c.name()).startsWith("agent token refused: ");
            assertThat(r.text("message").toLowerCase()).as(c.name()).contains(c.says());
            assertThat(r.header("www-authenticate")).as(c.name()).contains("error=\"invalid_token\"");
            // the same token as the body's agent_token
            Res body = s.call("POST", "/v1/sessions", "{\"agent_token\": \"" + c.token() + "\"}");
            assertThat(body.status()).as(c.name()).isEqualTo(401);
        }
        assertThat(s.sessionIds()).isEqualTo(before);
    }

    @Test
    void aBadUserToken_orNoToken_orBadInput_createNoSession() {
        List<String> before = s.sessionIds();

        Res noToken = s.call("POST", "/v1/sessions", "{}");
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.header("www-authenticate")).isEqualTo("Bearer realm=\"portcullis\"");

        String expiredUser =
                s.sign(new JWTClaimsSet.Builder(AgentServer.claims("alice").build())
                        .expirationTime(Date.from(Instant.now().minusSeconds(600)))
                        .build());
        Res user = s.startSession(s.agentToken("mailbot"), "{\"user_token\": \"" + expiredUser + "\"}");
        assertThat(user.status()).isEqualTo(401);
        assertThat(user.text("message")).startsWith("user token refused");

        Res badBoundary = s.startSession(s.agentToken("mailbot"), "{\"boundary\": {\"actionz\": []}}");
        assertThat(badBoundary.status()).isEqualTo(400);
        assertThat(badBoundary.text("message")).contains("boundary").contains("actionz");
        Res tooLong = s.startSession(s.agentToken("mailbot"), "{\"expires_in\": \"30d\"}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.text("message")).contains("expires_in");
        Res unknown = s.startSession(s.agentToken("mailbot"), "{\"purpos\": \"typo\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.text("message")).contains("purpos");
        Res notJson = s.startSession(s.agentToken("mailbot"), "{nope");
        assertThat(notJson.status()).isEqualTo(400);
        Res noParent = s.startSession(s.agentToken("mailbot"), "{\"parent\": \"ses_00\", \"parent_token\": \"pst_x\"}");
        assertThat(noParent.status()).isEqualTo(404);

        assertThat(s.sessionIds()).isEqualTo(before);
    }

    @Test
    void anUnknownSessionToken_isADenyWithTheReason() {
        Res r = s.read("pst_not-a-session-token", "mailbot", "press-release");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("decision").asBoolean()).isFalse();
        assertThat(r.body().path("context").path("error").path("message").asText())
                .contains("session token is not valid");
    }

    @Test
    void theSessionIdAlone_isNoCredential() {
        String id = s.session(s.agentToken("mailbot"), "{}").path("id").asText();

        Res r = s.read(id, "mailbot", "press-release");

        assertThat(r.body().path("decision").asBoolean()).isFalse();
        assertThat(s.call("GET", "/v1/sessions/" + id, null, "X-Portcullis-Session", id)
                        .status())
                .isEqualTo(403);
    }
}
