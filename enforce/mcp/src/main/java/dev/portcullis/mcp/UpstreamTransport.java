package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.function.Consumer;

/** How the gateway exchanges JSON-RPC messages with one upstream MCP server. */
interface UpstreamTransport extends AutoCloseable {

    /**
     * Connects. Messages from the upstream go to {@code onMessage} (from one thread at a time);
     * {@code onClosed} is called once, with the reason, when the connection is gone.
     */
    void start(Consumer<ObjectNode> onMessage, Consumer<String> onClosed) throws IOException;

    /**
     * Sends a message. A request the upstream cannot take is answered through {@code onMessage}
     * with a JSON-RPC error; a broken connection ends in {@code onClosed}.
     */
    void send(ObjectNode message);

    /** After initialization: the protocol version agreed with the upstream. */
    default void initialized(String protocolVersion) {}

    @Override
    void close();
}
