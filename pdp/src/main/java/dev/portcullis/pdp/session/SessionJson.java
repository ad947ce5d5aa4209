package dev.portcullis.pdp.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.cedar.value.EntityUid;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sessions, boundaries and limits as JSON (snake_case keys): the wire form an API can answer with
 * and read requests in, and the form the stores keep. Reading reports the first bad field by its
 * path ({@code boundary.resources[2]: ...}) as a {@link SessionException} of kind {@code
 * INVALID_REQUEST}.
 */
public final class SessionJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SessionJson() {}

    /** The session as JSON. */
    public static ObjectNode toJson(Session s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", s.id());
        n.put("agent", s.agent().toString());
        n.put("on_behalf_of", s.onBehalfOf() == null ? null : s.onBehalfOf().toString());
        n.put("purpose", s.purpose());
        n.set("boundary", toJson(s.boundary()));
        n.set("limits", toJson(s.limits()));
        n.put("parent_id", s.parentId());
        strings(n.putArray("parents"), s.parents());
        n.put("created_at", s.createdAt().toString());
        n.put("expires_at", s.expiresAt().toString());
        n.put("state", s.state().wireName());
        n.put("end_reason", s.endReason());
        n.put("ended_at", s.endedAt() == null ? null : s.endedAt().toString());
        ArrayNode tokens = n.putArray("tokens");
        for (TokenRef t : s.tokens()) {
            ObjectNode o = tokens.addObject();
            o.put("role", t.role().name().toLowerCase(java.util.Locale.ROOT));
            o.put("issuer", t.issuer());
            o.put("subject", t.subject());
            o.put("actor", t.actor());
            o.put("token_id", t.tokenId());
            o.put("idp_session_id", t.idpSessionId());
            o.put("issued_at", t.issuedAt() == null ? null : t.issuedAt().toString());
            o.put("expires_at", t.expiresAt().toString());
        }
        strings(n.putArray("labels"), s.labels().stream().sorted().toList());
        n.put("action_count", s.actionCount());
        ObjectNode counts = n.putObject("action_counts");
        s.actionCounts().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> counts.put(e.getKey(), e.getValue()));
        ArrayNode history = n.putArray("history");
        for (ActionEvent e : s.history()) {
            history.addObject()
                    .put("at", e.at().toString())
                    .put("action", e.action())
                    .put("resource", e.resource());
        }
        return n;
    }

    public static ObjectNode toJson(Boundary b) {
        ObjectNode n = JSON.createObjectNode();
        optionalStrings(n, "actions", b.actions());
        optionalStrings(n, "resources", b.resources());
        optionalStrings(n, "datasets", b.datasets());
        return n;
    }

    public static ObjectNode toJson(Limits l) {
        ObjectNode n = JSON.createObjectNode();
        if (l.maxActions() == null) {
            n.putNull("max_actions");
        } else {
            n.put("max_actions", l.maxActions());
        }
        ArrayNode rates = n.putArray("per_action");
        for (Limits.RateLimit r : l.rates()) {
            rates.addObject()
                    .put("action", r.action())
                    .put("count", r.count())
                    .put("window", r.window().toString());
        }
        return n;
    }

    /**
     * Reads a boundary: {@code {"actions": [...], "resources": [...], "datasets": [...]}}, each
     * optional; {@code null} or a missing node is the unrestricted boundary.
     *
     * @param where the field's path, for messages (e.g. {@code boundary})
     */
    public static Boundary boundary(JsonNode n, String where) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return Boundary.unrestricted();
        }
        requireObject(n, where, Set.of("actions", "resources", "datasets"));
        return new Boundary(
                optionalStrings(n.get("actions"), where + ".actions"),
                optionalStrings(n.get("resources"), where + ".resources"),
                optionalStrings(n.get("datasets"), where + ".datasets"));
    }

    /**
     * Reads limits: {@code {"max_actions": N, "per_action": [{"action": A, "count": N, "window":
     * W}]}}, each optional; a window is an ISO-8601 duration ({@code PT1H}) or a number of seconds.
     */
    public static Limits limits(JsonNode n, String where) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return Limits.none();
        }
        requireObject(n, where, Set.of("max_actions", "per_action"));
        JsonNode max = n.get("max_actions");
        Long maxActions = null;
        if (max != null && !max.isNull()) {
            maxActions = count(max, where + ".max_actions");
        }
        List<Limits.RateLimit> rates = new ArrayList<>();
        JsonNode per = n.get("per_action");
        if (per != null && !per.isNull()) {
            if (!per.isArray()) {
                throw Names.invalid(where + ".per_action", "expected an array of {action, count, window}");
            }
            for (int i = 0; i < per.size(); i++) {
                String at = where + ".per_action[" + i + "]";
                JsonNode r = per.get(i);
                requireObject(r, at, Set.of("action", "count", "window"));
                rates.add(new Limits.RateLimit(
                        string(r.get("action"), at + ".action"),
                        count(r.get("count"), at + ".count"),
                        duration(r.get("window"), at + ".window")));
            }
        }
        return new Limits(maxActions, rates);
    }

    /** A duration: an ISO-8601 string ({@code PT15M}) or a number of seconds. */
    public static Duration duration(JsonNode n, String where) {
        if (n == null || n.isNull()) {
            throw Names.invalid(where, "missing duration");
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return Duration.ofSeconds(n.asLong());
        }
        if (n.isTextual()) {
            try {
                return Duration.parse(n.asText());
            } catch (DateTimeParseException e) {
                // fall through to the message
            }
        }
        throw Names.invalid(where, "`" + n + "` is not a duration (an ISO-8601 duration such as `PT1H`, or seconds)");
    }

    // ---- the stored form ----

    static String stored(StoredSession s) {
        ObjectNode n = toJson(s.session());
        n.put("version", s.version());
        n.put("token_hash", s.tokenHash());
        n.put(
                "token_expires_at",
                s.tokenExpiresAt() == null ? null : s.tokenExpiresAt().toString());
        ArrayNode logs = n.putArray("rate_logs");
        for (List<Long> log : s.rateLogs()) {
            ArrayNode a = logs.addArray();
            log.forEach(a::add);
        }
        return n.toString();
    }

    static StoredSession stored(String json) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SessionException(
                    SessionException.Kind.UNAVAILABLE, "a stored session is not valid JSON: " + e.getOriginalMessage());
        }
        List<List<Long>> logs = new ArrayList<>();
        for (JsonNode log : n.path("rate_logs")) {
            List<Long> times = new ArrayList<>();
            log.forEach(t -> times.add(t.asLong()));
            logs.add(times);
        }
        return new StoredSession(
                session(n), n.path("version").asLong(), text(n, "token_hash"), instant(n, "token_expires_at"), logs);
    }

    /** Reads a session written by {@link #toJson(Session)}. */
    public static Session session(JsonNode n) {
        List<TokenRef> tokens = new ArrayList<>();
        for (JsonNode t : n.path("tokens")) {
            tokens.add(new TokenRef(
                    TokenRef.Role.valueOf(t.path("role").asText().toUpperCase(java.util.Locale.ROOT)),
                    text(t, "issuer"),
                    text(t, "subject"),
                    text(t, "actor"),
                    text(t, "token_id"),
                    text(t, "idp_session_id"),
                    instant(t, "issued_at"),
                    instant(t, "expires_at")));
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.path("action_counts").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            counts.put(e.getKey(), e.getValue().asLong());
        }
        List<ActionEvent> history = new ArrayList<>();
        for (JsonNode e : n.path("history")) {
            history.add(new ActionEvent(instant(e, "at"), text(e, "action"), text(e, "resource")));
        }
        String state = text(n, "state");
        SessionState st = SessionState.fromWireName(state);
        if (st == null) {
            throw new SessionException(
                    SessionException.Kind.UNAVAILABLE, "stored session has an unknown state `" + state + "`");
        }
        return new Session(
                text(n, "id"),
                uid(n, "agent"),
                uid(n, "on_behalf_of"),
                text(n, "purpose"),
                boundary(n.get("boundary"), "boundary"),
                limits(n.get("limits"), "limits"),
                text(n, "parent_id"),
                orEmpty(optionalStrings(n.get("parents"), "parents")),
                instant(n, "created_at"),
                instant(n, "expires_at"),
                st,
                text(n, "end_reason"),
                instant(n, "ended_at"),
                tokens,
                new LinkedHashSet<>(orEmpty(optionalStrings(n.get("labels"), "labels"))),
                n.path("action_count").asLong(),
                counts,
                history);
    }

    // ---- helpers ----

    private static void requireObject(JsonNode n, String where, Set<String> keys) {
        if (!n.isObject()) {
            throw Names.invalid(where, "expected an object");
        }
        Iterator<String> names = n.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!keys.contains(k)) {
                throw Names.invalid(
                        where,
                        "unknown key `" + k + "` (expected "
                                + String.join(", ", keys.stream().sorted().toList()) + ")");
            }
        }
    }

    private static List<String> optionalStrings(JsonNode n, String where) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (!n.isArray()) {
            throw Names.invalid(where, "expected an array of strings");
        }
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            out.add(string(n.get(i), where + "[" + i + "]"));
        }
        return out;
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }

    private static String string(JsonNode n, String where) {
        if (n == null || !n.isTextual()) {
            throw Names.invalid(where, n == null || n.isNull() ? "missing string" : "`" + n + "` is not a string");
        }
        return n.asText();
    }

    private static long count(JsonNode n, String where) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            throw Names.invalid(where, "`" + n + "` is not a non-negative integer");
        }
        return n.asLong();
    }

    private static void optionalStrings(ObjectNode n, String key, List<String> values) {
        if (values == null) {
            n.putNull(key);
        } else {
            strings(n.putArray(key), values);
        }
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode n, String key) {
        String t = text(n, key);
        return t == null ? null : Instant.parse(t);
    }

    private static EntityUid uid(JsonNode n, String key) {
        String t = text(n, key);
        return t == null ? null : Names.uid(t, key);
    }
}
