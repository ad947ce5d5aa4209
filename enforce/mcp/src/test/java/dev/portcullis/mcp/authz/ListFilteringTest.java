package dev.portcullis.mcp.authz;

import static dev.portcullis.mcp.authz.Harness.call;
import static dev.portcullis.mcp.authz.Harness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.mcp.McpAuthorizer;
import dev.portcullis.mcp.McpCall;
import dev.portcullis.mcp.Verdict;
import dev.portcullis.mcp.authz.CoazSettings.DenyAs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Lists show what the caller may use; hidden items answer like unknown ones; denials render as configured. */
class ListFilteringTest {
    final Harness h = new Harness(false, """
            @id("hide-complex-prompt")
            forbid (principal, action in [Action::"prompts/list", Action::"prompts/get"], resource == Prompt::"complex_prompt");
            @id("hide-private-resources")
            forbid (principal, action in [Action::"resources/list", Action::"resources/read"], resource)
            when { context has uri && context.uri like "demo://private/*" };
            """);
    final McpAuthorizer authz = h.authorizer(Harness.fsSettings());

    @AfterEach
    void close() {
        h.close();
    }

    static List<String> names(ObjectNode result, String array, String field) {
        List<String> out = new ArrayList<>();
        result.get(array).forEach(t -> out.add(t.get(field).asText()));
        return out;
    }

    static ObjectNode tools(String... names) {
        ObjectNode r = Harness.JSON.createObjectNode();
        var arr = r.putArray("tools");
        for (String n : names) {
            arr.addObject().put("name", n).putObject("inputSchema").put("type", "object");
        }
        return r;
    }

    @Test
    void toolsListShowsOnlyVisibleToolsInOneBatch() {
        McpCall list = call("tools/list", "{}");
        int before = h.log.records().size();
        ObjectNode out = authz.filterList(
                list, tools("read_text_file", "move_file", "get-env", "echo", "write_file", "get-sum"));
        assertThat(names(out, "tools", "name")).containsExactly("read_text_file", "echo", "write_file", "get-sum");
        // one decision per tool, each on the log
        assertThat(h.log.records()).hasSize(before + 6);
        assertThat(h.log.records().get(before).action()).isEqualTo("Action::\"tools/list\"");
        assertThat(h.log.records().get(before).resource()).isEqualTo("Tool::\"read_text_file\"");
    }

    @Test
    void prefixedNamesAreDecidedOnTheUpstreamsOwnName() {
        McpCall list = call("tools/list", "{}", "fs", null, Harness.bot());
        ObjectNode out = authz.filterList(list, tools("fs__read_text_file", "fs__move_file"));
        assertThat(names(out, "tools", "name")).containsExactly("fs__read_text_file");
        assertThat(CoazAuthorizer.unprefix("fs_read", "fs")).isEqualTo("read");
        assertThat(CoazAuthorizer.unprefix("fs.read", "fs")).isEqualTo("read");
        assertThat(CoazAuthorizer.unprefix("fsread", "fs")).isEqualTo("fsread");
        assertThat(CoazAuthorizer.unprefix("read", null)).isEqualTo("read");
    }

    @Test
    void promptsResourcesAndTemplatesAreFiltered() {
        ObjectNode prompts =
                (ObjectNode) json("{\"prompts\": [{\"name\": \"simple-prompt\"}, {\"name\": \"complex_prompt\"}]}");
        assertThat(names(authz.filterList(call("prompts/list", "{}"), prompts), "prompts", "name"))
                .containsExactly("simple-prompt");
        ObjectNode resources = (ObjectNode) json("{\"resources\": [{\"uri\": \"demo://public/1\", \"name\": \"a\"},"
                + " {\"uri\": \"demo://private/2\", \"name\": \"b\"}], \"nextCursor\": \"c2\"}");
        ObjectNode r = authz.filterList(call("resources/list", "{}"), resources);
        assertThat(names(r, "resources", "uri")).containsExactly("demo://public/1");
        assertThat(r.get("nextCursor").asText()).isEqualTo("c2");
        ObjectNode templates = (ObjectNode)
                json("{\"resourceTemplates\": [{\"uriTemplate\": \"demo://public/{id}\", \"name\": \"t\"}]}");
        assertThat(names(
                        authz.filterList(call("resources/templates/list", "{}"), templates),
                        "resourceTemplates",
                        "uriTemplate"))
                .containsExactly("demo://public/{id}");
    }

    @Test
    void aHiddenToolCalledAnywayAnswersLikeAnUnknownTool() {
        Verdict v = authz.authorize(call(
                "tools/call", "{\"name\": \"move_file\", \"arguments\": {}}", "fs", "fs__move_file", Harness.bot()));
        JsonNode err = ((Verdict.Deny) v).answer().get("error");
        assertThat(err.get("code").asInt()).isEqualTo(-32602);
        assertThat(err.get("message").asText()).isEqualTo("Unknown tool: fs__move_file");
        assertThat(err.has("data")).isFalse();
        assertThat(v.decisionId()).isNotNull();

        Verdict p = authz.authorize(call("prompts/get", "{\"name\": \"complex_prompt\"}"));
        assertThat(((Verdict.Deny) p).answer().at("/error/code").asInt()).isEqualTo(-32602);
        Verdict r = authz.authorize(call("resources/read", "{\"uri\": \"demo://private/2\"}"));
        assertThat(((Verdict.Deny) r).answer().at("/error/code").asInt()).isEqualTo(-32002);
    }

    @Test
    void aVisibleToolDeniedOnItsArgumentsAnswersAToolErrorOrAnErrorAsConfigured() {
        String args = "{\"name\": \"get-sum\", \"arguments\": {\"a\": 5000, \"b\": 1}}";
        Verdict asResult = authz.authorize(call("tools/call", args));
        JsonNode answer = ((Verdict.Deny) asResult).answer();
        assertThat(answer.at("/result/isError").asBoolean()).isTrue();
        assertThat(answer.at("/result/content/0/text").asText()).contains("no policy permits tools/call on `get-sum`");
        assertThat(answer.at("/result/_meta/dev.portcullis~1decision_id").asText())
                .isEqualTo(asResult.decisionId());

        McpAuthorizer errors = h.authorizer(Harness.fsSettings().withDenyAs(DenyAs.ERROR));
        Verdict asError = errors.authorize(call("tools/call", args));
        JsonNode e = ((Verdict.Deny) asError).answer();
        assertThat(e.at("/error/code").asInt()).isEqualTo(-32001);
        assertThat(e.at("/error/message").asText()).startsWith("Access denied");
        assertThat(e.at("/error/data/decision_id").asText()).isEqualTo(asError.decisionId());
    }

    @Test
    void otherMethodsAreDeniedWithTheBindingsError() {
        Harness none =
                new Harness(false, "forbid (principal, action == Action::\"tools/list\", resource is McpServer);");
        try (none) {
            Verdict v = none.authorizer(Harness.fsSettings()).authorize(call("tools/list", "{}"));
            assertThat(DefaultMappingTest.errorCode(v)).isEqualTo(-32001);
        }
    }
}
