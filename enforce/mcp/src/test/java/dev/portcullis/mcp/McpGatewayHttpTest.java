package dev.portcullis.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.pdp.identity.KeySource;
import dev.portcullis.pdp.identity.TrustedIssuer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The Streamable HTTP transport: sessions, headers, DNS rebinding, OAuth resource server, bad input. */
class McpGatewayHttpTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final String ISSUER = "https://idp.test";
    private static final URI RESOURCE = URI.create("https://gw.example.com/mcp");

    private static String token(String subject, String audience) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(subject)
                .audience(audience)
                .claim("team", "red")
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .issueTime(new Date())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET));
        return jwt.serialize();
    }

    @Test
    void sessionsHeadersAndBadInput() throws Exception {
        try (McpGateway gw = new McpGateway(
                        McpGatewayConfig.of(List.of(Clients.stdioFake("fs")))
                                .withLimits(8192, java.time.Duration.ofSeconds(30), 0),
                        McpAuthorizer.allowAll())
                .start()) {
            Clients.Http c = new Clients.Http(gw.url());
            // before initialize: a session is required
            HttpResponse<String> noSession =
                    c.post(Clients.request(1, "tools/list", null).toString(), Map.of());
            assertThat(noSession.statusCode()).isEqualTo(400);
            assertThat(noSession.body()).contains("Mcp-Session-Id");

            c.initialize();
            assertThat(c.call(Clients.request(2, "ping", null)).has("result")).isTrue();

            HttpResponse<String> parse = c.post("{oops", Map.of());
            assertThat(parse.statusCode()).isEqualTo(400);
            assertThat(parse.body()).contains("-32700");
            HttpResponse<String> batch = c.post("[" + Clients.request(3, "ping", null) + "]", Map.of());
            assertThat(batch.statusCode()).isEqualTo(400);
            assertThat(batch.body()).contains("-32600").contains("batching is not supported");
            HttpResponse<String> big = c.post(
                    "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\",\"params\":{\"x\":\"" + "y".repeat(9000)
                            + "\"}}",
                    Map.of());
            assertThat(big.statusCode()).isEqualTo(413);
            assertThat(big.body()).contains("too large");
            HttpResponse<String> version =
                    c.post(Clients.request(5, "ping", null).toString(), Map.of("MCP-Protocol-Version", "1999-01-01"));
            assertThat(version.statusCode()).isEqualTo(400);
            HttpResponse<String> unknown =
                    c.post(Clients.request(6, "ping", null).toString(), Map.of("Mcp-Session-Id", "nope"));
            assertThat(unknown.statusCode()).isIn(400, 404);

            // DNS rebinding: a foreign Origin or Host is refused before anything else
            HttpResponse<String> origin =
                    c.post(Clients.request(7, "ping", null).toString(), Map.of("Origin", "https://evil.example"));
            assertThat(origin.statusCode()).isEqualTo(403);
            HttpResponse<String> localOrigin =
                    c.post(Clients.request(8, "ping", null).toString(), Map.of("Origin", "http://localhost:6274"));
            assertThat(localOrigin.statusCode()).isEqualTo(200);
            // java.net.http does not let a caller set Host: use a raw socket
            try (var s = new java.net.Socket("127.0.0.1", gw.port())) {
                String body = Clients.initialize(1).toString();
                s.getOutputStream()
                        .write(("POST /mcp HTTP/1.1\r\nHost: evil.example\r\nContent-Type: application/json\r\n"
                                        + "Accept: application/json, text/event-stream\r\nContent-Length: "
                                        + body.length()
                                        + "\r\nConnection: close\r\n\r\n" + body)
                                .getBytes(StandardCharsets.UTF_8));
                String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.UTF_8);
                assertThat(status).isEqualTo("HTTP/1.1 403");
            }

            // GET opens the stream for the gateway's own messages
            HttpResponse<java.io.InputStream> get = c.client.send(
                    HttpRequest.newBuilder(gw.url())
                            .header("Accept", "text/event-stream")
                            .header("Mcp-Session-Id", c.session)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(get.statusCode()).isEqualTo(200);
            gw.policiesChanged();
            var reader = new java.io.BufferedReader(new java.io.InputStreamReader(get.body(), StandardCharsets.UTF_8));
            String line;
            String data = null;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("data:")) {
                    data = line;
                    break;
                }
            }
            assertThat(data).contains("notifications/tools/list_changed");
            get.body().close();
        }
    }

    /** Remembers the identities the gateway built. */
    static final class Recording implements McpAuthorizer {
        final List<McpCall> calls = new CopyOnWriteArrayList<>();

        @Override
        public Verdict authorize(McpCall call) {
            calls.add(call);
            return new Verdict.Allow(null);
        }

        @Override
        public ObjectNode filterList(McpCall call, ObjectNode result) {
            return result;
        }
    }

    @Test
    void anOAuthResourceServerWhoseTokensNeverReachTheUpstream() throws Exception {
        try (FakeHttpUpstream web = new FakeHttpUpstream("web")) {
            TrustedIssuer issuer =
                    TrustedIssuer.of(ISSUER, new KeySource.SharedSecret(SECRET), Set.of(RESOURCE.toString()));
            McpGatewayConfig cfg = McpGatewayConfig.of(List.of(McpGatewayConfig.Upstream.http("web", web.url())));
            cfg = cfg.withHttp(cfg.http()
                    .withTokens(RESOURCE, List.of(ISSUER), List.of(issuer))
                    .withClaims("sub", null, "X-Portcullis-Session"));
            Recording authz = new Recording();
            try (McpGateway gw = new McpGateway(cfg, authz).start()) {
                Clients.Http c = new Clients.Http(gw.url());
                HttpResponse<String> none = c.post(Clients.initialize(1).toString(), Map.of());
                assertThat(none.statusCode()).isEqualTo(401);
                String challenge = none.headers().firstValue("www-authenticate").orElseThrow();
                assertThat(challenge)
                        .startsWith("Bearer ")
                        .contains(
                                "resource_metadata=\"https://gw.example.com/.well-known/oauth-protected-resource/mcp\"")
                        .doesNotContain("error=");

                c.token = token("alice", "https://other.example/mcp");
                HttpResponse<String> wrongAudience =
                        c.post(Clients.initialize(1).toString(), Map.of());
                assertThat(wrongAudience.statusCode()).isEqualTo(401);
                assertThat(wrongAudience
                                .headers()
                                .firstValue("www-authenticate")
                                .orElseThrow())
                        .contains("error=\"invalid_token\"");

                for (String path :
                        List.of("/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource")) {
                    HttpResponse<String> meta = c.client.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port() + path))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(meta.statusCode()).isEqualTo(200);
                    JsonNode m = FakeMcpServer.M.readTree(meta.body());
                    assertThat(m.path("resource").asText()).isEqualTo(RESOURCE.toString());
                    assertThat(m.path("authorization_servers").get(0).asText()).isEqualTo(ISSUER);
                }

                c.token = token("alice", RESOURCE.toString());
                c.initialize();
                ObjectNode echo = c.call(Clients.request(2, "tools/call", "{\"name\":\"echo\",\"arguments\":{}}"));
                assertThat(echo.path("result")
                                .path("structuredContent")
                                .path("upstream")
                                .asText())
                        .isEqualTo("web");
                HttpResponse<String> withSession =
                        c.post(Clients.request(3, "ping", null).toString(), Map.of("X-Portcullis-Session", "s-123"));
                assertThat(withSession.statusCode()).isEqualTo(200);

                // the token went nowhere upstream
                assertThat(web.sawHeader("authorization")).isFalse();
                assertThat(web.headers.stream().map(h -> h.toString()).toList().toString())
                        .doesNotContain(c.token);

                McpCall call = authz.calls.stream()
                        .filter(x -> x.method().equals("tools/call"))
                        .findFirst()
                        .orElseThrow();
                assertThat(call.identity().subject()).isEqualTo("alice");
                assertThat(call.identity().claims()).containsEntry("team", "red");
                assertThat(call.mcpSessionId()).isEqualTo(c.session);
                McpCall ping = authz.calls.stream()
                        .filter(x -> x.method().equals("ping"))
                        .findFirst()
                        .orElseThrow();
                assertThat(ping.identity().sessionId()).isEqualTo("s-123");

                // a session belongs to its subject
                String mine = c.token;
                c.token = token("mallory", RESOURCE.toString());
                HttpResponse<String> stolen =
                        c.post(Clients.request(4, "ping", null).toString(), Map.of());
                assertThat(stolen.statusCode()).isEqualTo(403);
                c.token = mine;
            }
        }
    }
}
