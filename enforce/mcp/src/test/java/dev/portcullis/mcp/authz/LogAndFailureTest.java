package dev.portcullis.mcp.authz;

import static dev.portcullis.mcp.authz.Harness.call;
import static dev.portcullis.mcp.authz.Harness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.mcp.McpAuthorizer;
import dev.portcullis.mcp.McpCall;
import dev.portcullis.mcp.Verdict;
import dev.portcullis.mcp.authz.CoazSettings.DenyAs;
import dev.portcullis.mcp.authz.CoazSettings.SessionMode;
import dev.portcullis.pdp.DecisionService;
import dev.portcullis.pdp.log.DecisionRecord;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the decision log holds (and does not), failing closed, and the settings' validation. */
class LogAndFailureTest {
    final Harness h = new Harness(false);

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void theLogHoldsTheCallWithRedactedArguments() {
        McpAuthorizer authz = h.authorizer(Harness.fsSettings());
        McpCall c = new McpCall(
                "tools/call",
                Harness.JSON.getNodeFactory().numberNode(7),
                (com.fasterxml.jackson.databind.node.ObjectNode) json("""
                        {"name": "echo", "arguments": {"message": "hi", "password": "hunter2",
                          "nested": {"password": "p2"}, "credentials": {"token": "tok-123", "user": "u"}}}
                        """),
                "everything",
                "everything__echo",
                Harness.bot(),
                "mcp-session-1");
        Verdict v = authz.authorize(c);
        assertThat(v).isInstanceOf(Verdict.Allow.class);
        DecisionRecord r = h.log.byId(v.decisionId());
        assertThat(r.kind()).isEqualTo("mcp");
        assertThat(r.caller()).isEqualTo("bot");
        String logged = r.requestJson();
        assertThat(logged).doesNotContain("hunter2", "p2", "tok-123");
        JsonNode j = json(logged);
        assertThat(j.at("/mcp/method").asText()).isEqualTo("tools/call");
        assertThat(j.at("/mcp/tool").asText()).isEqualTo("echo");
        assertThat(j.at("/mcp/client_name").asText()).isEqualTo("everything__echo");
        assertThat(j.at("/mcp/upstream").asText()).isEqualTo("everything");
        assertThat(j.at("/mcp/mcp_session_id").asText()).isEqualTo("mcp-session-1");
        assertThat(j.at("/mcp/params/arguments/message").asText()).isEqualTo("hi");
        assertThat(j.at("/mcp/params/arguments/password").asText()).isEqualTo("[redacted]");
        assertThat(j.at("/mcp/params/arguments/nested/password").asText()).isEqualTo("[redacted]");
        assertThat(j.at("/mcp/params/arguments/credentials/token").asText()).isEqualTo("[redacted]");
        assertThat(j.at("/mcp/params/arguments/credentials/user").asText()).isEqualTo("u");
        // what is forwarded is untouched
        assertThat(c.params().at("/arguments/password").asText()).isEqualTo("hunter2");
    }

    @Test
    void aDecisionServiceThatThrowsDeniesWithTheBindingsInternalError() {
        McpAuthorizer authz = CoazAuthorizers.create(Harness.fsSettings(), Harness.throwing(), null);
        Verdict v = authz.authorize(Harness.tool("echo", "{\"message\": \"hi\"}"));
        JsonNode err = ((Verdict.Deny) v).answer().get("error");
        assertThat(err.get("code").asInt()).isEqualTo(-32603);
        assertThat(err.get("message").asText()).isEqualTo("Authorization service unavailable");
        assertThat(authz.authorize(call("initialize", "{}"))).isInstanceOf(Verdict.Deny.class);

        // a list is emptied rather than shown unfiltered
        var out = authz.filterList(call("tools/list", "{}"), ListFilteringTest.tools("echo", "read_text_file"));
        assertThat(out.get("tools")).isEmpty();
    }

    @Test
    void anUnavailableEntityStoreDenies() {
        DecisionService broken = new DecisionService(
                h.store::current,
                () -> {
                    throw new IllegalStateException("entity store down");
                },
                h.log,
                Clock.systemUTC());
        McpAuthorizer authz = CoazAuthorizers.create(Harness.fsSettings().withDenyAs(DenyAs.ERROR), broken, null);
        Verdict v = authz.authorize(call("tools/list", "{}"));
        assertThat(v).isInstanceOf(Verdict.Deny.class);
        assertThat(v.decisionId()).isNotNull();
        assertThat(DefaultMappingTest.errorCode(v)).isEqualTo(-32001);
    }

    @Test
    void settingsAreValidatedWithTheirFullKeys() {
        String p = "mcp.authorization";
        assertThatThrownBy(() -> CoazSettings.fromJson(json("{\"deny_as\": \"shout\"}"), p))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("mcp.authorization.deny_as:");
        assertThatThrownBy(() -> CoazSettings.fromJson(json("{\"deny_ass\": \"error\"}"), p))
                .hasMessageStartingWith("mcp.authorization.deny_ass: unknown setting");
        assertThatThrownBy(() -> CoazSettings.fromJson(json("{\"paths\": {\"root\": \"data\"}}"), p))
                .hasMessageStartingWith("mcp.authorization.paths.root:");
        assertThatThrownBy(() -> CoazSettings.fromJson(json("{\"paths\": {\"tools\": {\"w\": {\"access\": 3}}}}"), p))
                .hasMessageStartingWith("mcp.authorization.paths.tools.w.access:");
        assertThatThrownBy(() ->
                        CoazSettings.fromJson(json("{\"mapping\": {\"types\": {\"identity\": \"not a type\"}}}"), p))
                .hasMessageStartingWith("mcp.authorization.mapping.types.identity:");
        assertThatThrownBy(() -> CoazSettings.fromJson(json("{\"sessions\": {\"mode\": \"always\"}}"), p))
                .hasMessageStartingWith("mcp.authorization.sessions.mode:");
        assertThatThrownBy(() -> CoazSettings.fromJson(json("{\"redact\": \"password\"}"), p))
                .hasMessageStartingWith("mcp.authorization.redact:");
        assertThatThrownBy(() -> CoazSettings.fromJson(json("[]"), p)).hasMessageStartingWith("mcp.authorization:");

        CoazSettings s = CoazSettings.fromJson(json("""
                {"subject_claim": "email", "agent_claim": "azp", "server_id": "files", "deny_as": "error",
                 "declared_mappings": false, "deny_on_policy_errors": false,
                 "sessions": {"mode": "per_mcp_session", "purpose": "coding"},
                 "mapping": {"types": {"identity": "User"}, "action_type": "Mcp::Action"},
                 "paths": {"root": "/srv/data/", "arguments": ["path"], "realpath": true, "entity_type": "Fs::File",
                           "folder_type": "Fs::Folder", "access": "read", "label_attributes": ["label"]},
                 "redact": ["password"]}
                """), p);
        assertThat(s.subjectClaim()).isEqualTo("email");
        assertThat(s.denyAs()).isEqualTo(DenyAs.ERROR);
        assertThat(s.sessions()).isEqualTo(SessionMode.PER_MCP_SESSION);
        assertThat(s.paths().root()).isEqualTo("/srv/data");
        assertThat(s.mapping().types()).containsEntry("identity", "User").containsEntry("tool", "Tool");
        assertThat(s.mapping().actionType()).isEqualTo("Mcp::Action");
        assertThat(CoazSettings.fromJson(null, p)).isEqualTo(CoazSettings.defaults());
    }
}
