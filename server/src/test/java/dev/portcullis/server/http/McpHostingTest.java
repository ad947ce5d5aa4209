package dev.portcullis.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.mcp.McpGatewayConfig;
import dev.portcullis.server.config.ConfigException;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The `mcp:` section: its validation, the example, and the gateway at /mcp inside the server. */
class McpHostingTest {
    private static final ObjectMapper M = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theExampleLoads() {
        Path example = Path.of("..", "examples", "mcp", "portcullis.yaml");
        ServerConfig c = ConfigLoader.load(example, Map.of());
        assertThat(c.mcp()).isNotNull();
        assertThat(c.mcp().gateway().listen()).isEqualTo(McpGatewayConfig.Listen.STDIO);
        assertThat(c.mcp().gateway().upstreams().get(0).command()).isEqualTo("npx");
        assertThat(c.mcp().authorization().serverId()).isEqualTo("fs");
    }

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("gw.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void problemsNameTheirKey() throws Exception {
        Path badUrl = write("auth: {disabled: true}\nmcp: {upstreams: [{name: a, url: 'ftp://x'}]}\n");
        assertThatThrownBy(() -> ConfigLoader.load(badUrl, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mcp.upstreams[0].url");
        Path unknown = write("auth: {disabled: true}\nmcp: {upstreams: [{name: a, command: x}], prefx: auto}\n");
        assertThatThrownBy(() -> ConfigLoader.load(unknown, Map.of())).hasMessageContaining("mcp.prefx");
        Path both = write("auth: {disabled: true}\nmcp: {upstreams: [{name: a, command: x, url: 'http://h/mcp'}]}\n");
        assertThatThrownBy(() -> ConfigLoader.load(both, Map.of()))
                .hasMessageContaining("mcp.upstreams[0]: exactly one of");
        Path authz = write(
                "auth: {disabled: true}\nmcp: {upstreams: [{name: a, command: x}], authorization: {deny_as: maybe}}\n");
        assertThatThrownBy(() -> ConfigLoader.load(authz, Map.of())).hasMessageContaining("mcp.authorization.deny_as");
        Path issuerWithoutResource = write(
                "auth: {disabled: true}\nmcp: {upstreams: [{name: a, command: x}], http: {issuers: [{issuer: 'https://i', jwks_url: 'https://i/jwks'}]}}\n");
        assertThatThrownBy(() -> ConfigLoader.load(issuerWithoutResource, Map.of()))
                .hasMessageContaining("mcp.http.resource");
    }

    @Test
    void theServerHostsTheGatewayAndItsDecisionsFollowThePolicies() throws Exception {
        Path policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("p.cedar"), """
                permit (principal, action, resource);
                forbid (principal, action == Action::"tools/call", resource == Tool::"secret");
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String yaml = """
                server: {port: 0}
                auth: {disabled: true}
                policies: {dir: policies, watch: false}
                log: {url: 'sqlite:%s'}
                mcp:
                  upstreams:
                    - name: tiny
                      command: '%s'
                      args: ['-cp', '%s', '%s']
                  identity: {subject: alice}
                  authorization: {server_id: tiny}
                """.formatted(
                        dir.resolve("d.db").toString().replace("'", "''"),
                        java,
                        System.getProperty("java.class.path").replace("'", "''"),
                        TinyMcpUpstream.class.getName());
        ServerConfig cfg = ConfigLoader.load(write(yaml), Map.of());
        try (PortcullisServer server = PortcullisServer.start(cfg)) {
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI mcp = URI.create("http://127.0.0.1:" + server.port() + "/mcp");
            HttpResponse<String> init = http.send(post(mcp, null, """
                    {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"""), HttpResponse.BodyHandlers.ofString());
            assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
            String session = init.headers().firstValue("mcp-session-id").orElseThrow();
            assertThat(M.readTree(init.body())
                            .path("result")
                            .path("protocolVersion")
                            .asText())
                    .isEqualTo("2025-06-18");

            JsonNode echo = M.readTree(http.send(post(mcp, session, """
                    {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{}}}"""), HttpResponse.BodyHandlers.ofString())
                    .body());
            assertThat(echo.path("result").toString()).contains("called echo");
            JsonNode secret = M.readTree(http.send(post(mcp, session, """
                    {"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"secret","arguments":{}}}"""), HttpResponse.BodyHandlers.ofString())
                    .body());
            assertThat(secret.toString()).doesNotContain("called secret");
            assertThat(secret.path("result").path("isError").asBoolean() || secret.has("error"))
                    .isTrue();
        }
    }

    private static HttpRequest post(URI uri, String session, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            b.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-06-18");
        }
        return b.build();
    }
}
