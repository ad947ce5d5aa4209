package dev.portcullis.mcp.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.cedar.json.EntityJson;
import dev.portcullis.mcp.McpAuthorizer;
import dev.portcullis.mcp.McpGateway;
import dev.portcullis.mcp.McpGatewayConfig;
import dev.portcullis.mcp.McpGatewayConfig.StaticIdentity;
import dev.portcullis.mcp.McpGatewayConfig.Upstream;
import dev.portcullis.mcp.authz.CoazAuthorizers;
import dev.portcullis.mcp.authz.CoazSettings;
import dev.portcullis.pdp.DecisionService;
import dev.portcullis.pdp.entity.StaticEntityProvider;
import dev.portcullis.pdp.log.DecisionLog;
import dev.portcullis.pdp.log.DecisionRecord;
import dev.portcullis.pdp.log.LogEntry;
import dev.portcullis.pdp.log.LogQuery;
import dev.portcullis.pdp.log.VerifyResult;
import dev.portcullis.pdp.policy.PolicyBundle;
import dev.portcullis.pdp.policy.PolicyStore;
import dev.portcullis.pdp.session.InMemorySessionStore;
import dev.portcullis.pdp.session.SessionConfig;
import dev.portcullis.pdp.session.SessionService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gateway with the COAZ-MCP authorizer and the example policy set of {@code examples/mcp}
 * (policies and entities as shipped, with the example's {@code /tmp/portcullis-mcp} root replaced by the test's
 * tree), in front of two upstreams: {@code fs} (server-filesystem over stdio) and {@code
 * everything} (server-everything over Streamable HTTP; left out when its URL is {@code null}). With
 * both, tool names reach the client prefixed
 * ({@code fs__read_text_file}). Sessions: one Portcullis agent session per MCP session, so what a
 * client read earlier in its session is visible to later decisions.
 */
final class PolicedGateway implements AutoCloseable {

    final McpGateway gateway;
    final List<DecisionRecord> log = new ArrayList<>();
    private final SessionService sessions;

    PolicedGateway(NodeTools tools, FilesystemTree tree, String everythingUrl) {
        sessions = newSessions();
        McpAuthorizer authorizer = authorizer(examples(), tree.root.toString(), log, sessions);
        List<String> fs = tree.serverCommand(tools);
        List<Upstream> upstreams = new ArrayList<>();
        upstreams.add(Upstream.stdio("fs", fs.get(0), fs.subList(1, fs.size())));
        if (everythingUrl != null) {
            upstreams.add(Upstream.http("everything", URI.create(everythingUrl)));
        }
        gateway = new McpGateway(
                        McpGatewayConfig.of(upstreams)
                                .withIdentity(new StaticIdentity(
                                        "agent-7", Map.of("sub", "agent-7", "client_id", "interop-client"), null)),
                        authorizer)
                .start();
    }

    static SessionService newSessions() {
        return new SessionService(
                SessionConfig.builder()
                        .labels(List.of("classification"), List.of("read"))
                        .flushInterval(Duration.ofHours(1))
                        .build(),
                new InMemorySessionStore());
    }

    /**
     * The COAZ-MCP authorizer over the example policies and entities in {@code examples} with their
     * {@code /tmp/portcullis-mcp} root replaced by {@code root}; decisions appended to {@code log}.
     */
    static McpAuthorizer authorizer(Path examples, String root, List<DecisionRecord> log, SessionService sessions) {
        PolicyStore store = new PolicyStore();
        store.update(PolicyBundle.of(Map.of(
                "policies.cedar", read(examples.resolve("policies.cedar")).replace("/tmp/portcullis-mcp", root))));
        JsonNode entities = json(read(examples.resolve("entities.json")).replace("/tmp/portcullis-mcp", root));
        // server-everything's gzip-file-as-resource fetches a URL: the test's outbound tool
        ((com.fasterxml.jackson.databind.node.ArrayNode) entities)
                .add(json("{\"uid\": {\"type\": \"Tool\", \"id\": \"gzip-file-as-resource\"}, \"attrs\": {},"
                        + " \"parents\": [{\"type\": \"ToolGroup\", \"id\": \"callable\"},"
                        + " {\"type\": \"ToolGroup\", \"id\": \"outbound\"}]}"));
        StaticEntityProvider data = new StaticEntityProvider(EntityJson.parse(entities, null));
        DecisionService decisions =
                new DecisionService(store::current, data, new Log(log), Clock.systemUTC(), sessions);
        CoazSettings settings = CoazSettings.fromJson(json("""
                        {
                          "server_id": "interop",
                          "sessions": {"mode": "per_mcp_session", "purpose": "interop test"},
                          "paths": {
                            "root": "%s",
                            "realpath": true,
                            "arguments": ["path", "source", "destination"],
                            "tools": {"write_file": {"access": "write"}, "list_directory": {"access": "list"}}
                          }
                        }
                        """.formatted(root)), "mcp.authorization");
        return CoazAuthorizers.create(settings, decisions, sessions, null, data);
    }

    String url() {
        return gateway.url().toString();
    }

    /** The examples directory, from the module (surefire's working directory) or the repository root. */
    static Path examples() {
        for (Path p : List.of(Path.of("../../examples/mcp"), Path.of("examples/mcp"))) {
            if (Files.exists(p.resolve("policies.cedar"))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "examples/mcp not found from " + Path.of("").toAbsolutePath());
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String s) {
        try {
            return NodeTools.JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        gateway.close();
        sessions.close();
    }

    /** The decision log, in memory: what the test reads back. */
    private record Log(List<DecisionRecord> records) implements DecisionLog {
        @Override
        public void append(DecisionRecord record) {
            synchronized (records) {
                records.add(record);
            }
        }

        @Override
        public List<LogEntry> query(LogQuery query) {
            throw new UnsupportedOperationException("not needed by the interop tests");
        }

        @Override
        public VerifyResult verify() {
            return VerifyResult.ok(records.size());
        }

        @Override
        public void close() {}
    }
}
