package dev.portcullis.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class McpGatewayConfigTest {
    private static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    @Test
    void defaultsAndTheEnvironment() throws Exception {
        McpGatewayConfig c = McpGatewayConfig.fromJson(
                json("{\"upstreams\":[{\"name\":\"fs\",\"command\":\"npx\",\"args\":[\"-y\",\"x\"],\"cwd\":\"sub\"}],"
                        + "\"identity\":{\"subject\":\"bob\",\"claims\":{\"team\":\"red\"}}}"),
                "mcp",
                Path.of("/base"),
                Map.of("PORTCULLIS_MCP_SUBJECT", "alice", "PORTCULLIS_MCP_CLAIMS", "{\"client_id\":\"cli\"}"),
                null);
        assertThat(c.listen()).isEqualTo(McpGatewayConfig.Listen.HTTP);
        assertThat(c.prefixed()).isFalse();
        assertThat(c.separator()).isEqualTo("__");
        assertThat(c.maxMessageBytes()).isEqualTo(4 * 1024 * 1024);
        assertThat(c.upstreams().get(0).cwd()).isEqualTo(Path.of("/base/sub"));
        assertThat(c.http().path()).isEqualTo("/mcp");
        assertThat(c.http().issuers()).isEmpty();
        // the environment names the subject; claims from both
        assertThat(c.identity().subject()).isEqualTo("alice");
        assertThat(c.identity().claims())
                .containsEntry("team", "red")
                .containsEntry("client_id", "cli")
                .containsEntry("sub", "alice");
    }

    @Test
    void problemsNameTheirKey() {
        assertThatThrownBy(() -> McpGatewayConfig.fromJson(json("{}"), "mcp", Path.of("."), Map.of(), null))
                .hasMessageStartingWith("mcp.upstreams:");
        assertThatThrownBy(() -> McpGatewayConfig.fromJson(
                        json("{\"upstreams\":[{\"name\":\"a b\",\"command\":\"x\"}]}"),
                        "mcp",
                        Path.of("."),
                        Map.of(),
                        null))
                .hasMessageStartingWith("mcp.upstreams[0].name:");
        assertThatThrownBy(() -> McpGatewayConfig.fromJson(
                        json(
                                "{\"upstreams\":[{\"name\":\"a\",\"command\":\"x\"},{\"name\":\"a\",\"url\":\"http://h/mcp\"}]}"),
                        "mcp",
                        Path.of("."),
                        Map.of(),
                        null))
                .hasMessageContaining("mcp.upstreams[1].name: `a` is listed twice");
        assertThatThrownBy(() -> McpGatewayConfig.fromJson(
                        json(
                                "{\"upstreams\":[{\"name\":\"a\",\"command\":\"x\"},{\"name\":\"b\",\"command\":\"y\"}],\"prefix\":\"never\"}"),
                        "mcp",
                        Path.of("."),
                        Map.of(),
                        null))
                .hasMessageStartingWith("mcp.prefix:");
        assertThatThrownBy(() -> McpGatewayConfig.fromJson(
                        json("{\"upstreams\":[{\"name\":\"a\",\"command\":\"x\"}],\"max_message_bytes\":10}"),
                        "mcp",
                        Path.of("."),
                        Map.of(),
                        null))
                .hasMessageStartingWith("mcp.max_message_bytes:");
        assertThatThrownBy(() -> McpGatewayConfig.fromJson(
                        json("{\"upstreams\":[{\"name\":\"a\",\"command\":\"x\"}],\"http\":{\"path\":\"mcp\"}}"),
                        "mcp",
                        Path.of("."),
                        Map.of(),
                        null))
                .hasMessageStartingWith("mcp.http.path:");
    }
}
