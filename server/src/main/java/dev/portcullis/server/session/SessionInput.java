package dev.portcullis.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.pdp.session.Boundary;
import dev.portcullis.pdp.session.Limits;
import dev.portcullis.pdp.session.SessionException;
import dev.portcullis.pdp.session.SessionJson;
import dev.portcullis.server.config.Durations;
import java.time.Duration;
import java.util.List;

/**
 * Reading boundaries, limits and durations as the server takes them (configuration and {@code POST
 * /v1/sessions}): the pdp's JSON forms ({@link SessionJson}), with two conveniences. Durations may
 * be written {@code 15m} or {@code 1h30m} as well as ISO-8601 or seconds, and a bare action name
 * ({@code read}) means an action of the configured {@code mapping.action_type}, as it does in
 * AuthZEN requests.
 */
public final class SessionInput {
    private SessionInput() {}

    /** A bare action name as an action of {@code actionType}; uids and {@code *} stay as they are. */
    public static String qualify(String action, String actionType) {
        if (action.contains("::") || action.equals("*") || actionType.equals("Action")) {
            return action;
        }
        return actionType + "::\"" + action.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A boundary ({@code null}: unrestricted); bad input names its field under {@code where}. */
    public static Boundary boundary(JsonNode n, String actionType, String where) {
        if (n instanceof ObjectNode o && o.get("actions") instanceof ArrayNode actions) {
            ObjectNode copy = o.deepCopy();
            ArrayNode out = copy.putArray("actions");
            for (JsonNode a : actions) {
                if (a.isTextual()) {
                    out.add(qualify(a.asText(), actionType));
                } else {
                    out.add(a);
                }
            }
            n = copy;
        }
        return SessionJson.boundary(n, where);
    }

    /** Limits ({@code null}: none); bad input names its field under {@code where}. */
    public static Limits limits(JsonNode n, String actionType, String where) {
        return SessionJson.limits(normalizeLimits(n, actionType, where), where);
    }

    /**
     * Limits with every {@code per_action[i].window} in seconds and bare action names qualified, for
     * {@link SessionJson#limits}.
     *
     * @throws SessionException {@code INVALID_REQUEST} for a window that is no duration
     */
    public static JsonNode normalizeLimits(JsonNode n, String actionType, String where) {
        if (!(n instanceof ObjectNode o) || !(o.get("per_action") instanceof ArrayNode rates)) {
            return n;
        }
        ObjectNode copy = o.deepCopy();
        ArrayNode out = copy.putArray("per_action");
        for (int i = 0; i < rates.size(); i++) {
            JsonNode r = rates.get(i);
            if (!(r instanceof ObjectNode ro)) {
                out.add(r);
                continue;
            }
            ObjectNode c = ro.deepCopy();
            JsonNode w = ro.get("window");
            if (w != null && w.isTextual()) {
                c.put(
                        "window",
                        duration(w, where + ".per_action[" + i + "].window").toSeconds());
            }
            JsonNode a = ro.get("action");
            if (a != null && a.isTextual()) {
                c.put("action", qualify(a.asText(), actionType));
            }
            out.add(c);
        }
        return copy;
    }

    /** A positive duration: a number of seconds or any {@link Durations} form. */
    public static Duration duration(JsonNode n, String where) {
        Duration d = null;
        if (n != null && n.isIntegralNumber() && n.canConvertToLong()) {
            d = Duration.ofSeconds(n.longValue());
        } else if (n != null && n.isTextual()) {
            d = Durations.parse(n.asText());
        }
        if (d == null) {
            throw invalid(where, "`" + n + "` is not " + Durations.FORMS);
        }
        if (d.isNegative() || d.isZero()) {
            throw invalid(where, "`" + n + "` is not positive");
        }
        return d;
    }

    /** The names of {@code n}'s fields that are not in {@code known}, for a 400. */
    static List<String> unknownFields(JsonNode n, List<String> known) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                out.add(f);
            }
        });
        return out;
    }

    static SessionException invalid(String where, String what) {
        return new SessionException(SessionException.Kind.INVALID_REQUEST, where + ": " + what);
    }
}
