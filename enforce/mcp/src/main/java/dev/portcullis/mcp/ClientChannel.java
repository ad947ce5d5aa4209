package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where a session's messages to its client go: a stdio stream, or the HTTP streams of a session. */
interface ClientChannel {

    /**
     * Sends a message to the client.
     *
     * @param related the id of the client request the message answers or belongs to (its response,
     *     progress, a request made while serving it), or {@code null}
     * @return whether the message could be delivered
     */
    boolean send(ObjectNode message, JsonNode related);

    /**
     * Whether {@link #send} may block (a stdio client: a full pipe). When it does not, an HTTP
     * upstream's answers are delivered on the event loop that received them, without a thread hop.
     */
    default boolean mayBlock() {
        return true;
    }

    /** The client cancelled request {@code id}: no response will follow. */
    default void abandoned(JsonNode id) {}

    /** The session ended: nothing more will be sent. */
    default void closed() {}
}
