package dev.portcullis.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Pass-through, bad input and failures, with a stdio client and a stdio upstream. */
class McpGatewayStdioTest {

    private static McpGateway gateway(McpAuthorizer authorizer, Duration timeout) {
        McpGatewayConfig cfg =
                McpGatewayConfig.of(List.of(Clients.stdioFake("fs"))).withLimits(4096, timeout, 0);
        return new McpGateway(cfg, authorizer);
    }

    private static Clients.Stdio started(McpGateway gw) throws InterruptedException {
        Clients.Stdio c = new Clients.Stdio(gw);
        assertThat(c.call(Clients.initialize(0)).has("result")).isTrue();
        c.send(FakeMcpServer.notification("notifications/initialized", null));
        return c;
    }

    @Test
    void badInputGetsClearErrorsAndTheStreamGoesOn() throws Exception {
        try (McpGateway gw = gateway(McpAuthorizer.allowAll(), Duration.ofSeconds(30));
                Clients.Stdio c = new Clients.Stdio(gw)) {
            c.sendRaw("{not json\n");
            ObjectNode parse = c.next();
            assertThat(parse.path("error").path("code").asInt()).isEqualTo(-32700);
            assertThat(parse.get("id").isNull()).isTrue();

            c.sendRaw("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]\n");
            ObjectNode batch = c.next();
            assertThat(batch.path("error").path("code").asInt()).isEqualTo(-32600);
            assertThat(batch.path("error").path("message").asText()).contains("batching is not supported");

            c.sendRaw("{\"jsonrpc\":\"1.0\",\"id\":2,\"method\":\"ping\"}\n");
            ObjectNode version = c.next();
            assertThat(version.path("error").path("code").asInt()).isEqualTo(-32600);
            assertThat(version.path("id").asInt()).isEqualTo(2);

            c.sendRaw(
                    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"s\":\""
                            + "x".repeat(5000) + "\"}}}\n");
            ObjectNode big = c.next();
            assertThat(big.path("error").path("code").asInt()).isEqualTo(-32600);
            assertThat(big.path("error").path("message").asText())
                    .contains("too large")
                    .contains("4096");

            // requests before initialize are refused, ping is not
            assertThat(c.call(Clients.request(4, "tools/list", null))
                            .path("error")
                            .path("message")
                            .asText())
                    .contains("not initialized");
            assertThat(c.call(Clients.request(5, "ping", null)).has("result")).isTrue();

            // and the session still works
            assertThat(c.call(Clients.initialize(6)).has("result")).isTrue();
            ObjectNode echo = c.call(Clients.request(7, "tools/call", "{\"name\":\"echo\",\"arguments\":{\"a\":1}}"));
            assertThat(echo.path("result")
                            .path("structuredContent")
                            .path("arguments")
                            .path("a")
                            .asInt())
                    .isEqualTo(1);
            ObjectNode unknown = c.call(Clients.request(8, "no/such", null));
            assertThat(unknown.path("error").path("code").asInt()).isEqualTo(-32601);
        }
    }

    @Test
    void messagesSentBeforeTheInitializeAnswerWaitForIt() throws Exception {
        try (McpGateway gw = gateway(McpAuthorizer.allowAll(), Duration.ofSeconds(30));
                Clients.Stdio c = new Clients.Stdio(gw)) {
            c.send(Clients.initialize(1));
            c.send(FakeMcpServer.notification("notifications/initialized", null));
            c.send(Clients.request(2, "tools/call", "{\"name\":\"add\",\"arguments\":{\"a\":2,\"b\":3}}"));
            List<ObjectNode> answers = List.of(c.nextResponse(), c.nextResponse());
            assertThat(answers.get(0).path("id").asInt()).isEqualTo(1);
            assertThat(answers.get(1).path("id").asInt()).isEqualTo(2);
            assertThat(answers.get(1).toString()).contains("\"text\":\"5\"");
        }
    }

    @Test
    void anUpstreamThatDiesAnswersEveryPendingRequestWithAnError() throws Exception {
        try (McpGateway gw = gateway(McpAuthorizer.allowAll(), Duration.ofSeconds(60));
                Clients.Stdio c = started(gw)) {
            c.send(Clients.request(1, "tools/call", "{\"name\":\"slow\"}"));
            ObjectNode died = c.call(Clients.request(2, "tools/call", "{\"name\":\"die\"}"));
            ObjectNode other = c.nextResponse();
            List<ObjectNode> both = List.of(died, other);
            for (ObjectNode r : both) {
                assertThat(r.path("error").path("message").asText()).contains("upstream `fs`");
            }
            assertThat(both.stream().map(r -> r.path("id").asInt()).toList()).containsExactlyInAnyOrder(1, 2);
            ObjectNode after = c.call(Clients.request(3, "tools/call", "{\"name\":\"echo\"}"));
            assertThat(after.path("error").path("message").asText()).contains("upstream `fs` is not available");
        }
    }

    @Test
    void timeoutsAndCancellationReachTheUpstreamUnderItsOwnIds() throws Exception {
        try (McpGateway gw = gateway(McpAuthorizer.allowAll(), Duration.ofSeconds(1));
                Clients.Stdio c = started(gw)) {
            ObjectNode timedOut = c.call(Clients.request("t", "tools/call", "{\"name\":\"slow\"}"));
            assertThat(timedOut.path("error").path("code").asInt()).isEqualTo(-32001);
            assertThat(timedOut.path("error").path("message").asText())
                    .contains("upstream `fs`")
                    .contains("tools/call");

            c.send(Clients.request("c", "tools/call", "{\"name\":\"slow\"}"));
            ObjectNode cancel = FakeMcpServer.F.objectNode();
            cancel.put("requestId", "c").put("reason", "user");
            c.send(FakeMcpServer.notification("notifications/cancelled", cancel));
            ObjectNode state = c.call(Clients.request(9, "fake/state", null));
            // the cancelled request produced no answer; the upstream heard of both, under its own ids
            assertThat(state.path("id").asInt()).isEqualTo(9);
            List<String> cancelled = new ArrayList<>();
            state.path("result").path("cancelled").forEach(n -> cancelled.add(n.toString()));
            List<String> seen = new ArrayList<>();
            state.path("result").path("seenIds").forEach(n -> seen.add(n.toString()));
            assertThat(cancelled).hasSize(2).doesNotContain("\"c\"", "\"t\"");
            assertThat(seen).containsAll(cancelled);
        }
    }

    @Test
    void progressSamplingAndListChangedPassThrough() throws Exception {
        try (McpGateway gw = gateway(McpAuthorizer.allowAll(), Duration.ofSeconds(30));
                Clients.Stdio c = started(gw)) {
            c.send(Clients.request(1, "tools/call", "{\"name\":\"progress\",\"_meta\":{\"progressToken\":\"tok\"}}"));
            ObjectNode p1 = c.next();
            ObjectNode p2 = c.next();
            ObjectNode done = c.next();
            assertThat(p1.path("method").asText()).isEqualTo("notifications/progress");
            assertThat(p1.path("params").path("progressToken").asText()).isEqualTo("tok");
            assertThat(p2.path("params").path("progress").asInt()).isEqualTo(2);
            assertThat(done.path("id").asInt()).isEqualTo(1);

            // the upstream asks the client for a sampling while serving the call
            c.send(Clients.request(2, "tools/call", "{\"name\":\"sample\"}"));
            ObjectNode sampling = c.next();
            assertThat(sampling.path("method").asText()).isEqualTo("sampling/createMessage");
            ObjectNode answer = FakeMcpServer.F.objectNode().put("jsonrpc", "2.0");
            answer.set("id", sampling.get("id"));
            answer.putObject("result")
                    .put("role", "assistant")
                    .put("model", "m")
                    .putObject("content")
                    .put("type", "text")
                    .put("text", "hi");
            c.send(answer);
            ObjectNode sampled = c.nextResponse();
            assertThat(sampled.path("id").asInt()).isEqualTo(2);
            assertThat(sampled.toString()).contains("sampled: hi");

            // the upstream's list changes: the client is told and sees the new tool
            c.send(Clients.request(3, "tools/call", "{\"name\":\"change\"}"));
            List<String> methods = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ObjectNode m = c.next();
                methods.add(m.has("method") ? m.get("method").asText() : "response " + m.get("id"));
            }
            assertThat(methods).contains("notifications/tools/list_changed", "response 3");
            ObjectNode list = c.call(Clients.request(4, "tools/list", null));
            assertThat(McpGatewayProxyTest.names(list, "tools")).contains("added");

            // the policies changed: list_changed from the gateway itself
            gw.policiesChanged();
            List<String> announced = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                announced.add(c.next().path("method").asText());
            }
            assertThat(announced)
                    .containsExactly(
                            "notifications/tools/list_changed",
                            "notifications/prompts/list_changed",
                            "notifications/resources/list_changed");
        }
    }

    /** Denies `add` with an error, `echo` with an isError result, hides `die`; throws on `boom`. */
    static final class TestAuthorizer implements McpAuthorizer {
        final List<McpCall> calls = new CopyOnWriteArrayList<>();

        @Override
        public Verdict authorize(McpCall call) {
            calls.add(call);
            String name = call.params().path("name").asText("");
            if (call.method().equals("tools/call")) {
                switch (name) {
                    case "add" -> {
                        ObjectNode a = Json.F.objectNode();
                        a.putObject("error").put("code", -32602).put("message", "Unknown tool: add");
                        return new Verdict.Deny("d1", a, "hidden");
                    }
                    case "echo" -> {
                        if (call.params().path("arguments").path("secret").asBoolean()) {
                            ObjectNode a = Json.F.objectNode();
                            a.set("result", FakeMcpServer.text("denied by policy"));
                            ((ObjectNode) a.get("result")).put("isError", true);
                            return new Verdict.Deny("d2", a, "arguments");
                        }
                    }
                    case "boom" -> throw new IllegalStateException("the PDP is down");
                    default -> {}
                }
            }
            if (call.method().equals("notifications/roots/list_changed")) {
                return new Verdict.Deny("d3", Json.F.objectNode().set("error", Json.F.objectNode()), "no");
            }
            return new Verdict.Allow("ok");
        }

        @Override
        public ObjectNode filterList(McpCall call, ObjectNode result) {
            JsonNode tools = result.get("tools");
            if (tools != null) {
                for (int i = tools.size() - 1; i >= 0; i--) {
                    if (tools.get(i).path("name").asText().equals("die")) {
                        ((com.fasterxml.jackson.databind.node.ArrayNode) tools).remove(i);
                    }
                }
            }
            return result;
        }
    }

    @Test
    void theAuthorizerIsAskedAboutEveryMessageAndItsDenialsAreAnswered() throws Exception {
        TestAuthorizer authz = new TestAuthorizer();
        try (McpGateway gw = gateway(authz, Duration.ofSeconds(30));
                Clients.Stdio c = started(gw)) {
            ObjectNode list = c.call(Clients.request(1, "tools/list", null));
            assertThat(McpGatewayProxyTest.names(list, "tools"))
                    .contains("echo")
                    .doesNotContain("die");

            ObjectNode add =
                    c.call(Clients.request(2, "tools/call", "{\"name\":\"add\",\"arguments\":{\"a\":1,\"b\":2}}"));
            assertThat(add.path("error").path("code").asInt()).isEqualTo(-32602);
            assertThat(add.path("jsonrpc").asText()).isEqualTo("2.0");
            assertThat(add.path("id").asInt()).isEqualTo(2);

            ObjectNode echo =
                    c.call(Clients.request(3, "tools/call", "{\"name\":\"echo\",\"arguments\":{\"secret\":true}}"));
            assertThat(echo.path("result").path("isError").asBoolean()).isTrue();
            assertThat(echo.toString()).contains("denied by policy");

            ObjectNode boom = c.call(Clients.request(4, "tools/call", "{\"name\":\"boom\"}"));
            assertThat(boom.path("error").path("code").asInt()).isEqualTo(-32603);
            assertThat(boom.path("error").path("message").asText()).contains("authorization failed");

            c.send(FakeMcpServer.notification("notifications/roots/list_changed", null));
            ObjectNode state = c.call(Clients.request(5, "fake/state", null));
            // nothing denied reached the upstream: of the calls only fake/state and initialize went there
            assertThat(state.path("result").path("seenIds")).hasSize(4); // initialize, 2 list pages, fake/state
            assertThat(state.path("result").path("notifications").toString()).doesNotContain("roots");

            McpCall call = authz.calls.stream()
                    .filter(x -> x.method().equals("tools/call"))
                    .findFirst()
                    .orElseThrow();
            assertThat(call.upstream()).isEqualTo("fs");
            assertThat(call.clientName()).isEqualTo("add");
            assertThat(call.identity().subject()).isNotBlank();
            assertThat(call.mcpSessionId()).isNull();
            assertThat(authz.calls.stream().map(McpCall::method))
                    .contains(
                            "initialize",
                            "notifications/initialized",
                            "tools/list",
                            "notifications/roots/list_changed");
        }
    }
}
