package dev.portcullis.mcp.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The COAZ-MCP default mapping of every MCP method the binding names (section "Default
 * Mappings"), as templates with the binding's expressions. {@code $token.sub} is read as the
 * configured subject-identity claim; the server id of server-scoped methods ({@code $token.aud}
 * in the binding) is filled in by the authorizer (see {@link #SERVER_ID}).
 */
final class DefaultMappings {
    /** Placeholder for the server id of server-scoped methods, resolved in Java (see the authorizer). */
    static final String SERVER_ID = "\u0000server";

    /** Methods that are never decided: the binding's pass-through set (notifications too). */
    static final Set<String> PASS_THROUGH = Set.of("ping");

    private final Map<String, ObjectNode> byMethod = new LinkedHashMap<>();

    DefaultMappings(String subjectClaim, String agentClaim) {
        String sub = "$token[" + quote(subjectClaim) + "]";
        String agent = agentClaim == null ? null : "$token[?" + quote(agentClaim) + "]";
        server("initialize", sub, agent, Map.of("protocol_version", "$params.?protocolVersion"));
        server("tools/list", sub, agent, Map.of());
        item("tools/call", sub, agent, "tool", "$params.name");
        server("resources/list", sub, agent, Map.of());
        server("resources/templates/list", sub, agent, Map.of());
        item("resources/read", sub, agent, "resource", "$params.uri");
        item("resources/subscribe", sub, agent, "resource", "$params.uri");
        item("resources/unsubscribe", sub, agent, "resource", "$params.uri");
        server("prompts/list", sub, agent, Map.of());
        item("prompts/get", sub, agent, "prompt", "$params.name");
        item(
                "completion/complete",
                sub,
                agent,
                "$params.ref.type == 'ref/prompt' ? 'prompt' : 'resource'",
                "$params.ref.type == 'ref/prompt' ? params.ref.name : params.ref.uri");
        server("logging/setLevel", sub, agent, Map.of("level", "$params.level"));
        item("tasks/get", sub, agent, "task", "$params.taskId");
        item("tasks/result", sub, agent, "task", "$params.taskId");
        item("tasks/cancel", sub, agent, "task", "$params.taskId");
        server("tasks/list", sub, agent, Map.of());
    }

    /** The default mapping of {@code method}, or {@code null} when the binding has none. */
    ObjectNode forMethod(String method) {
        return byMethod.get(method);
    }

    Iterable<ObjectNode> all() {
        return byMethod.values();
    }

    private void server(String method, String sub, String agent, Map<String, String> extra) {
        ObjectNode ev = envelope(method, sub, agent, extra);
        ObjectNode res = ev.putObject("resource");
        res.put("type", "mcp_server");
        res.put("id", SERVER_ID);
    }

    private void item(String method, String sub, String agent, String type, String id) {
        ObjectNode ev = envelope(method, sub, agent, Map.of());
        ObjectNode res = ev.putObject("resource");
        res.put("type", type);
        res.put("id", id);
    }

    private ObjectNode envelope(String method, String sub, String agent, Map<String, String> extra) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        ObjectNode ev = m.putObject("evaluation");
        ObjectNode s = ev.putObject("subject");
        s.put("type", "identity");
        s.put("id", sub);
        ObjectNode ctx = ev.putObject("context");
        if (agent != null) {
            ctx.put("agent", agent);
        }
        extra.forEach(ctx::put);
        ev.putObject("action").put("name", method);
        byMethod.put(method, m);
        return ev;
    }

    /** A CEL single-quoted string literal. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            if (c == '\'' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('\'').toString();
    }

    /** Whether a template value is the expression for the subject-identity claim. */
    static boolean isSubjectClaim(JsonNode v, String subjectClaim) {
        if (v == null || !v.isTextual()) {
            return false;
        }
        String s = v.asText().replace(" ", "");
        return s.equals("$token." + subjectClaim)
                || s.equals("$token[" + quote(subjectClaim) + "]")
                || s.equals("$token[\"" + subjectClaim + "\"]");
    }
}
