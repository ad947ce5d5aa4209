package dev.portcullis.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.mcp.McpAuthorizer;
import dev.portcullis.mcp.McpGateway;
import dev.portcullis.mcp.McpGatewayConfig;
import dev.portcullis.mcp.McpGatewayConfig.Upstream;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code server-everything} dies while a call through the gateway is running: the SDK client gets an
 * error for that call (not a result, and not its own request timeout), and the gateway goes on
 * answering.
 */
class GatewayUpstreamDeathTest {

    @Test
    void anUpstreamThatDiesMidCallAnswersTheCallWithAnError() throws Exception {
        NodeTools tools = NodeTools.get();
        EverythingServer server = EverythingServer.start(tools);
        try (McpGateway gateway = new McpGateway(
                        McpGatewayConfig.of(List.of(Upstream.http("everything", URI.create(server.url)))),
                        McpAuthorizer.allowAll())
                .start()) {
            // the client runs on a thread of its own: the gateway needs the common ForkJoinPool (see
            // GatewayCommonPoolTest), so the test must not occupy it
            ExecutorService clientThread = Executors.newSingleThreadExecutor();
            CompletableFuture<List<JsonNode>> running = CompletableFuture.supplyAsync(
                    () -> Scenario.http(gateway.url().toString())
                            .call("trigger-long-running-operation", "duration", 30, "steps", 3)
                            .run(tools),
                    clientThread);
            clientThread.shutdown();
            // the call is under way once the server has had its third POST (initialize, initialized, the call)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (server.log().split("Received MCP POST request", -1).length - 1 < 3) {
                assertThat(running.isDone())
                        .as("the call ended before the server died: %s", server.log())
                        .isFalse();
                assertThat(System.nanoTime())
                        .as("the call did not reach the server: %s", server.log())
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
            Thread.sleep(500);
            server.close();

            JsonNode step = running.get(90, TimeUnit.SECONDS).get(0);
            assertThat(step.path("ok").asBoolean()
                            && !step.path("result").path("isError").asBoolean())
                    .as("the call must not succeed: %s", step)
                    .isFalse();
            assertThat(step.toString()).doesNotContain("Request timed out");

            // the gateway itself still answers (the upstream is gone: initialize fails cleanly)
            JsonNode again = tools.runClientOutcome(
                    Scenario.http(gateway.url().toString()).listTools().json());
            assertThat(again.toString()).doesNotContain("Request timed out");
        } finally {
            server.close();
        }
    }
}
