package dev.portcullis.mcp.it;

import static dev.portcullis.mcp.it.Scenario.text;
import static dev.portcullis.mcp.it.Scenario.toolNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The official SDK client talking Streamable HTTP straight to {@code
 * @modelcontextprotocol/server-everything}: the answers the gateway must pass through unchanged.
 */
class EverythingDirectTest {

    static final String DOC = "demo://resource/static/document/architecture.md";

    @Test
    void toolsResourcesAndPromptsAnswerDirectly() {
        NodeTools tools = NodeTools.get();
        try (EverythingServer server = EverythingServer.start(tools)) {
            List<JsonNode> steps = Scenario.http(server.url)
                    .listTools()
                    .call("echo", "message", "hello gateway")
                    .call("get-sum", "a", 2, "b", 40)
                    .listResources()
                    .readResource(DOC)
                    .listPrompts()
                    .run(tools);

            assertThat(toolNames(steps.get(0))).contains("echo", "get-sum", "gzip-file-as-resource");
            assertThat(text(steps.get(1))).isEqualTo("Echo: hello gateway");
            assertThat(text(steps.get(2))).isEqualTo("The sum of 2 and 40 is 42.");
            assertThat(steps.get(3).path("result").path("resources").findValuesAsText("uri"))
                    .contains(DOC);
            assertThat(steps.get(4)
                            .path("result")
                            .path("contents")
                            .path(0)
                            .path("text")
                            .asText())
                    .startsWith("# Everything Server");
            assertThat(steps.get(5).path("result").path("prompts").findValuesAsText("name"))
                    .contains("simple-prompt", "args-prompt");
        }
    }
}
