package dev.portcullis.mcp.authz;

/**
 * The PEP cannot build a valid AuthZEN request from a mapping (COAZ-MCP "mapping error"): an
 * expression failed, a required field is missing, the mapping is malformed, the subject is not the
 * token's. Answered with JSON-RPC {@code -32602}; the message says what failed.
 */
final class MappingException extends RuntimeException {
    MappingException(String message) {
        super(message, null, false, false);
    }
}
