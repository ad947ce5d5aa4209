package dev.portcullis.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.server.http.AgentServer.Res;
import org.junit.jupiter.api.Test;

/**
 * What agent sessions are for, end to end over HTTP against {@code examples/agents}: delegation
 * only narrows, acting for a user needs the user's right too, chained tool use (read confidential,
 * then mail out), human approval of one exact request, limits.
 */
class AgentScenariosHttpTest extends AgentHttpTest {
    boolean allowed(Res r) {
        assertThat(r.status()).isEqualTo(200);
        return r.body().path("decision").asBoolean();
    }

    String reasons(Res r) {
        return r.body().path("context").path("reasons").toString() + " "
                + r.body().path("context").path("error").path("message").asText("");
    }

    @Test
    void aSubAgent_cannotReachAnythingItsParentCouldNot() {
        JsonNode parent =
                s.session(s.delegated("alice", "mailbot"), "{\"boundary\": {\"actions\": [\"read\", \"send_email\"]}}");
        String parentToken = parent.path("session_token").asText();
        // the sub-agent asks for more than its parent has: reading and paying
        Res child = s.startSession(
                s.agentToken("researcher"), """
                {"parent": "%s", "parent_token": "%s", "boundary": {"actions": ["read", "pay_invoice"]}}""".formatted(parent.path("id").asText(), parentToken));
        assertThat(child.status()).isEqualTo(201);
        assertThat(child.body().path("parents").get(0).asText())
                .isEqualTo(parent.path("id").asText());
        String token = child.text("session_token");

        // what both boundaries contain passes (and the parent's user, alice, may read it too)
        assertThat(allowed(s.read(token, "researcher", "q3-forecast"))).isTrue();
        // paying is in the child's boundary, not the parent's; the policies would allow it
        Res pay = s.decide(token, "agent", "researcher", "pay_invoice", "invoice", "inv-100", null);
        assertThat(allowed(pay)).isFalse();
        assertThat(reasons(pay)).contains("boundary:");
        assertThat(allowed(s.decide(null, "user", "alice", "pay_invoice", "invoice", "inv-100", null)))
                .isTrue();

        // the log names the sub-agent's session and the chain above it, on allows and denies
        String childId = child.body().path("id").asText();
        Res log = s.call("GET", "/v1/decisions?session=" + childId, null, "Authorization", AgentServer.ADMIN);
        assertThat(log.body().path("decisions").size())
                .as(log.body().toString())
                .isEqualTo(2);
        for (JsonNode d : log.body().path("decisions")) {
            assertThat(d.path("session_id").asText()).isEqualTo(childId);
            assertThat(d.path("session_parents").toString())
                    .isEqualTo("[\"" + parent.path("id").asText() + "\"]");
        }
        Res parentLog = s.call(
                "GET", "/v1/decisions?session=" + parent.path("id").asText(), null, "Authorization", AgentServer.ADMIN);
        assertThat(parentLog.body().path("decisions").size()).isZero();

        // without the parent's current token no one can hang a sub-agent under it
        Res forged = s.startSession(
                s.agentToken("researcher"), """
                {"parent": "%s", "parent_token": "pst_not-the-token"}""".formatted(parent.path("id").asText()));
        assertThat(forged.status()).isEqualTo(403);

        // revoking the parent ends the child
        s.call("DELETE", "/v1/sessions/" + parent.path("id").asText(), null, "Authorization", AgentServer.ADMIN);
        Res after = s.read(token, "researcher", "press-release");
        assertThat(allowed(after)).isFalse();
        assertThat(reasons(after)).contains("revoked");
    }

    @Test
    void actingForAUserWhoLacksTheRight_isDenied_evenIfTheAgentHasIt() {
        // mailbot is in finance and sales; bob only in sales; the forecast is finance's
        String forBob = s.session(s.delegated("bob", "mailbot"), "{}")
                .path("session_token")
                .asText();
        String own =
                s.session(s.agentToken("mailbot"), "{}").path("session_token").asText();

        Res r = s.read(forBob, "mailbot", "q3-forecast");
        assertThat(allowed(r)).isFalse();
        assertThat(reasons(r)).contains("agent:finance-reads-finance", "user:default-deny");
        assertThat(allowed(s.read(own, "mailbot", "q3-forecast"))).isTrue();
    }

    @Test
    void afterReadingSomethingConfidential_nothingIsMailedOutside() {
        String token = s.session(s.delegated("alice", "mailbot"), "{}")
                .path("session_token")
                .asText();

        // before any confidential read: mail goes out
        assertThat(allowed(s.send(token, "mailbot", "gmail.com"))).isTrue();
        assertThat(allowed(s.read(token, "mailbot", "press-release"))).isTrue();
        assertThat(allowed(s.send(token, "mailbot", "gmail.com"))).isTrue();
        // the read that labels the session
        assertThat(allowed(s.read(token, "mailbot", "q3-forecast"))).isTrue();
        Res out = s.send(token, "mailbot", "gmail.com");
        assertThat(allowed(out)).isFalse();
        assertThat(reasons(out)).contains("no-external-mail-after-confidential-read");
        // inside the company it still may
        assertThat(allowed(s.send(token, "mailbot", "example.com"))).isTrue();
        // another session has read nothing: it may
        String fresh = s.session(s.delegated("alice", "mailbot"), "{}")
                .path("session_token")
                .asText();
        assertThat(allowed(s.send(fresh, "mailbot", "gmail.com"))).isTrue();
    }

    @Test
    void approval_grantedOnce_forTheExactRequest() {
        String token = s.session(s.delegated("alice", "mailbot"), "{}")
                .path("session_token")
                .asText();
        Res first = s.decide(token, "agent", "mailbot", "pay_invoice", "invoice", "inv-200", null);
        assertThat(allowed(first)).isFalse();
        JsonNode ctx = first.body().path("context");
        assertThat(ctx.path("reason").asText()).isEqualTo("approval_required");
        JsonNode obligation = ctx.path("obligations").get(0);
        assertThat(obligation.path("id").asText()).isEqualTo("approval_required");
        String id = obligation.path("approval_id").asText();
        assertThat(id).startsWith("apr_");

        // a pep cannot approve; an approver can
        assertThat(s.call("POST", "/v1/approvals/" + id + ":grant", null, "Authorization", AgentServer.GATEWAY)
                        .status())
                .isEqualTo(403);
        Res pending = s.call("GET", "/v1/approvals?state=pending", null, "Authorization", AgentServer.APPROVER);
        assertThat(pending.body().path("approvals").toString()).contains(id, "Invoice::\\\"inv-200\\\"");
        Res grant = s.call(
                "POST",
                "/v1/approvals/" + id + ":grant",
                "{\"note\": \"month end\"}",
                "Authorization",
                AgentServer.APPROVER);
        assertThat(grant.status()).isEqualTo(200);
        assertThat(grant.text("state")).isEqualTo("granted");
        assertThat(grant.text("approver")).isEqualTo("carol");

        // a different request under the same approval: denied
        Res other = s.decide(
                token,
                "agent",
                "mailbot",
                "pay_invoice",
                "invoice",
                "inv-300",
                "{\"approval\": {\"id\": \"" + id + "\"}}");
        assertThat(allowed(other)).isFalse();
        assertThat(reasons(other)).contains("approval:" + id + " rejected: bound to a different request");

        // the exact request: allowed once
        Res retry = s.decide(token, "agent", "mailbot", "pay_invoice", "invoice", "inv-200", null);
        assertThat(allowed(retry)).isTrue();
        assertThat(reasons(retry)).contains("approval:" + id);
        // replayed: denied, and a new approval is asked for
        Res replay = s.decide(
                token,
                "agent",
                "mailbot",
                "pay_invoice",
                "invoice",
                "inv-200",
                "{\"approval\": {\"id\": \"" + id + "\"}}");
        assertThat(allowed(replay)).isFalse();
        assertThat(reasons(replay)).contains("already used");
        assertThat(replay.body()
                        .path("context")
                        .path("obligations")
                        .get(0)
                        .path("approval_id")
                        .asText())
                .isNotEqualTo(id);
        assertThat(s.call("GET", "/v1/approvals/" + id, null, "Authorization", AgentServer.ADMIN)
                        .text("state"))
                .isEqualTo("used");
        // deciding a used approval again is a conflict
        assertThat(s.call("POST", "/v1/approvals/" + id + ":deny", null, "Authorization", AgentServer.APPROVER)
                        .status())
                .isEqualTo(409);
    }

    @Test
    void approval_denied_staysDenied() {
        String token = s.session(s.delegated("alice", "mailbot"), "{}")
                .path("session_token")
                .asText();
        Res first = s.decide(token, "agent", "mailbot", "pay_invoice", "invoice", "inv-300", null);
        String id = first.body()
                .path("context")
                .path("obligations")
                .get(0)
                .path("approval_id")
                .asText();

        Res deny = s.call(
                "POST", "/v1/approvals/" + id + ":deny", "{\"note\": \"no\"}", "Authorization", AgentServer.APPROVER);

        assertThat(deny.text("state")).isEqualTo("denied");
        Res retry = s.decide(token, "agent", "mailbot", "pay_invoice", "invoice", "inv-300", null);
        assertThat(allowed(retry)).isFalse();
        assertThat(reasons(retry)).contains("approval:" + id + " denied");
    }

    @Test
    void limits_maxActions_andPerActionCounts() {
        String token = s.session(s.delegated("alice", "mailbot"), """
                {"limits": {"max_actions": 3, "per_action": [{"action": "send_email", "count": 1, "window": "1h"}]}}""")
                .path("session_token")
                .asText();

        assertThat(allowed(s.send(token, "mailbot", "example.com"))).isTrue();
        Res second = s.send(token, "mailbot", "example.com");
        assertThat(allowed(second)).isFalse();
        assertThat(reasons(second)).contains("limit of 1 `send_email` per PT1H");
        assertThat(allowed(s.read(token, "mailbot", "press-release"))).isTrue();
        assertThat(allowed(s.read(token, "mailbot", "press-release"))).isTrue();
        Res fourth = s.read(token, "mailbot", "press-release");
        assertThat(allowed(fourth)).isFalse();
        assertThat(reasons(fourth)).contains("reached its limit of 3 actions");
    }
}
