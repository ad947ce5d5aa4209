package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** The authorizer's answer about one client message. */
public sealed interface Verdict {

    /** The decision id on the decision log, or {@code null} when nothing was decided. */
    String decisionId();

    /** Forward the message. */
    record Allow(String decisionId) implements Verdict {}

    /**
     * Do not forward. For a request, the gateway answers the client with {@code answer}: an object
     * holding exactly one of {@code error} (a JSON-RPC error object) or {@code result} (e.g. a
     * {@code tools/call} result with {@code isError: true}); the gateway adds {@code jsonrpc} and
     * {@code id}. A denied notification is dropped.
     *
     * @param reason why, for the gateway's log
     */
    record Deny(String decisionId, ObjectNode answer, String reason) implements Verdict {
        public Deny {
            Objects.requireNonNull(answer, "answer");
            if (answer.has("error") == answer.has("result")) {
                throw new IllegalArgumentException("a denial answers with exactly one of error or result");
            }
        }
    }
}
