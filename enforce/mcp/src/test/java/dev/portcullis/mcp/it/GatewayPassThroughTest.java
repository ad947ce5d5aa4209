package dev.portcullis.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.mcp.McpAuthorizer;
import dev.portcullis.mcp.McpGateway;
import dev.portcullis.mcp.McpGatewayConfig;
import dev.portcullis.mcp.McpGatewayConfig.Upstream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official SDK client through the gateway (allow-all authorizer, one upstream; Streamable HTTP
 * towards the client, or stdio with the gateway launched as the client's server command) gets exactly what it gets from the server directly: the same tool list,
 * results, resources and prompts, byte for byte after JSON parsing.
 */
class GatewayPassThroughTest {

    @TempDir
    Path tmp;

    @Test
    void serverFilesystemOverStdioAnswersThroughTheGatewayAsItDoesDirectly() {
        NodeTools tools = NodeTools.get();
        FilesystemTree tree = FilesystemTree.create(tmp);
        List<String> command = tree.serverCommand(tools);
        UnaryOperator<Scenario> steps = s -> s.listTools()
                .call("read_text_file", "path", tree.publicDir.resolve("notes.txt"))
                .call("list_directory", "path", tree.publicDir)
                .call("get_file_info", "path", tree.confidential.resolve("secret.txt"))
                .call("read_text_file", "path", tmp.getParent().resolve("elsewhere.txt"))
                .call("no_such_tool");
        List<JsonNode> direct = steps.apply(tree.directScenario(tools)).run(tools);
        try (McpGateway gateway = new McpGateway(
                        McpGatewayConfig.of(List.of(Upstream.stdio("fs", command.get(0), command.subList(1, 3)))),
                        McpAuthorizer.allowAll())
                .start()) {
            List<JsonNode> through =
                    steps.apply(Scenario.http(gateway.url().toString())).run(tools);
            assertSame(direct, through);
        }
    }

    @Test
    void serverFilesystemAnswersThroughAGatewayTheClientLaunchesOverStdio() {
        NodeTools tools = NodeTools.get();
        FilesystemTree tree = FilesystemTree.create(tmp);
        UnaryOperator<Scenario> steps = s -> s.listTools()
                .call("read_text_file", "path", tree.publicDir.resolve("notes.txt"))
                .call("directory_tree", "path", tree.root)
                .call("no_such_tool");
        List<JsonNode> direct = steps.apply(tree.directScenario(tools)).run(tools);
        List<JsonNode> through = steps.apply(
                        Scenario.stdio(StdioGatewayMain.command(tree.serverCommand(tools)), java.util.Map.of()))
                .run(tools);
        assertSame(direct, through);
    }

    @Test
    void serverEverythingOverHttpAnswersThroughTheGatewayAsItDoesDirectly() {
        NodeTools tools = NodeTools.get();
        try (EverythingServer server = EverythingServer.start(tools);
                McpGateway gateway = new McpGateway(
                                McpGatewayConfig.of(List.of(Upstream.http("everything", URI.create(server.url)))),
                                McpAuthorizer.allowAll())
                        .start()) {
            UnaryOperator<Scenario> steps = s -> s.listTools()
                    .call("echo", "message", "through the gateway")
                    .call("get-sum", "a", 19, "b", 23)
                    .call("get-tiny-image")
                    .listResources()
                    .readResource(EverythingDirectTest.DOC)
                    .listPrompts();
            List<JsonNode> direct = steps.apply(Scenario.http(server.url)).run(tools);
            List<JsonNode> through =
                    steps.apply(Scenario.http(gateway.url().toString())).run(tools);
            assertSame(direct, through);
        }
    }

    private static void assertSame(List<JsonNode> direct, List<JsonNode> through) {
        for (int i = 0; i < direct.size(); i++) {
            assertThat(through.get(i))
                    .as("step %d (%s)", i, direct.get(i).path("op"))
                    .isEqualTo(direct.get(i));
        }
    }
}
