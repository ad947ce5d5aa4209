package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The gateway's authorization seam. The proxy (transports, upstreams, aggregation) asks it about
 * every message a client sends towards an upstream and hands it every list result before the
 * client sees it; the COAZ-MCP implementation turns each question into Portcullis decisions.
 *
 * <p>Implementations never throw: anything that goes wrong (a mapping error, the decision service
 * failing) is a {@link Verdict.Deny}. The gateway fails closed.
 */
public interface McpAuthorizer {

    /**
     * May this client message go on to its upstream? Called for every request and notification
     * from a client, before it is forwarded.
     */
    Verdict authorize(McpCall call);

    /**
     * The result of a list call ({@code tools/list}, {@code resources/list},
     * {@code resources/templates/list}, {@code prompts/list}) with the entries the caller may not
     * use removed. Also where declared mappings ({@code x-authzen-mapping} in a tool's
     * {@code inputSchema}) are learnt. {@code call} is the list request; {@code result} is the
     * upstream's result with names already prefixed for the client, and may be changed in place.
     */
    ObjectNode filterList(McpCall call, ObjectNode result);

    /** An authorizer that allows everything: for tests and for a gateway run without policies. */
    static McpAuthorizer allowAll() {
        return new McpAuthorizer() {
            @Override
            public Verdict authorize(McpCall call) {
                return new Verdict.Allow(null);
            }

            @Override
            public ObjectNode filterList(McpCall call, ObjectNode result) {
                return result;
            }
        };
    }
}
