package dev.portcullis.mcp;

import java.util.Map;
import java.util.Objects;

/**
 * Who is behind an MCP client connection. Over Streamable HTTP it comes from the verified bearer
 * token (the gateway is an OAuth resource server); over stdio from configuration or environment.
 * The token itself never reaches an upstream.
 *
 * @param subject the subject-identity claim (by default {@code sub}): the AuthZEN subject id
 * @param claims every claim of the verified token (COAZ-MCP's {@code token} variable); for a stdio
 *     identity, the configured claims
 * @param sessionId the Portcullis agent session this connection acts in, or {@code null} when the
 *     authorizer should start or join one for this identity
 * @param caller how the decision log names the caller
 */
public record McpIdentity(String subject, Map<String, Object> claims, String sessionId, String caller) {
    public McpIdentity {
        Objects.requireNonNull(subject, "subject");
        claims = Map.copyOf(claims);
        caller = caller == null ? subject : caller;
    }
}
