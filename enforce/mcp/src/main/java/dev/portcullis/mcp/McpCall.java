package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One client message as the authorizer sees it.
 *
 * @param method the JSON-RPC method, e.g. {@code tools/call}
 * @param id the JSON-RPC id, or {@code null} for a notification
 * @param params the params as the upstream will receive them (tool, prompt and resource names
 *     already stripped of the gateway's per-upstream prefix); an empty object when absent
 * @param upstream the name of the upstream the message goes to, or {@code null} when the gateway
 *     answers it itself or sends it to every upstream
 * @param clientName the name the client used (e.g. the prefixed tool name), for messages and the
 *     log; {@code null} when the method names nothing
 * @param identity who is calling
 * @param mcpSessionId the MCP transport session ({@code Mcp-Session-Id}), or {@code null} (stdio)
 */
public record McpCall(
        String method,
        JsonNode id,
        ObjectNode params,
        String upstream,
        String clientName,
        McpIdentity identity,
        String mcpSessionId) {
    public McpCall {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(identity, "identity");
    }

    public boolean isNotification() {
        return id == null;
    }
}
