package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which upstream a client request goes to: by the prefixed name of a tool or prompt, by the URI of
 * a resource (learnt from the upstreams' lists, templates by their longest literal stem), by the
 * task id ({@link TaskRoutes}), or the only upstream there is.
 */
final class Routes {
    private final Map<String, UpstreamLink> links;
    private final McpGatewayConfig config;
    private final Map<String, String> resourceRoutes = new ConcurrentHashMap<>();
    private final Map<String, String> templateRoutes = new ConcurrentHashMap<>();
    private final TaskRoutes tasks;

    /** {@code links}: the session's upstreams by name, read as they are when a request is routed. */
    Routes(Map<String, UpstreamLink> links, McpGatewayConfig config, TaskRoutes tasks) {
        this.links = links;
        this.config = config;
        this.tasks = tasks;
    }

    /** Remembers which upstream listed each resource URI and URI template of {@code entries}. */
    void learn(UpstreamLink l, ArrayNode entries) {
        for (JsonNode entry : entries) {
            if (entry.hasNonNull("uri")) {
                resourceRoutes.put(entry.get("uri").asText(), l.name);
            }
            if (entry.hasNonNull("uriTemplate")) {
                templateRoutes.put(entry.get("uriTemplate").asText(), l.name);
            }
        }
    }

    /** Where a request goes: an upstream and the params it receives, or nowhere with an error. */
    record Route(UpstreamLink link, ObjectNode params, String clientName, ObjectNode error) {}

    Route route(String method, ObjectNode params) {
        switch (method) {
            case "tools/call", "prompts/get" -> {
                String name = params.path("name").asText(null);
                boolean tool = method.equals("tools/call");
                if (name == null) {
                    return noRoute(Json.INVALID_PARAMS, "`params.name` is required");
                }
                return byName(name, params, "name", (tool ? "Unknown tool: " : "Unknown prompt: ") + name);
            }
            case "resources/read", "resources/subscribe", "resources/unsubscribe" -> {
                String uri = params.path("uri").asText(null);
                if (uri == null) {
                    return noRoute(Json.INVALID_PARAMS, "`params.uri` is required");
                }
                return byUri(uri, params);
            }
            case "completion/complete" -> {
                JsonNode ref = params.path("ref");
                if ("ref/prompt".equals(ref.path("type").asText()) && ref.hasNonNull("name")) {
                    String name = ref.get("name").asText();
                    Route r = byName(name, (ObjectNode) ref, "name", "Unknown prompt: " + name);
                    if (r.link() == null) {
                        return r;
                    }
                    ObjectNode p = params.deepCopy();
                    p.set("ref", r.params());
                    return new Route(r.link(), p, name, null);
                }
                if ("ref/resource".equals(ref.path("type").asText()) && ref.hasNonNull("uri")) {
                    Route r = byUri(ref.get("uri").asText(), params);
                    return r;
                }
                return noRoute(Json.INVALID_PARAMS, "`params.ref` must name a prompt or a resource");
            }
            case "tasks/get", "tasks/result", "tasks/cancel" -> {
                if (tasks.routing()) {
                    return tasks.route(params);
                }
                return new Route(links.values().iterator().next(), params, null, null);
            }
            default -> {
                if (links.size() == 1) {
                    return new Route(links.values().iterator().next(), params, null, null);
                }
                return noRoute(Json.METHOD_NOT_FOUND, "Method not found: " + method);
            }
        }
    }

    static Route noRoute(int code, String message) {
        ObjectNode e = Json.F.objectNode();
        e.put("code", code);
        e.put("message", message);
        return new Route(null, null, null, e);
    }

    private Route byName(String name, ObjectNode holder, String field, String unknown) {
        if (!config.prefixed()) {
            return new Route(links.values().iterator().next(), holder, name, null);
        }
        String sep = config.separator();
        for (UpstreamLink l : links.values()) {
            String prefix = l.name + sep;
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                ObjectNode p = holder.deepCopy();
                p.put(field, name.substring(prefix.length()));
                return new Route(l, p, name, null);
            }
        }
        return noRoute(Json.INVALID_PARAMS, unknown);
    }

    private Route byUri(String uri, ObjectNode params) {
        String up = resourceRoutes.get(uri);
        if (up == null) {
            String best = null;
            int bestLen = -1;
            for (Map.Entry<String, String> t : templateRoutes.entrySet()) {
                String lit = t.getKey();
                int brace = lit.indexOf('{');
                String stem = brace < 0 ? lit : lit.substring(0, brace);
                if (uri.startsWith(stem) && stem.length() > bestLen) {
                    best = t.getValue();
                    bestLen = stem.length();
                }
            }
            up = best;
        }
        if (up == null && links.size() == 1) {
            up = links.keySet().iterator().next();
        }
        if (up == null || !links.containsKey(up)) {
            ObjectNode e = Json.F.objectNode();
            e.put("code", Json.RESOURCE_NOT_FOUND);
            e.put("message", "Resource not found");
            e.putObject("data").put("uri", uri);
            return new Route(null, null, null, e);
        }
        return new Route(links.get(up), params, uri, null);
    }
}
