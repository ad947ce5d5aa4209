package dev.portcullis.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The proxy side end to end: clients over stdio and HTTP, upstreams over stdio and HTTP, allow-all. */
class McpGatewayProxyTest {

    static List<String> names(JsonNode list, String key) {
        List<String> out = new ArrayList<>();
        list.path("result").path(key).forEach(t -> out.add(t.path("name").asText()));
        return out;
    }

    @Test
    void stdioClientToStdioUpstreamPassesThroughWithoutPrefix() throws Exception {
        try (McpGateway gw = new McpGateway(
                        McpGatewayConfig.of(List.of(Clients.stdioFake("fs"))), McpAuthorizer.allowAll());
                Clients.Stdio c = new Clients.Stdio(gw)) {
            ObjectNode init = c.call(Clients.initialize(1));
            assertThat(init.path("result").path("serverInfo").path("name").asText())
                    .isEqualTo("portcullis-mcp-gateway");
            assertThat(init.path("result").path("protocolVersion").asText()).isEqualTo("2025-11-25");
            assertThat(init.path("result")
                            .path("capabilities")
                            .path("tools")
                            .path("listChanged")
                            .asBoolean())
                    .isTrue();
            assertThat(init.path("result").path("instructions").asText()).isEqualTo("I am fs");
            c.send(FakeMcpServer.notification("notifications/initialized", null));

            // both upstream pages, one page to the client, names unprefixed (one upstream)
            ObjectNode list = c.call(Clients.request(2, "tools/list", null));
            assertThat(names(list, "tools"))
                    .containsExactly("echo", "add", "slow", "progress", "sample", "change", "die");
            assertThat(list.path("result").has("nextCursor")).isFalse();

            ObjectNode echo =
                    c.call(Clients.request("abc", "tools/call", "{\"name\":\"echo\",\"arguments\":{\"x\":1}}"));
            assertThat(echo.path("id").asText()).isEqualTo("abc");
            assertThat(echo.path("result")
                            .path("structuredContent")
                            .path("arguments")
                            .path("x")
                            .asInt())
                    .isEqualTo(1);

            // the client's ids never reach the upstream: it saw the gateway's own
            ObjectNode state = c.call(Clients.request(4, "fake/state", null));
            assertThat(state.path("id").asInt()).isEqualTo(4);
            List<String> seen = new ArrayList<>();
            state.path("result").path("seenIds").forEach(i -> seen.add(i.toString()));
            assertThat(seen).doesNotContain("\"abc\"");
            assertThat(state.path("result").path("notifications").toString()).contains("notifications/initialized");

            ObjectNode ping = c.call(Clients.request(5, "ping", null));
            assertThat(ping.path("result").isObject()).isTrue();

            ObjectNode prompt = c.call(Clients.request(6, "prompts/get", "{\"name\":\"greet\"}"));
            assertThat(prompt.toString()).contains("hello from fs");
            ObjectNode read = c.call(Clients.request(7, "resources/read", "{\"uri\":\"fake://fs/a\"}"));
            assertThat(read.toString()).contains("content of fake://fs/a");
        }
    }

    @Test
    void httpClientToTwoUpstreamsPrefixesAndRoutes() throws Exception {
        try (FakeHttpUpstream web = new FakeHttpUpstream("web")) {
            McpGatewayConfig cfg = McpGatewayConfig.of(
                    List.of(Clients.stdioFake("fs"), McpGatewayConfig.Upstream.http("web", web.url())));
            try (McpGateway gw = new McpGateway(cfg, McpAuthorizer.allowAll()).start()) {
                Clients.Http c = new Clients.Http(gw.url());
                ObjectNode init = c.initialize();
                assertThat(init.path("result")
                                .path("capabilities")
                                .path("resources")
                                .path("subscribe")
                                .asBoolean())
                        .isTrue();
                assertThat(c.session).isNotBlank();

                ObjectNode list = c.call(Clients.request(2, "tools/list", "{}"));
                assertThat(names(list, "tools"))
                        .contains("fs__echo", "web__echo", "fs__die", "web__add")
                        .hasSize(14);

                ObjectNode a = c.call(Clients.request(3, "tools/call", "{\"name\":\"fs__echo\",\"arguments\":{}}"));
                assertThat(a.path("result")
                                .path("structuredContent")
                                .path("upstream")
                                .asText())
                        .isEqualTo("fs");
                ObjectNode b = c.call(Clients.request(3, "tools/call", "{\"name\":\"web__echo\",\"arguments\":{}}"));
                assertThat(b.path("id").asInt()).isEqualTo(3);
                assertThat(b.path("result")
                                .path("structuredContent")
                                .path("upstream")
                                .asText())
                        .isEqualTo("web");

                ObjectNode prompts = c.call(Clients.request(4, "prompts/list", null));
                assertThat(names(prompts, "prompts")).containsExactly("fs__greet", "web__greet");
                ObjectNode p = c.call(Clients.request(5, "prompts/get", "{\"name\":\"web__greet\"}"));
                assertThat(p.toString()).contains("hello from web");

                // resources are routed by the URI their upstream listed
                ObjectNode res = c.call(Clients.request(6, "resources/list", null));
                assertThat(res.path("result").path("resources")).hasSize(2);
                ObjectNode read = c.call(Clients.request(7, "resources/read", "{\"uri\":\"fake://web/a\"}"));
                assertThat(read.toString()).contains("content of fake://web/a");
                c.call(Clients.request(8, "resources/templates/list", null));
                ObjectNode viaTemplate = c.call(Clients.request(9, "resources/read", "{\"uri\":\"fake://fs/t/42\"}"));
                assertThat(viaTemplate.toString()).contains("content of fake://fs/t/42");
                ObjectNode nowhere = c.call(Clients.request(10, "resources/read", "{\"uri\":\"fake://elsewhere/x\"}"));
                assertThat(nowhere.path("error").path("code").asInt()).isEqualTo(-32002);

                ObjectNode completion = c.call(
                        Clients.request(
                                11,
                                "completion/complete",
                                "{\"ref\":{\"type\":\"ref/prompt\",\"name\":\"web__greet\"},\"argument\":{\"name\":\"a\",\"value\":\"\"}}"));
                assertThat(completion.toString()).contains("web:greet");

                ObjectNode unknownTool = c.call(Clients.request(12, "tools/call", "{\"name\":\"nope__echo\"}"));
                assertThat(unknownTool.path("error").path("code").asInt()).isEqualTo(-32602);
                ObjectNode unknownMethod = c.call(Clients.request(13, "fake/state", null));
                assertThat(unknownMethod.path("error").path("code").asInt()).isEqualTo(-32601);

                ObjectNode level = c.call(Clients.request(14, "logging/setLevel", "{\"level\":\"debug\"}"));
                assertThat(level.path("result").isObject()).isTrue();

                // the HTTP upstream got its own session and the agreed protocol version
                assertThat(web.headers.get(web.headers.size() - 1).get("mcp-session-id"))
                        .isNotBlank();
                assertThat(web.lastVersionHeader().asText()).isEqualTo("2025-11-25");

                // DELETE ends the session
                var del = c.client.send(
                        java.net.http.HttpRequest.newBuilder(gw.url())
                                .header("Mcp-Session-Id", c.session)
                                .DELETE()
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(del.statusCode()).isEqualTo(200);
                var after = c.post(Clients.request(15, "ping", null).toString(), Map.of());
                assertThat(after.statusCode()).isEqualTo(404);
            }
        }
    }
}
