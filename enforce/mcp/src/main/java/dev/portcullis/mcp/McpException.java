package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A JSON-RPC error, from an upstream or from the gateway itself. */
final class McpException extends RuntimeException {
    private final int code;

    McpException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }

    static McpException of(ObjectNode error) {
        return new McpException(
                error.path("code").asInt(Json.INTERNAL_ERROR),
                error.path("message").asText("error"));
    }
}
