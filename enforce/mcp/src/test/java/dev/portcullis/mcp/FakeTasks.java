package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The task side (MCP 2025-11-25) of one {@link FakeMcpServer} session: task-augmented
 * {@code tools/call}, {@code tasks/get}, {@code tasks/result}, {@code tasks/cancel} and
 * {@code tasks/list} (one task a page, so that a caller must follow the cursors). Task ids are
 * {@code <server name>-<n>}; {@code <name>-0} exists from the start (a task the gateway can only
 * learn of from {@code tasks/list}). A tool call's task completes at once, except {@code slow}'s,
 * which stays {@code working}. Remembers every task request it received ({@link #asked}).
 */
final class FakeTasks {
    static final String RELATED = "io.modelcontextprotocol/related-task";

    final String name;
    /** {@code "<method> <taskId>"} of every task request received. */
    final List<String> asked = new CopyOnWriteArrayList<>();

    private final Map<String, ObjectNode> tasks = new LinkedHashMap<>();
    private final Map<String, JsonNode> results = new LinkedHashMap<>();

    FakeTasks(String name) {
        this.name = name;
        create(FakeMcpServer.text(name + " seeded"));
    }

    static void capability(ObjectNode caps) {
        ObjectNode t = caps.putObject("tasks");
        t.putObject("list");
        t.putObject("cancel");
        t.putObject("requests").putObject("tools").putObject("call");
    }

    /** A new task for a tool call; {@code result} {@code null}: it keeps working. The CreateTaskResult. */
    synchronized ObjectNode create(JsonNode result) {
        String id = name + "-" + tasks.size();
        ObjectNode t = FakeMcpServer.F.objectNode();
        t.put("taskId", id);
        t.put("status", result == null ? "working" : "completed");
        t.put("createdAt", "2025-11-25T10:30:00Z");
        t.put("lastUpdatedAt", "2025-11-25T10:30:00Z");
        t.put("ttl", 60_000);
        t.put("pollInterval", 100);
        tasks.put(id, t);
        if (result != null) {
            results.put(id, result);
        }
        ObjectNode r = FakeMcpServer.F.objectNode();
        r.set("task", t.deepCopy());
        return r;
    }

    /** Answers a {@code tasks/*} request. */
    synchronized JsonNode handle(String method, JsonNode params) {
        if (method.equals("tasks/list")) {
            asked.add(method);
            List<ObjectNode> all = new ArrayList<>(tasks.values());
            int from = params.hasNonNull("cursor")
                    ? Integer.parseInt(params.get("cursor").asText())
                    : 0;
            ObjectNode r = FakeMcpServer.F.objectNode();
            ArrayNode page = r.putArray("tasks");
            if (from < all.size()) {
                page.add(all.get(from).deepCopy());
            }
            if (from + 1 < all.size()) {
                r.put("nextCursor", String.valueOf(from + 1));
            }
            return r;
        }
        String id = params.path("taskId").asText();
        asked.add(method + " " + id);
        ObjectNode t = tasks.get(id);
        if (t == null) {
            throw new FakeMcpServer.Failure(-32602, "Failed to retrieve task: Task not found");
        }
        switch (method) {
            case "tasks/get" -> {
                return t.deepCopy();
            }
            case "tasks/result" -> {
                JsonNode result = results.get(id);
                if (result == null) {
                    throw new FakeMcpServer.Failure(-32603, "the fake does not block: task " + id + " is working");
                }
                ObjectNode r = result.deepCopy();
                r.putObject("_meta").putObject(RELATED).put("taskId", id);
                return r;
            }
            case "tasks/cancel" -> {
                if (!t.path("status").asText().equals("working")) {
                    throw new FakeMcpServer.Failure(-32602, "task " + id + " is already in a terminal status");
                }
                t.put("status", "cancelled");
                return t.deepCopy();
            }
            default -> throw new FakeMcpServer.Failure(-32601, "Method not found: " + method);
        }
    }
}
