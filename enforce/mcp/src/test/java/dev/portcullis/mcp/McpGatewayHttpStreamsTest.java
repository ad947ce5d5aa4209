package dev.portcullis.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Answers that stream over HTTP, and lists paged by the gateway. */
class McpGatewayHttpStreamsTest {

    @Test
    void progressTravelsOnTheStreamOfItsRequestAndListsArePaged() throws Exception {
        McpGatewayConfig cfg = McpGatewayConfig.of(List.of(Clients.stdioFake("fs")))
                .withLimits(McpGatewayConfig.DEFAULT_MAX_MESSAGE_BYTES, Duration.ofSeconds(30), 3);
        try (McpGateway gw = new McpGateway(cfg, McpAuthorizer.allowAll()).start()) {
            Clients.Http c = new Clients.Http(gw.url());
            c.initialize();

            // an answer preceded by progress comes as an event stream: the progress, then the answer
            HttpResponse<String> r = c.post(
                    Clients.request(1, "tools/call", "{\"name\":\"progress\",\"_meta\":{\"progressToken\":\"p\"}}")
                            .toString(),
                    Map.of());
            assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
            List<ObjectNode> messages = Clients.Http.messages(r);
            assertThat(messages).hasSize(3);
            assertThat(messages.get(0).path("method").asText()).isEqualTo("notifications/progress");
            assertThat(messages.get(0).path("params").path("progressToken").asText())
                    .isEqualTo("p");
            assertThat(messages.get(2).path("id").asInt()).isEqualTo(1);

            // a plain answer comes as JSON
            HttpResponse<String> plain = c.post(
                    Clients.request(2, "tools/call", "{\"name\":\"echo\",\"arguments\":{}}")
                            .toString(),
                    Map.of());
            assertThat(plain.headers().firstValue("content-type").orElse("")).startsWith("application/json");

            // pages of three over the aggregated (and filtered) list
            List<String> names = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                String params = cursor == null ? "{}" : "{\"cursor\":\"" + cursor + "\"}";
                ObjectNode page = c.call(Clients.request(10 + pages, "tools/list", params));
                names.addAll(McpGatewayProxyTest.names(page, "tools"));
                cursor = page.path("result").path("nextCursor").asText(null);
                pages++;
            } while (cursor != null && pages < 10);
            assertThat(pages).isEqualTo(3);
            assertThat(names).containsExactly("echo", "add", "slow", "progress", "sample", "change", "die");
            ObjectNode bad = c.call(Clients.request(30, "tools/list", "{\"cursor\":\"not-ours\"}"));
            assertThat(bad.path("error").path("code").asInt()).isEqualTo(-32602);
        }
    }

    @Test
    void anHttpUpstreamThatStopsAnsweringOrGoesAwayIsAnErrorNamingIt() throws Exception {
        FakeHttpUpstream web = new FakeHttpUpstream("web");
        McpGatewayConfig cfg = McpGatewayConfig.of(List.of(McpGatewayConfig.Upstream.http("web", web.url())));
        try (McpGateway gw = new McpGateway(cfg, McpAuthorizer.allowAll()).start()) {
            Clients.Http c = new Clients.Http(gw.url());
            c.initialize();
            // `slow` ends its event stream without an answer: no waiting for the timeout
            ObjectNode slow = c.call(Clients.request(1, "tools/call", "{\"name\":\"slow\"}"));
            assertThat(slow.path("error").path("message").asText())
                    .contains("upstream `web`")
                    .contains("without a response");

            web.close();
            ObjectNode gone = c.call(Clients.request(2, "tools/call", "{\"name\":\"echo\",\"arguments\":{}}"));
            assertThat(gone.path("error").path("code").asInt()).isEqualTo(-32603);
            assertThat(gone.path("error").path("message").asText()).contains("upstream `web`");
        }
    }
}
