package dev.portcullis.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.pdp.log.DecisionLogs;
import dev.portcullis.pdp.policy.PolicyBundle;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A real server for one test on a temporary directory: a policy directory holding {@link #SCHEMA}
 * and one {@code policies.cedar}, a SQLite decision log, API keys for a PEP and an admin. Policies
 * are replaced on disk with an atomic move, as a deployment tool would, so the watcher never reads
 * half a file.
 */
final class TempServer implements AutoCloseable {
    static final String PEP_KEY = "pep-key-0123456789abcdef";
    static final String ADMIN_KEY = "admin-key-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SCHEMA = """
            entity User;
            entity Doc;
            action read appliesTo { principal: User, resource: Doc };
            """;
    /** Alice reads d1, asking for the reasons and the policy version. */
    static final String READ = """
            {"subject": {"type": "User", "id": "alice"}, "action": {"name": "read"},
             "resource": {"type": "Doc", "id": "d1"}, "context": {"portcullis": {"explain": true}}}""";

    final Path dir;
    final Path policies;
    final String logUrl;
    final PortcullisServer server;
    final HttpClient http = HttpClient.newHttpClient();
    final String base;

    private TempServer(Path dir, String policyText, boolean watch, DecisionLogs.Options logOptions) throws IOException {
        this.dir = dir;
        this.policies = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(policies.resolve("schema.cedarschema"), SCHEMA);
        Files.writeString(policies.resolve("policies.cedar"), policyText);
        this.logUrl = "sqlite:" + dir.resolve("data/decisions.db");
        Path cfg = dir.resolve("portcullis.yaml");
        Files.writeString(cfg, """
                server: {port: 0}
                policies: {dir: policies, watch: %s}
                log: {url: "%s"}
                auth:
                  api_keys:
                    - {name: gateway, key: %s, roles: [pep]}
                    - {name: ops, key: %s, roles: [admin]}
                """.formatted(watch, logUrl, PEP_KEY, ADMIN_KEY));
        ServerConfig config = ConfigLoader.load(cfg, Map.of());
        this.server = PortcullisServer.start(config, logOptions);
        this.base = "http://127.0.0.1:" + server.port();
    }

    /** Starts a server; {@code watch}: reload the policy directory on change. */
    static TempServer start(Path dir, String policyText, boolean watch) throws IOException {
        return new TempServer(dir, policyText, watch, DecisionLogs.Options.defaults());
    }

    static TempServer start(Path dir, String policyText, boolean watch, DecisionLogs.Options logOptions)
            throws IOException {
        return new TempServer(dir, policyText, watch, logOptions);
    }

    /** The version the server gives a bundle of {@code policyText} beside {@link #SCHEMA}. */
    static String versionOf(String policyText) {
        return PolicyBundle.of(Map.of("policies.cedar", policyText, "schema.cedarschema", SCHEMA))
                .version();
    }

    /** The bundle body of {@code PUT /v1/policies}. */
    static String bundleJson(String policyText) {
        ObjectNode o = JSON.createObjectNode();
        o.putObject("files").put("policies.cedar", policyText).put("schema.cedarschema", SCHEMA);
        return o.toString();
    }

    /** Replaces {@code policies.cedar} in one step (written beside the directory, then moved in). */
    void writePolicies(String policyText) throws IOException {
        Path staging = Files.createDirectories(dir.resolve("staging")).resolve("policies.cedar");
        Files.writeString(staging, policyText);
        Files.move(
                staging,
                policies.resolve("policies.cedar"),
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    record Res(int status, JsonNode body) {}

    /** A request with {@code body} (none when null) sent as JSON. */
    static HttpRequest.Builder request(String method, String url, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return b;
    }

    Res call(String method, String path, String body, String key) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(method, base + path, body);
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        boolean json = r.headers().firstValue("content-type").orElse("").startsWith("application/json");
        return new Res(r.statusCode(), json ? JSON.readTree(r.body()) : null);
    }

    Res evaluate(String body) throws IOException, InterruptedException {
        return call("POST", "/access/v1/evaluation", body, PEP_KEY);
    }

    Res admin(String method, String path, String body) throws IOException, InterruptedException {
        return call(method, path, body, ADMIN_KEY);
    }

    @Override
    public void close() {
        server.close();
        http.close();
    }
}
