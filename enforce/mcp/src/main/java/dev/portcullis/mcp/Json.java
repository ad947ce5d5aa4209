package dev.portcullis.mcp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON-RPC 2.0 helpers shared by the gateway's transports. */
final class Json {
    /**
     * The gateway's mapper. Its buffers come from a shared pool: Jackson's default pool keeps them
     * per thread, and the gateway works on virtual threads that each live for one message, so every
     * message would allocate fresh buffers (several KB). For the same reason the gateway writes JSON
     * with {@link #write}, not {@code JsonNode.toString()} (Jackson's internal mapper, default pool).
     */
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .build());

    static final JsonNodeFactory F = JsonNodeFactory.instance;

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    /** The MCP SDKs' code for a request that timed out. */
    static final int REQUEST_TIMEOUT = -32001;
    /** MCP's code for a resource that does not exist. */
    static final int RESOURCE_NOT_FOUND = -32002;

    static final String BATCH_NOT_SUPPORTED =
            "JSON-RPC batching is not supported in this protocol version: send one message at a time";

    private Json() {}

    /** A message (or any JSON value) as JSON text, with the mapper's pooled buffers. */
    static String write(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a JSON tree did not serialize", e);
        }
    }

    /** A message as UTF-8 JSON, with the mapper's pooled buffers. */
    static byte[] bytes(JsonNode n) {
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a JSON tree did not serialize", e);
        }
    }

    /**
     * A copy of a message's top level with another {@code id}: the members' values are shared, not
     * copied (the gateway never changes a message's nested values in place).
     */
    static ObjectNode withId(ObjectNode message, JsonNode id) {
        ObjectNode out = F.objectNode();
        out.setAll(message);
        out.set("id", id);
        return out;
    }

    /**
     * A JSON-RPC id as a map key: strings and numbers never share a key ({@code "1"} and {@code 1}
     * are different ids), cheaper than writing the id as JSON.
     */
    static String key(JsonNode id) {
        if (id == null) {
            return "null";
        }
        return id.isTextual() ? "\"" + id.textValue() : id.asText();
    }

    static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode n = F.objectNode();
        n.put("jsonrpc", "2.0");
        n.set("id", id == null ? F.nullNode() : id);
        ObjectNode e = n.putObject("error");
        e.put("code", code);
        e.put("message", message);
        return n;
    }

    static ObjectNode result(JsonNode id, JsonNode result) {
        ObjectNode n = F.objectNode();
        n.put("jsonrpc", "2.0");
        n.set("id", id);
        n.set("result", result);
        return n;
    }

    static ObjectNode request(JsonNode id, String method, JsonNode params) {
        ObjectNode n = F.objectNode();
        n.put("jsonrpc", "2.0");
        if (id != null) {
            n.set("id", id);
        }
        n.put("method", method);
        if (params != null) {
            n.set("params", params);
        }
        return n;
    }

    static ObjectNode notification(String method, JsonNode params) {
        return request(null, method, params);
    }

    /** The text of a JSON value, for messages. */
    static String text(JsonNode n) {
        return n == null ? "null" : n.toString();
    }

    /**
     * Why {@code msg} is not a JSON-RPC 2.0 message MCP accepts, or {@code null} when it is one. A
     * message is a request (method and id), a notification (method, no id) or a response (id and
     * exactly one of result or error).
     */
    static String invalid(JsonNode msg) {
        if (msg.isArray()) {
            return BATCH_NOT_SUPPORTED;
        }
        if (!msg.isObject()) {
            return "a JSON-RPC message must be an object, got "
                    + msg.getNodeType().name().toLowerCase();
        }
        if (!"2.0".equals(msg.path("jsonrpc").textValue())) {
            return "`jsonrpc` must be \"2.0\"";
        }
        JsonNode id = msg.get("id");
        if (id != null && !(id.isTextual() || id.isIntegralNumber())) {
            return "`id` must be a string or an integer, got " + text(id);
        }
        JsonNode method = msg.get("method");
        if (method != null) {
            if (!method.isTextual() || method.asText().isEmpty()) {
                return "`method` must be a non-empty string";
            }
            JsonNode params = msg.get("params");
            if (params != null && !params.isObject()) {
                return "`params` must be an object";
            }
            return null;
        }
        if (id == null) {
            return "a message needs a `method` (request, notification) or an `id` (response)";
        }
        if (msg.has("result") == msg.has("error")) {
            return "a response needs exactly one of `result` or `error`";
        }
        return null;
    }

    /** The id of {@code msg} when it has a usable one, for an error answer; else {@code null}. */
    static JsonNode idOf(JsonNode msg) {
        JsonNode id = msg.isObject() ? msg.get("id") : null;
        return id != null && (id.isTextual() || id.isIntegralNumber()) ? id : null;
    }
}
