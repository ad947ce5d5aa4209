package dev.portcullis.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.server.config.ConfigLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code examples/agents} policies, schema and entities served by a real server on an
 * ephemeral port, with an identity provider of the test's own: a key pair whose public half this
 * fixture serves as a JWKS on loopback, trusted for agent and user tokens ({@code sessions.issuers})
 * and as a Shared Signals transmitter ({@code ssf.transmitters}). Mints tokens and SETs, and speaks
 * HTTP.
 */
final class AgentServer implements AutoCloseable {
    static final String ISSUER = "https://idp.test";
    static final String GATEWAY = "Bearer gateway-key-0123456789";
    static final String ADMIN = "Bearer admin-key-0123456789ab";
    static final String APPROVER = "Bearer approver-key-01234567";
    static final ObjectMapper JSON = new ObjectMapper();

    final ECKey key;
    final ECKey otherKey;
    private final HttpServer jwks;
    final PortcullisServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    /** Starts the example with {@code sessionsYaml} added under {@code sessions:} (e.g. limits). */
    AgentServer(Path dir, String sessionsYaml) throws Exception {
        this.key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        this.otherKey = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        this.jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwks.createContext("/jwks", ex -> {
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        jwks.start();
        Path example = Path.of(System.getProperty("user.dir"))
                .resolve("../examples/agents")
                .normalize();
        for (String f : List.of("policies.cedar", "schema.cedarschema", "entities.json")) {
            Files.copy(example.resolve(f), dir.resolve(f));
        }
        String jwksUrl = "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks";
        Path cfg = dir.resolve("portcullis.yaml");
        Files.writeString(cfg, """
                server: {port: 0}
                policies: {dir: ., watch: false}
                entities: {files: [entities.json]}
                log: {url: "sqlite:%s"}
                auth:
                  api_keys:
                    - {name: gateway, key: %s, roles: [pep]}
                    - {name: ops, key: %s, roles: [admin]}
                    - {name: carol, key: %s, roles: [approver]}
                mapping:
                  types: {user: User, agent: Agent, document: Document, mailbox: Mailbox, invoice: Invoice}
                sessions:
                  issuers:
                    - {issuer: "%s", jwks_url: "%s", audiences: [portcullis]}
                  labels: {attributes: [classification], actions: [read]}
                %s
                ssf:
                  transmitters:
                    - {issuer: "%s", jwks_url: "%s", audiences: [portcullis]}
                """.formatted(
                        dir.resolve("data/agents.db"),
                        GATEWAY.substring(7),
                        ADMIN.substring(7),
                        APPROVER.substring(7),
                        ISSUER,
                        jwksUrl,
                        sessionsYaml.indent(2).stripTrailing(),
                        ISSUER,
                        jwksUrl));
        this.server = PortcullisServer.start(ConfigLoader.load(cfg, Map.of()));
    }

    // ---- tokens ----

    /** Claims of a token from the test issuer for {@code subject}, valid for five minutes. */
    static JWTClaimsSet.Builder claims(String subject) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(subject)
                .audience("portcullis")
                .issueTime(Date.from(now.minusSeconds(1)))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString());
    }

    /** An agent's own token. */
    String agentToken(String agent) {
        return sign(claims(agent).build());
    }

    /** A delegated token (RFC 8693): {@code agent} acting for {@code user}. */
    String delegated(String user, String agent) {
        return sign(claims(user).claim("act", Map.of("sub", agent)).build());
    }

    String sign(JWTClaimsSet claims) {
        return sign(claims, key, null);
    }

    static String sign(JWTClaimsSet claims, ECKey with, JOSEObjectType type) {
        try {
            JWSHeader.Builder h = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(with.getKeyID());
            if (type != null) {
                h.type(type);
            }
            SignedJWT jwt = new SignedJWT(h.build(), claims);
            jwt.sign(new ECDSASigner(with));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Security Event Token from the test transmitter with one event about {@code subject}. */
    String set(String eventType, Map<String, Object> subject, Map<String, Object> eventClaims) {
        Map<String, Object> event = new LinkedHashMap<>(eventClaims);
        event.put("subject", subject);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience("portcullis")
                .issueTime(new Date())
                .jwtID(UUID.randomUUID().toString())
                .claim("events", Map.of(eventType, event))
                .build();
        return sign(claims, key, new JOSEObjectType("secevent+jwt"));
    }

    static Map<String, Object> issSub(String sub) {
        return Map.of("format", "iss_sub", "iss", ISSUER, "sub", sub);
    }

    // ---- HTTP ----

    record Res(int status, JsonNode body, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        String text(String field) {
            return body.path(field).asText(null);
        }
    }

    /** One call; {@code headers} come in name, value pairs. */
    Res call(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i + 1] != null) {
                b.header(headers[i], headers[i + 1]);
                typed |= headers[i].equalsIgnoreCase("content-type");
            }
        }
        if (body != null && !typed) {
            b.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
            return new Res(r.statusCode(), json, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a session with {@code agentToken} in the Authorization header; {@code body} may be {@code {}}. */
    Res startSession(String agentToken, String body) {
        return call("POST", "/v1/sessions", body, "Authorization", "Bearer " + agentToken);
    }

    /** Starts a session that must succeed; returns its JSON (with {@code session_token}). */
    JsonNode session(String agentToken, String body) {
        Res r = startSession(agentToken, body);
        if (r.status() != 201) {
            throw new AssertionError("session not started: " + r.status() + " " + r.body());
        }
        return r.body();
    }

    /** An AuthZEN evaluation by the gateway in the session of {@code sessionToken} ({@code null}: none). */
    Res decide(
            String sessionToken,
            String subjectType,
            String subjectId,
            String action,
            String resourceType,
            String resourceId,
            String contextJson) {
        ObjectNode req = JSON.createObjectNode();
        req.putObject("subject").put("type", subjectType).put("id", subjectId);
        req.putObject("action").put("name", action);
        req.putObject("resource").put("type", resourceType).put("id", resourceId);
        try {
            ObjectNode ctx = contextJson == null ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(contextJson);
            ctx.putObject("portcullis").put("explain", true);
            req.set("context", ctx);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return call(
                "POST",
                "/access/v1/evaluation",
                req.toString(),
                "Authorization",
                GATEWAY,
                "X-Portcullis-Session",
                sessionToken);
    }

    /** The agent {@code mailbot} reads document {@code doc} in the session. */
    Res read(String sessionToken, String agent, String doc) {
        return decide(sessionToken, "agent", agent, "read", "document", doc, null);
    }

    /** The agent sends an email from the outbox to {@code domain} in the session. */
    Res send(String sessionToken, String agent, String domain) {
        return decide(
                sessionToken,
                "agent",
                agent,
                "send_email",
                "mailbox",
                "outbox",
                "{\"recipient_domain\": \"" + domain + "\"}");
    }

    /** The ids of all sessions, as the admin sees them. */
    List<String> sessionIds() {
        Res r = call("GET", "/v1/sessions?limit=1000", null, "Authorization", ADMIN);
        List<String> ids = new ArrayList<>();
        r.body().path("sessions").forEach(s -> ids.add(s.path("id").asText()));
        return ids;
    }

    @Override
    public void close() {
        server.close();
        jwks.stop(0);
    }
}
