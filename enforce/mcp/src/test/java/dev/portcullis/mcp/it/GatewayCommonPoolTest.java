package dev.portcullis.mcp.it;

import static dev.portcullis.mcp.it.Scenario.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.mcp.McpAuthorizer;
import dev.portcullis.mcp.McpGateway;
import dev.portcullis.mcp.McpGatewayConfig;
import dev.portcullis.mcp.McpGatewayConfig.Upstream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/**
 * The gateway must not depend on {@link ForkJoinPool#commonPool()}, which the process hosting it
 * (e.g. {@code portcullis serve}) shares with everything else: with every worker of the common pool
 * busy, a call through the gateway to an HTTP upstream must still be answered.
 *
 * <p>Fails on the merged gateway: {@code java.net.http.HttpClient} runs the dependent actions of
 * {@code sendAsync}'s future on the common pool when the client has an executor of its own, and the
 * HTTP upstream's answer handling hangs off {@code sendAsync(...).whenComplete(...)}; the call
 * waits until the common pool frees up (here: until the SDK client gives up, after 20 s).
 */
class GatewayCommonPoolTest {

    @Test
    void aCallThroughTheGatewayDoesNotWaitForTheCommonPool() throws Exception {
        NodeTools tools = NodeTools.get();
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Void>> busy = new ArrayList<>();
        try (EverythingServer server = EverythingServer.start(tools);
                McpGateway gateway = new McpGateway(
                                McpGatewayConfig.of(List.of(Upstream.http("everything", URI.create(server.url)))),
                                McpAuthorizer.allowAll())
                        .start()) {
            for (int i = 0; i < ForkJoinPool.getCommonPoolParallelism(); i++) {
                busy.add(CompletableFuture.runAsync(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            // a generous bound: the same call takes well under a second with the common pool free
            List<JsonNode> steps = Scenario.http(gateway.url().toString())
                    .timeout(java.time.Duration.ofSeconds(20))
                    .call("echo", "message", "common pool busy")
                    .run(tools);
            assertThat(text(steps.get(0))).isEqualTo("Echo: common pool busy");
        } finally {
            release.countDown();
            busy.forEach(CompletableFuture::join);
        }
    }
}
