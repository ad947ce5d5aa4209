package dev.portcullis.mcp.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.json.EntityJson;
import dev.portcullis.mcp.McpAuthorizer;
import dev.portcullis.mcp.McpCall;
import dev.portcullis.mcp.McpIdentity;
import dev.portcullis.pdp.DecisionService;
import dev.portcullis.pdp.entity.EntityProvider;
import dev.portcullis.pdp.entity.StaticEntityProvider;
import dev.portcullis.pdp.policy.PolicyBundle;
import dev.portcullis.pdp.policy.PolicySnapshot;
import dev.portcullis.pdp.policy.PolicyStore;
import dev.portcullis.pdp.session.InMemorySessionStore;
import dev.portcullis.pdp.session.SessionConfig;
import dev.portcullis.pdp.session.SessionService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A real decision path for the authorizer: the policies and entities of {@code examples/mcp}
 * (plus test policies), a {@link DecisionService}, optionally agent sessions.
 */
final class Harness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path EXAMPLES = Path.of("../../examples/mcp");
    /** Where the example's sample tree is copied to run it; these tests decide on paths under /data. */
    static final String EXAMPLE_ROOT = "/tmp/portcullis-mcp";

    final MemoryLog log = new MemoryLog();
    final PolicyStore store = new PolicyStore();
    final EntityProvider entities;
    final SessionService sessions;
    final DecisionService decisions;

    Harness(boolean withSessions, String... extraPolicies) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("policies.cedar", read(EXAMPLES.resolve("policies.cedar")).replace(EXAMPLE_ROOT, "/data"));
        for (int i = 0; i < extraPolicies.length; i++) {
            files.put("extra" + i + ".cedar", extraPolicies[i]);
        }
        store.update(PolicyBundle.of(files));
        Entities data = EntityJson.parse(read(EXAMPLES.resolve("entities.json")).replace(EXAMPLE_ROOT, "/data"), null);
        entities = new StaticEntityProvider(data);
        if (withSessions) {
            SessionConfig config = SessionConfig.builder()
                    .labels(List.of("classification"), List.of("read"))
                    .flushInterval(Duration.ofHours(1))
                    .build();
            sessions = new SessionService(config, new InMemorySessionStore());
        } else {
            sessions = null;
        }
        decisions = new DecisionService(store::current, entities, log, Clock.systemUTC(), sessions);
    }

    /** A decision service whose policy snapshot cannot be read: decide() throws. */
    static DecisionService throwing() {
        Supplier<PolicySnapshot> broken = () -> {
            throw new IllegalStateException("policy store unreachable");
        };
        return new DecisionService(broken, StaticEntityProvider.empty(), new MemoryLog(), Clock.systemUTC());
    }

    McpAuthorizer authorizer(CoazSettings settings) {
        return CoazAuthorizers.create(settings, decisions, sessions, null, entities);
    }

    /** The settings the examples are written for: path arguments of the file-system server under /data. */
    static CoazSettings fsSettings() {
        return CoazSettings.fromJson(json("""
                {
                  "paths": {
                    "root": "/data",
                    "arguments": ["path", "paths", "source", "destination"],
                    "tools": {
                      "write_file": {"access": "write"},
                      "edit_file": {"access": "write"},
                      "create_directory": {"access": "write"},
                      "move_file": {"access": "write"},
                      "list_directory": {"access": "list"},
                      "list_directory_with_sizes": {"access": "list"},
                      "directory_tree": {"access": "list"},
                      "search_files": {"access": "list"}
                    }
                  },
                  "redact": ["password", "/arguments/credentials/token"]
                }
                """), "mcp.authorization");
    }

    static McpIdentity bot() {
        return new McpIdentity("bot", Map.of("sub", "bot", "client_id", "agent-app"), null, "bot");
    }

    static McpCall call(String method, String params) {
        return call(method, params, null, null, bot());
    }

    static McpCall call(String method, String params, String upstream, String clientName, McpIdentity who) {
        return new McpCall(
                method,
                JSON.getNodeFactory().numberNode(1),
                (ObjectNode) json(params),
                upstream,
                clientName,
                who,
                null);
    }

    static McpCall tool(String name, String arguments) {
        return call("tools/call", "{\"name\": \"" + name + "\", \"arguments\": " + arguments + "}");
    }

    static JsonNode json(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (sessions != null) {
            sessions.close();
        }
    }
}
