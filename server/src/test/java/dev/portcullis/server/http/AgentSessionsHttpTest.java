package dev.portcullis.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.server.http.AgentServer.Res;
import org.junit.jupiter.api.Test;

/**
 * Agent sessions over HTTP against {@code examples/agents}: starting, reading, revoking, renewing,
 * and what the next decision says. Identity-provider signals are in {@link SsfHttpTest}.
 */
class AgentSessionsHttpTest extends AgentHttpTest {
    @Test
    void create_returnsTheSessionAndAToken_andTheSessionDecides() {
        Res r = s.startSession(s.delegated("alice", "mailbot"), """
                {"purpose": "monthly close", "boundary": {"actions": ["read", "send_email"]}, "expires_in": "30m"}""");

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.text("id")).startsWith("ses_");
        assertThat(r.text("session_token")).startsWith("pst_");
        assertThat(r.text("agent")).isEqualTo("Agent::\"mailbot\"");
        assertThat(r.text("on_behalf_of")).isEqualTo("User::\"alice\"");
        assertThat(r.text("state")).isEqualTo("active");
        assertThat(r.body().path("boundary").path("actions").toString()).isEqualTo("[\"read\",\"send_email\"]");

        Res d = s.read(r.text("session_token"), "mailbot", "q3-forecast");
        assertThat(d.body().path("decision").asBoolean()).isTrue();
        assertThat(d.body().path("context").path("reasons").toString())
                .contains("agent:finance-reads-finance", "user:finance-reads-finance");
        // outside the boundary: denied by the boundary, the policies would allow it
        Res pay = s.decide(r.text("session_token"), "agent", "mailbot", "pay_invoice", "invoice", "inv-100", null);
        assertThat(pay.body().path("decision").asBoolean()).isFalse();
        assertThat(pay.body().path("context").path("reasons").toString()).contains("boundary:");
    }

    @Test
    void agentToken_mayComeInTheBody() {
        Res r = s.call(
                "POST", "/v1/sessions", "{\"agent_token\": \"" + s.agentToken("mailbot") + "\", \"purpose\": \"x\"}");

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.text("on_behalf_of")).isNull();
    }

    @Test
    void delete_revokes_andTheVeryNextDecisionDenies() {
        JsonNode ses = s.session(s.delegated("alice", "mailbot"), "{}");
        String token = ses.path("session_token").asText();
        assertThat(s.read(token, "mailbot", "press-release")
                        .body()
                        .path("decision")
                        .asBoolean())
                .isTrue();

        Res del = s.call(
                "DELETE",
                "/v1/sessions/" + ses.path("id").asText() + "?reason=test",
                null,
                "Authorization",
                AgentServer.ADMIN);

        assertThat(del.status()).isEqualTo(200);
        assertThat(del.text("state")).isEqualTo("revoked");
        assertThat(del.text("end_reason")).isEqualTo("test");
        Res next = s.read(token, "mailbot", "press-release");
        assertThat(next.body().path("decision").asBoolean()).isFalse();
        assertThat(next.body().path("context").path("error").path("message").asText())
                .contains("is revoked: test");
    }

    @Test
    void aSessionMayReadAndEndItselfWithItsOwnToken_butNotAnother() {
        JsonNode mine = s.session(s.agentToken("mailbot"), "{}");
        JsonNode other = s.session(s.agentToken("researcher"), "{}");
        String token = mine.path("session_token").asText();
        String id = mine.path("id").asText();

        assertThat(s.call("GET", "/v1/sessions/" + id, null, "X-Portcullis-Session", token)
                        .status())
                .isEqualTo(200);
        Res foreign = s.call("GET", "/v1/sessions/" + other.path("id").asText(), null, "X-Portcullis-Session", token);
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(s.call("GET", "/v1/sessions/" + id, null).status()).isEqualTo(401);
        // listing is for administrators only
        assertThat(s.call("GET", "/v1/sessions", null, "Authorization", AgentServer.GATEWAY)
                        .status())
                .isEqualTo(403);

        Res end = s.call("DELETE", "/v1/sessions/" + id, null, "X-Portcullis-Session", token);
        assertThat(end.status()).isEqualTo(200);
        assertThat(end.text("state")).isEqualTo("revoked");
        assertThat(s.call("GET", "/v1/sessions/" + other.path("id").asText(), null, "Authorization", AgentServer.ADMIN)
                        .text("state"))
                .isEqualTo("active");
    }

    @Test
    void get_showsTheCompiledBoundary() {
        JsonNode ses = s.session(
                s.agentToken("mailbot"), "{\"boundary\": {\"actions\": [\"read\"], \"datasets\": [\"finance\"]}}");

        Res r = s.call("GET", "/v1/sessions/" + ses.path("id").asText(), null, "Authorization", AgentServer.ADMIN);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text("boundary_policies")).contains("Action::\"read\"").contains("finance");
    }

    @Test
    void revokeByAgent_endsEverySessionOfThatAgent() {
        String a = s.session(s.agentToken("researcher"), "{}")
                .path("session_token")
                .asText();
        String b = s.session(s.delegated("alice", "researcher"), "{}")
                .path("session_token")
                .asText();
        String other =
                s.session(s.agentToken("mailbot"), "{}").path("session_token").asText();

        Res r = s.call(
                "POST",
                "/v1/sessions:revoke",
                "{\"agent\": \"researcher\", \"reason\": \"compromised\"}",
                "Authorization",
                AgentServer.ADMIN);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("revoked").size()).isGreaterThanOrEqualTo(2);
        assertThat(s.read(a, "researcher", "press-release")
                        .body()
                        .path("decision")
                        .asBoolean())
                .isFalse();
        assertThat(s.read(b, "researcher", "press-release")
                        .body()
                        .path("decision")
                        .asBoolean())
                .isFalse();
        assertThat(s.read(other, "mailbot", "press-release")
                        .body()
                        .path("decision")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void revokeByUser_endsTheSessionsActingForThem() {
        String forBob = s.session(s.delegated("bob", "mailbot"), "{}")
                .path("session_token")
                .asText();
        String forAlice = s.session(s.delegated("alice", "mailbot"), "{}")
                .path("session_token")
                .asText();

        Res r = s.call("POST", "/v1/sessions:revoke", "{\"user\": \"bob\"}", "Authorization", AgentServer.ADMIN);

        assertThat(r.status()).isEqualTo(200);
        assertThat(s.read(forBob, "mailbot", "press-release")
                        .body()
                        .path("decision")
                        .asBoolean())
                .isFalse();
        assertThat(s.read(forAlice, "mailbot", "press-release")
                        .body()
                        .path("decision")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void renew_issuesANewTokenAndRetiresTheOldOne() {
        JsonNode ses = s.session(s.agentToken("mailbot"), "{}");
        String old = ses.path("session_token").asText();

        Res r = s.call(
                "POST",
                "/v1/sessions/" + ses.path("id").asText() + ":renew",
                null,
                "Authorization",
                "Bearer " + s.agentToken("mailbot"));

        assertThat(r.status()).isEqualTo(200);
        String fresh = r.text("session_token");
        assertThat(fresh).isNotEqualTo(old);
        assertThat(s.read(fresh, "mailbot", "press-release")
                        .body()
                        .path("decision")
                        .asBoolean())
                .isTrue();
        Res stale = s.read(old, "mailbot", "press-release");
        assertThat(stale.body().path("decision").asBoolean()).isFalse();
        assertThat(stale.body().path("context").path("error").path("message").asText())
                .contains("session token is not valid");
        // another agent's token cannot take the session over
        Res hijack = s.call(
                "POST",
                "/v1/sessions/" + ses.path("id").asText() + ":renew",
                null,
                "Authorization",
                "Bearer " + s.agentToken("researcher"));
        assertThat(hijack.status()).isEqualTo(403);
    }

    @Test
    void anAgentOutsideASession_isDenied_aUserOutsideOneIsDecidedAsAlways() {
        Res agent = s.read(null, "mailbot", "press-release");
        assertThat(agent.body().path("decision").asBoolean()).isFalse();
        assertThat(agent.body().path("context").path("error").path("message").asText())
                .contains("agents act only within a session");

        Res user = s.decide(null, "user", "alice", "read", "document", "q3-forecast", null);
        assertThat(user.body().path("decision").asBoolean()).isTrue();
    }

    @Test
    void theSessionTokenMayComeInTheContext_andIsNotPassedToThePolicies() {
        String token =
                s.session(s.agentToken("mailbot"), "{}").path("session_token").asText();

        Res r = s.decide(
                null,
                "agent",
                "mailbot",
                "read",
                "document",
                "press-release",
                "{\"session_token\": \"" + token + "\"}");

        assertThat(r.body().path("decision").asBoolean()).isTrue();
        Res log = s.call("GET", "/v1/decisions?decision=allow&limit=1000", null, "Authorization", AgentServer.ADMIN);
        assertThat(log.body().toString()).doesNotContain(token);
    }

    @Test
    void aCallerMayNotSupplyTheSessionFacts() {
        Res r = s.decide(
                null,
                "user",
                "alice",
                "send_email",
                "mailbox",
                "outbox",
                "{\"recipient_domain\": \"gmail.com\", \"session\": {\"labels\": []}}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text("message")).contains("context.session` is set by Portcullis");
    }

    @Test
    void searches_takeNoSession() {
        String token =
                s.session(s.agentToken("mailbot"), "{}").path("session_token").asText();

        Res r = s.call(
                "POST",
                "/access/v1/search/resource",
                """
                {"subject": {"type": "user", "id": "alice"}, "action": {"name": "read"}, "resource": {"type": "document"}}""",
                "Authorization",
                AgentServer.GATEWAY,
                "X-Portcullis-Session",
                token);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.text("message")).contains("not made in an agent session");
    }

    @Test
    void decisionsInASession_areLoggedWithItsId() {
        JsonNode ses = s.session(s.agentToken("mailbot"), "{}");
        s.read(ses.path("session_token").asText(), "mailbot", "press-release");

        Res log = s.call(
                "GET", "/v1/decisions?session=" + ses.path("id").asText(), null, "Authorization", AgentServer.ADMIN);

        assertThat(log.body().path("decisions").size()).isEqualTo(1);
        assertThat(log.body().path("decisions").get(0).path("session_id").asText())
                .isEqualTo(ses.path("id").asText());
    }
}
