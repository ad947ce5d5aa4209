package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A small MCP server for the gateway's tests: tools ({@code echo}, {@code add}, {@code slow} which
 * never answers, {@code progress}, {@code sample} which asks the client for a sampling, {@code
 * change} which announces a new tool, {@code die} which exits), paged {@code tools/list}, a
 * prompt, a resource, and {@code fake/state} to read back what it saw; tasks when given
 * {@link FakeTasks}. Run over stdio as a child
 * process ({@link #main}) or in-process behind {@link FakeHttpUpstream}.
 */
public final class FakeMcpServer {
    static final ObjectMapper M = new ObjectMapper();
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    final String name;
    private final Consumer<ObjectNode> out;
    private final AtomicLong ids = new AtomicLong(1000);
    private final Map<Long, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
    final List<JsonNode> cancelled = new CopyOnWriteArrayList<>();
    final List<JsonNode> seenIds = new CopyOnWriteArrayList<>();
    final List<String> notifications = new CopyOnWriteArrayList<>();
    volatile boolean changed;
    /** The task side, when this server offers tasks ({@code null}: it does not). */
    volatile FakeTasks tasks;

    FakeMcpServer(String name, Consumer<ObjectNode> out) {
        this.name = name;
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        String name = args.length > 0 ? args[0] : "fake";
        PrintStream stdout = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        FakeMcpServer s = new FakeMcpServer(name, m -> {
            synchronized (stdout) {
                stdout.println(m.toString());
                stdout.flush();
            }
        });
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode msg = M.readTree(line);
            Thread.ofVirtual().start(() -> s.handle((ObjectNode) msg));
        }
    }

    /** Handles one message; answers through {@code out}. */
    void handle(ObjectNode msg) {
        JsonNode id = msg.get("id");
        String method = msg.path("method").asText(null);
        if (method == null) {
            CompletableFuture<JsonNode> f = waiting.remove(id.asLong());
            if (f != null) {
                f.complete(msg);
            }
            return;
        }
        JsonNode params = msg.path("params");
        if (id == null) {
            notifications.add(method);
            if (method.equals("notifications/cancelled")) {
                cancelled.add(params.path("requestId"));
            }
            return;
        }
        seenIds.add(id);
        try {
            JsonNode result = call(method, params, id);
            if (result != null) {
                out.accept(response(id, result));
            }
        } catch (Failure e) {
            ObjectNode r = F.objectNode().put("jsonrpc", "2.0");
            r.set("id", id);
            r.putObject("error").put("code", e.code).put("message", e.getMessage());
            out.accept(r);
        }
    }

    static ObjectNode response(JsonNode id, JsonNode result) {
        ObjectNode r = F.objectNode().put("jsonrpc", "2.0");
        r.set("id", id);
        r.set("result", result);
        return r;
    }

    static final class Failure extends RuntimeException {
        final int code;

        Failure(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    private JsonNode call(String method, JsonNode params, JsonNode id) {
        switch (method) {
            case "initialize" -> {
                ObjectNode r = F.objectNode();
                r.put("protocolVersion", params.path("protocolVersion").asText("2025-11-25"));
                ObjectNode caps = r.putObject("capabilities");
                caps.putObject("tools").put("listChanged", true);
                caps.putObject("prompts");
                caps.putObject("resources").put("subscribe", true);
                caps.putObject("logging");
                caps.putObject("completions");
                if (tasks != null) {
                    FakeTasks.capability(caps);
                }
                r.putObject("serverInfo").put("name", "fake-" + name).put("version", "1");
                r.put("instructions", "I am " + name);
                return r;
            }
            case "ping", "logging/setLevel", "resources/subscribe" -> {
                return F.objectNode();
            }
            case "tools/list" -> {
                ObjectNode r = F.objectNode();
                ArrayNode tools = r.putArray("tools");
                if (!params.has("cursor")) {
                    for (String t : List.of("echo", "add")) {
                        ObjectNode tool = tools.addObject().put("name", t).put("description", t + " of " + name);
                        tool.putObject("inputSchema").put("type", "object");
                        if (t.equals("echo")) {
                            tool.putObject("execution").put("taskSupport", "optional");
                        }
                    }
                    r.put("nextCursor", "page2");
                } else if (params.path("cursor").asText().equals("page2")) {
                    List<String> more = changed
                            ? List.of("slow", "progress", "sample", "change", "die", "added")
                            : List.of("slow", "progress", "sample", "change", "die");
                    for (String t : more) {
                        tools.addObject()
                                .put("name", t)
                                .putObject("inputSchema")
                                .put("type", "object");
                    }
                } else {
                    throw new Failure(-32602, "Invalid cursor");
                }
                return r;
            }
            case "tools/call" -> {
                String tool = params.path("name").asText();
                if (tasks != null && params.has("task")) {
                    return tasks.create(tool.equals("slow") ? null : tool(tool, params, id));
                }
                return tool(tool, params, id);
            }
            case "tasks/get", "tasks/result", "tasks/cancel", "tasks/list" -> {
                if (tasks == null) {
                    throw new Failure(-32601, "Method not found: " + method);
                }
                return tasks.handle(method, params);
            }
            case "prompts/list" -> {
                ObjectNode r = F.objectNode();
                r.putArray("prompts").addObject().put("name", "greet");
                return r;
            }
            case "prompts/get" -> {
                if (!params.path("name").asText().equals("greet")) {
                    throw new Failure(-32602, "Unknown prompt");
                }
                ObjectNode r = F.objectNode();
                r.putArray("messages")
                        .addObject()
                        .put("role", "user")
                        .putObject("content")
                        .put("type", "text")
                        .put("text", "hello from " + name);
                return r;
            }
            case "resources/list" -> {
                ObjectNode r = F.objectNode();
                r.putArray("resources")
                        .addObject()
                        .put("uri", "fake://" + name + "/a")
                        .put("name", "a");
                return r;
            }
            case "resources/templates/list" -> {
                ObjectNode r = F.objectNode();
                r.putArray("resourceTemplates")
                        .addObject()
                        .put("uriTemplate", "fake://" + name + "/t/{x}")
                        .put("name", "t");
                return r;
            }
            case "resources/read" -> {
                String uri = params.path("uri").asText();
                if (!uri.startsWith("fake://" + name + "/")) {
                    throw new Failure(-32002, "Resource not found");
                }
                ObjectNode r = F.objectNode();
                r.putArray("contents").addObject().put("uri", uri).put("text", "content of " + uri);
                return r;
            }
            case "completion/complete" -> {
                ObjectNode r = F.objectNode();
                r.putObject("completion")
                        .putArray("values")
                        .add(name + ":"
                                + params.path("ref")
                                        .path("name")
                                        .asText(params.path("ref").path("uri").asText()));
                return r;
            }
            case "fake/state" -> {
                ObjectNode r = F.objectNode();
                r.set("cancelled", M.valueToTree(cancelled));
                r.set("seenIds", M.valueToTree(seenIds));
                r.set("notifications", M.valueToTree(notifications));
                return r;
            }
            default -> throw new Failure(-32601, "Method not found: " + method);
        }
    }

    private JsonNode tool(String tool, JsonNode params, JsonNode id) {
        JsonNode args = params.path("arguments");
        switch (tool) {
            case "echo" -> {
                ObjectNode r = text(name + " echo " + args);
                r.putObject("structuredContent").put("upstream", name).set("arguments", args);
                return r;
            }
            case "huge" -> {
                return text("x".repeat(args.path("size").asInt(10_000)));
            }
            case "add" -> {
                return text(
                        String.valueOf(args.path("a").asLong() + args.path("b").asLong()));
            }
            case "slow" -> {
                return null; // never answers
            }
            case "progress" -> {
                JsonNode token = params.path("_meta").get("progressToken");
                for (int i = 1; i <= 2; i++) {
                    ObjectNode p = F.objectNode();
                    p.set("progressToken", token);
                    p.put("progress", i).put("total", 2);
                    out.accept(notification("notifications/progress", p));
                }
                return text("done");
            }
            case "sample" -> {
                long mine = ids.incrementAndGet();
                CompletableFuture<JsonNode> f = new CompletableFuture<>();
                waiting.put(mine, f);
                ObjectNode req =
                        F.objectNode().put("jsonrpc", "2.0").put("id", mine).put("method", "sampling/createMessage");
                req.putObject("params").put("maxTokens", 10).putArray("messages");
                out.accept(req);
                try {
                    JsonNode answer = f.get(10, TimeUnit.SECONDS);
                    return text("sampled: "
                            + answer.path("result").path("content").path("text").asText("?"));
                } catch (Exception e) {
                    throw new Failure(-32603, "no sampling answer: " + e);
                }
            }
            case "change" -> {
                changed = true;
                out.accept(notification("notifications/tools/list_changed", null));
                return text("changed");
            }
            case "die" -> {
                Runtime.getRuntime().halt(3);
                return null;
            }
            default -> throw new Failure(-32602, "Unknown tool: " + tool);
        }
    }

    static ObjectNode notification(String method, JsonNode params) {
        ObjectNode n = F.objectNode().put("jsonrpc", "2.0").put("method", method);
        if (params != null) {
            n.set("params", params);
        }
        return n;
    }

    static ObjectNode text(String s) {
        ObjectNode r = F.objectNode();
        r.putArray("content").addObject().put("type", "text").put("text", s);
        r.put("isError", false);
        return r;
    }
}
