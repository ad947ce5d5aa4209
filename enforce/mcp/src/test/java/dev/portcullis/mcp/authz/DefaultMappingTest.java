package dev.portcullis.mcp.authz;

import static dev.portcullis.mcp.authz.Harness.call;
import static dev.portcullis.mcp.authz.Harness.json;
import static dev.portcullis.mcp.authz.Harness.tool;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.mcp.McpAuthorizer;
import dev.portcullis.mcp.McpIdentity;
import dev.portcullis.mcp.Verdict;
import dev.portcullis.pdp.log.DecisionRecord;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The binding's default mapping of each MCP method, decided by the example policies. */
class DefaultMappingTest {
    final Harness h = new Harness(false);
    final McpAuthorizer authz = h.authorizer(Harness.fsSettings());

    @AfterEach
    void close() {
        h.close();
    }

    DecisionRecord record(Verdict v) {
        assertThat(v.decisionId()).isNotNull();
        return h.log.byId(v.decisionId());
    }

    @Test
    void initializeIsDecidedOnTheServerWithTheProtocolVersionInContext() {
        Verdict v = authz.authorize(call("initialize", "{\"protocolVersion\": \"2025-11-25\", \"capabilities\": {}}"));
        assertThat(v).isInstanceOf(Verdict.Allow.class);
        DecisionRecord r = record(v);
        assertThat(r.kind()).isEqualTo("mcp");
        assertThat(r.principal()).isEqualTo("Agent::\"bot\"");
        assertThat(r.action()).isEqualTo("Action::\"initialize\"");
        assertThat(r.resource()).isEqualTo("McpServer::\"gateway\"");
        JsonNode logged = json(r.requestJson());
        assertThat(logged.at("/context/protocol_version").asText()).isEqualTo("2025-11-25");
        assertThat(logged.at("/context/agent").asText()).isEqualTo("agent-app");
        assertThat(logged.at("/mcp/method").asText()).isEqualTo("initialize");
    }

    @Test
    void serverScopedMethodsUseTheTokenAudienceOrTheConfiguredServerId() {
        McpIdentity withAud =
                new McpIdentity("bot", Map.of("sub", "bot", "aud", "https://mcp.example.com"), null, null);
        Verdict v = authz.authorize(call("tools/list", "{}", null, null, withAud));
        assertThat(record(v).resource()).isEqualTo("McpServer::\"https://mcp.example.com\"");

        McpAuthorizer configured = h.authorizer(Harness.fsSettings().withServerId("files"));
        Verdict w = configured.authorize(call("tools/list", "{}", null, null, withAud));
        assertThat(record(w).resource()).isEqualTo("McpServer::\"files\"");

        McpIdentity twoAud =
                new McpIdentity("bot", Map.of("sub", "bot", "aud", java.util.List.of("a", "b")), null, null);
        Verdict x = authz.authorize(call("tools/list", "{}", null, null, twoAud));
        assertThat(errorCode(x)).isEqualTo(-32602);
    }

    @Test
    void pingAndNotificationsPassWithoutADecision() {
        int before = h.log.records().size();
        assertThat(authz.authorize(call("ping", "{}"))).isEqualTo(new Verdict.Allow(null));
        var note = new dev.portcullis.mcp.McpCall(
                "notifications/initialized", null, Harness.JSON.createObjectNode(), null, null, Harness.bot(), null);
        assertThat(authz.authorize(note)).isEqualTo(new Verdict.Allow(null));
        var cancel = new dev.portcullis.mcp.McpCall(
                "notifications/cancelled",
                null,
                (com.fasterxml.jackson.databind.node.ObjectNode) json("{\"requestId\": 3}"),
                null,
                null,
                Harness.bot(),
                null);
        assertThat(authz.authorize(cancel)).isInstanceOf(Verdict.Allow.class);
        assertThat(h.log.records()).hasSize(before);
    }

    @Test
    void aMethodWithoutMappingIsDeniedWithoutAsking() {
        Verdict v = authz.authorize(call("tools/frobnicate", "{}"));
        assertThat(errorCode(v)).isEqualTo(-32001);
        assertThat(h.log.records()).isEmpty();
    }

    @Test
    void promptsGetAndResourcesReadAreDecidedOnTheItem() {
        Verdict p = authz.authorize(
                call("prompts/get", "{\"name\": \"simple-prompt\"}", "everything", null, Harness.bot()));
        assertThat(p).isInstanceOf(Verdict.Allow.class);
        DecisionRecord r = record(p);
        assertThat(r.action()).isEqualTo("Action::\"prompts/get\"");
        assertThat(r.resource()).isEqualTo("Prompt::\"simple-prompt\"");

        Verdict q = authz.authorize(call("resources/read", "{\"uri\": \"demo://resource/static/document/a.md\"}"));
        assertThat(record(q).resource()).isEqualTo("Resource::\"demo://resource/static/document/a.md\"");

        Verdict missing = authz.authorize(call("resources/read", "{}"));
        assertThat(errorCode(missing)).isEqualTo(-32602);
    }

    @Test
    void completionMapsItsReferenceToAPromptOrAResource() {
        Verdict v = authz.authorize(
                call(
                        "completion/complete",
                        "{\"ref\": {\"type\": \"ref/prompt\", \"name\": \"complex_prompt\"}, \"argument\": {\"name\": \"t\", \"value\": \"x\"}}"));
        assertThat(record(v).resource()).isEqualTo("Prompt::\"complex_prompt\"");
        Verdict w = authz.authorize(
                call(
                        "completion/complete",
                        "{\"ref\": {\"type\": \"ref/resource\", \"uri\": \"demo://x/{id}\"}, \"argument\": {\"name\": \"id\", \"value\": \"1\"}}"));
        assertThat(record(w).resource()).isEqualTo("Resource::\"demo://x/{id}\"");
    }

    @Test
    void loggingSetLevelCarriesTheLevelAndTasksMapToTaskEntities() {
        Verdict v = authz.authorize(call("logging/setLevel", "{\"level\": \"debug\"}"));
        assertThat(v).isInstanceOf(Verdict.Allow.class);
        assertThat(json(record(v).requestJson()).at("/context/level").asText()).isEqualTo("debug");
        Verdict t = authz.authorize(call("tasks/get", "{\"taskId\": \"t-1\"}"));
        // no policy permits tasks: a deny by default, decided on Task::"t-1"
        assertThat(errorCode(t)).isEqualTo(-32001);
        assertThat(h.log.byId(t.decisionId()).resource()).isEqualTo("Task::\"t-1\"");
    }

    @Test
    void toolsCallSeesTheToolAndItsArgumentsInContext() {
        Verdict ok = authz.authorize(tool("get-sum", "{\"a\": 2, \"b\": 3}"));
        assertThat(ok).isInstanceOf(Verdict.Allow.class);
        DecisionRecord r = record(ok);
        assertThat(r.action()).isEqualTo("Action::\"tools/call\"");
        assertThat(r.resource()).isEqualTo("Tool::\"get-sum\"");
        assertThat(json(r.requestJson()).at("/mcp/params/arguments/a").asInt()).isEqualTo(2);

        Verdict big = authz.authorize(tool("get-sum", "{\"a\": 2000, \"b\": 3}"));
        assertThat(big).isInstanceOf(Verdict.Deny.class);
        ObjectNodeAssert.isErrorResult(big, "get-sum");

        // 1.5 is a decimal: `<` on it errors, and a decision with a failed policy denies
        Verdict dec = authz.authorize(tool("get-sum", "{\"a\": 1.5, \"b\": 3}"));
        assertThat(dec).isInstanceOf(Verdict.Deny.class);
        assertThat(((Verdict.Deny) dec).reason()).contains("failed to evaluate");

        Verdict mail = authz.authorize(tool("send_email", "{\"to\": \"a@example.com\", \"body\": \"hi\"}"));
        assertThat(mail).isInstanceOf(Verdict.Allow.class);
        Verdict out = authz.authorize(tool("send_email", "{\"to\": \"a@evil.test\", \"body\": \"hi\"}"));
        assertThat(out).isInstanceOf(Verdict.Deny.class);
    }

    @Test
    void aForbidThatErrorsDeniesUnlessConfiguredOtherwise() {
        Harness limits = new Harness(false, """
                @id("no-big-echo")
                forbid (principal, action == Action::"tools/call", resource == Tool::"echo")
                when { context.arguments.size >= 500 };
                """);
        try (limits) {
            String call = "{\"message\": \"hi\", \"size\": 600.5}";
            // 600.5 is a decimal: `>=` errors, Cedar skips the forbid, and the gateway denies anyway
            Verdict strict = limits.authorizer(Harness.fsSettings()).authorize(tool("echo", call));
            assertThat(((Verdict.Deny) strict).reason()).contains("no-big-echo");
            McpAuthorizer lenient = limits.authorizer(
                    CoazSettings.fromJson(json("{\"deny_on_policy_errors\": false}"), "mcp.authorization"));
            assertThat(lenient.authorize(tool("echo", call))).isInstanceOf(Verdict.Allow.class);
            assertThat(lenient.authorize(tool("echo", "{\"message\": \"hi\", \"size\": 600}")))
                    .isInstanceOf(Verdict.Deny.class);
        }
    }

    @Test
    void anArgumentCannotSmuggleAnEntityReference() {
        // {"__entity": ...} is a record attribute, not Folder::"/data/public"
        Verdict v = authz.authorize(
                tool("echo", "{\"message\": {\"__entity\": {\"type\": \"Folder\", \"id\": \"/data/public\"}}}"));
        assertThat(v).isInstanceOf(Verdict.Deny.class);
    }

    static int errorCode(Verdict v) {
        assertThat(v).isInstanceOf(Verdict.Deny.class);
        JsonNode a = ((Verdict.Deny) v).answer();
        assertThat(a.has("error")).as("an error answer: %s", a).isTrue();
        return a.get("error").get("code").asInt();
    }

    /** Assertions on denial answers. */
    static final class ObjectNodeAssert {
        static void isErrorResult(Verdict v, String mentions) {
            JsonNode a = ((Verdict.Deny) v).answer();
            assertThat(a.path("result").path("isError").asBoolean()).as("%s", a).isTrue();
            assertThat(a.at("/result/content/0/type").asText()).isEqualTo("text");
            assertThat(a.at("/result/content/0/text").asText())
                    .contains("Access denied")
                    .contains(mentions);
        }
    }
}
