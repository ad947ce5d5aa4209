package dev.portcullis.server.authzen;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import java.nio.charset.StandardCharsets;

/**
 * JSON answers as the bytes sent (UTF-8). The answers nearly every evaluation gets, {@code
 * {"decision":B}} and {@code {"decision":B,"context":{"decision_id":ID}}}, are written without a
 * tree or a Jackson generator: they run on the event loop for every request.
 *
 * <p>INVARIANT: the bytes are exactly those {@link ObjectMapper#writeValueAsBytes} writes for the
 * same tree. An id with a character Jackson would escape (or one outside printable ASCII, which it
 * writes as UTF-8) is left to Jackson: decision ids are UUIDs, so that never costs in practice.
 */
public final class AnswerJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] ALLOW = ascii("{\"decision\":true}");
    private static final byte[] DENY = ascii("{\"decision\":false}");
    private static final byte[] ALLOW_ID = ascii("{\"decision\":true,\"context\":{\"decision_id\":\"");
    private static final byte[] DENY_ID = ascii("{\"decision\":false,\"context\":{\"decision_id\":\"");
    private static final byte[] END_ID = ascii("\"}}");

    private AnswerJson() {}

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code {"decision":allowed}}; the array is shared: not to be written to. */
    public static byte[] decision(boolean allowed) {
        return allowed ? ALLOW : DENY;
    }

    /** {@code {"decision":allowed,"context":{"decision_id":id}}} ({@code null}: JSON null). */
    public static byte[] decision(boolean allowed, String id) {
        if (id == null) {
            return write(withId(allowed, null));
        }
        byte[] head = allowed ? ALLOW_ID : DENY_ID;
        int n = id.length();
        byte[] out = new byte[head.length + n + END_ID.length];
        System.arraycopy(head, 0, out, 0, head.length);
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return write(withId(allowed, id));
            }
            out[head.length + i] = (byte) c;
        }
        System.arraycopy(END_ID, 0, out, head.length + n, END_ID.length);
        return out;
    }

    private static JsonNode withId(boolean allowed, String id) {
        var o = JSON.createObjectNode().put("decision", allowed);
        o.putObject("context").put("decision_id", id);
        return o;
    }

    /** Any tree, as Jackson writes it; {@code {"decision":B}} without Jackson. */
    public static byte[] write(JsonNode body) {
        if (body.size() == 1 && body.get("decision") instanceof BooleanNode b) {
            return decision(b.booleanValue());
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write a json tree", e);
        }
    }
}
