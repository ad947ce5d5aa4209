package dev.portcullis.server.authzen;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import dev.portcullis.server.http.PortcullisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The real server serving one directory of {@code examples/} exactly as its {@code
 * portcullis.yaml} says, except on an ephemeral port and with the decision log in a temporary
 * directory; and an HTTP client that talks to it as an AuthZEN PEP does.
 */
final class TestPdp implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PortcullisServer server;
    private final HttpClient http;
    final String base;

    private TestPdp(PortcullisServer server) {
        this.server = server;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.base = "http://127.0.0.1:" + server.port();
    }

    /** The example directory {@code examples/<name>} of the project. */
    static Path example(String name) {
        Path dir = Path.of(System.getProperty("user.dir"))
                .resolveSibling("examples")
                .resolve(name)
                .normalize();
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("portcullis.yaml")), "example not found: " + dir);
        return dir;
    }

    static TestPdp start(String exampleName, Path tmp) {
        ServerConfig config = ConfigLoader.load(example(exampleName).resolve("portcullis.yaml"), Map.of())
                .withPort(0)
                .withLogUrl("sqlite:" + tmp.resolve("decisions.db"));
        return new TestPdp(PortcullisServer.start(config));
    }

    /** An answer: the status, the body as JSON ({@code null} when it is not JSON) and the headers. */
    record Res(int status, JsonNode body, String text, HttpHeaders headers) {
        @Override
        public String toString() {
            return "HTTP " + status + " " + text;
        }
    }

    Res post(String path, JsonNode body) throws IOException, InterruptedException {
        return send(path, JSON.writeValueAsString(body), "application/json", null);
    }

    /** A POST with a raw body, a content type ({@code null}: none) and an optional X-Request-ID. */
    Res send(String path, String body, String contentType, String requestId) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (requestId != null) {
            b.header("X-Request-ID", requestId);
        }
        return exchange(b.build());
    }

    Res get(String path) throws IOException, InterruptedException {
        return exchange(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build());
    }

    private Res exchange(HttpRequest req) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = r.body().isEmpty() ? null : JSON.readTree(r.body());
        } catch (JacksonException e) {
            body = null;
        }
        return new Res(r.statusCode(), body, r.body(), r.headers());
    }

    @Override
    public void close() {
        server.close();
        http.close();
    }
}
