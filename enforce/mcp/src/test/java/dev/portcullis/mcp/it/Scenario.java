package dev.portcullis.mcp.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A scenario for {@code mcp-client.mjs}: a transport and the steps the SDK client takes, in order. */
final class Scenario {

    private final ObjectNode root = NodeTools.JSON.createObjectNode();
    private final ArrayNode steps = root.putArray("steps");

    private Scenario(ObjectNode transport) {
        root.set("transport", transport);
    }

    /** The client launches {@code command} and talks to it over stdio. */
    static Scenario stdio(List<String> command, Map<String, String> env) {
        ObjectNode t = NodeTools.JSON.createObjectNode().put("type", "stdio").put("command", command.get(0));
        ArrayNode args = t.putArray("args");
        command.subList(1, command.size()).forEach(args::add);
        ObjectNode e = t.putObject("env");
        env.forEach(e::put);
        return new Scenario(t);
    }

    /** The client talks Streamable HTTP to {@code url}. */
    static Scenario http(String url) {
        return new Scenario(
                NodeTools.JSON.createObjectNode().put("type", "http").put("url", url));
    }

    /** The SDK client's request timeout (connect included) instead of its default 60 s. */
    Scenario timeout(java.time.Duration timeout) {
        root.put("timeoutMs", timeout.toMillis());
        return this;
    }

    Scenario listTools() {
        steps.addObject().put("op", "listTools");
        return this;
    }

    Scenario call(String tool, Object... keyValues) {
        ObjectNode s = steps.addObject().put("op", "callTool").put("name", tool);
        ObjectNode args = s.putObject("arguments");
        for (int i = 0; i < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            args.set((String) keyValues[i], NodeTools.JSON.valueToTree(v instanceof Path p ? p.toString() : v));
        }
        return this;
    }

    Scenario listResources() {
        steps.addObject().put("op", "listResources");
        return this;
    }

    Scenario readResource(String uri) {
        steps.addObject().put("op", "readResource").put("uri", uri);
        return this;
    }

    Scenario listPrompts() {
        steps.addObject().put("op", "listPrompts");
        return this;
    }

    ObjectNode json() {
        return root;
    }

    /** Runs the scenario and returns the outcome of each step, in order. */
    List<JsonNode> run(NodeTools tools) {
        JsonNode out = tools.runClient(root);
        List<JsonNode> result = new ArrayList<>();
        out.path("steps").forEach(result::add);
        if (result.size() != steps.size()) {
            throw new AssertionError("the client reported " + result.size() + " of " + steps.size() + " steps: " + out);
        }
        return result;
    }

    /** The text of a successful tool call's first content item (fails the test on anything else). */
    static String text(JsonNode step) {
        if (!step.path("ok").asBoolean()) {
            throw new AssertionError("the step failed: " + step);
        }
        return step.path("result").path("content").path(0).path("text").asText();
    }

    /** Whether a step came back as a tool result with {@code isError: true}. */
    static boolean isToolError(JsonNode step) {
        return step.path("ok").asBoolean()
                && step.path("result").path("isError").asBoolean();
    }

    static List<String> toolNames(JsonNode listStep) {
        List<String> names = new ArrayList<>();
        listStep.path("result")
                .path("tools")
                .forEach(t -> names.add(t.path("name").asText()));
        return names;
    }
}
