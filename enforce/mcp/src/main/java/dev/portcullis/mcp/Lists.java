package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The lists the gateway aggregates over its upstreams: which there are, fetching every page of one
 * upstream's, and paging the aggregated list with the gateway's own cursors.
 */
final class Lists {
    private Lists() {}

    /** A kind of list: its method, the result's array, the capability that offers it, prefixed names. */
    record Kind(String method, String key, String capability, boolean prefixed) {}

    static final Map<String, Kind> KINDS = Map.of(
            "tools/list", new Kind("tools/list", "tools", "tools", true),
            "prompts/list", new Kind("prompts/list", "prompts", "prompts", true),
            "resources/list", new Kind("resources/list", "resources", "resources", false),
            "resources/templates/list", new Kind("resources/templates/list", "resourceTemplates", "resources", false));

    /** Every entry of one upstream's list, following its cursors; tool and prompt names prefixed. */
    static ArrayNode fetchAll(Kind kind, UpstreamLink l, McpGatewayConfig config) {
        ArrayNode out = Json.F.arrayNode();
        String cursor = null;
        for (int pages = 0; pages < 10_000; pages++) {
            ObjectNode p = Json.F.objectNode();
            if (cursor != null) {
                p.put("cursor", cursor);
            }
            JsonNode r;
            try {
                r = l.call(kind.method(), p).get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof McpException m
                        ? m
                        : new McpException(Json.INTERNAL_ERROR, "upstream `" + l.name + "`: " + e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new McpException(Json.INTERNAL_ERROR, "interrupted");
            }
            for (JsonNode item : r.path(kind.key())) {
                if (!(item instanceof ObjectNode o)) {
                    continue;
                }
                ObjectNode entry = o.deepCopy();
                if (kind.prefixed() && config.prefixed() && entry.hasNonNull("name")) {
                    entry.put(
                            "name",
                            l.name + config.separator() + entry.get("name").asText());
                }
                out.add(entry);
            }
            JsonNode next = r.get("nextCursor");
            if (next == null || next.isNull() || next.asText().isEmpty()) {
                return out;
            }
            cursor = next.asText();
        }
        throw new McpException(Json.INTERNAL_ERROR, "upstream `" + l.name + "` paged without end");
    }

    /**
     * One page of {@code size} entries of the aggregated (and filtered) list, from the gateway's own
     * {@code cursor}; the whole list when {@code size} is 0.
     *
     * @throws IllegalArgumentException when the cursor is not one the gateway handed out
     */
    static ObjectNode page(ObjectNode filtered, String key, JsonNode cursor, int size) {
        int from = 0;
        if (cursor != null && !cursor.isNull()) {
            try {
                String s = new String(Base64.getUrlDecoder().decode(cursor.asText()), StandardCharsets.UTF_8);
                if (!s.startsWith("pcg:") || size == 0) {
                    throw new IllegalArgumentException();
                }
                from = Integer.parseInt(s.substring(4));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid cursor", e);
            }
        }
        ArrayNode items = (ArrayNode) filtered.get(key);
        if (size == 0) {
            return filtered;
        }
        ArrayNode slice = Json.F.arrayNode();
        for (int i = Math.max(0, from); i < Math.min(items.size(), from + size); i++) {
            slice.add(items.get(i));
        }
        ObjectNode out = filtered.deepCopy();
        out.set(key, slice);
        out.remove("nextCursor");
        if (from + size < items.size()) {
            out.put(
                    "nextCursor",
                    Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(("pcg:" + (from + size)).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }
}
