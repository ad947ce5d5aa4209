package dev.portcullis.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.pdp.authzen.BadRequestException;
import dev.portcullis.pdp.log.DecisionLog;
import dev.portcullis.pdp.log.DecisionRecord;
import dev.portcullis.pdp.log.LogEntry;
import dev.portcullis.pdp.log.LogQuery;
import dev.portcullis.pdp.policy.PolicyBundle;
import dev.portcullis.pdp.policy.PolicyLoadException;
import dev.portcullis.pdp.policy.PolicyProblem;
import dev.portcullis.pdp.policy.PolicySnapshot;
import dev.portcullis.pdp.policy.PolicyStore;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin API without HTTP: the live policies, uploading a bundle (validated before it goes
 * live; refused with its problems otherwise), a dry-run validation, and reading the decision log.
 *
 * <p>An uploaded bundle lives in memory: it serves until the next upload or the next change in the
 * watched policy directory, whichever comes first.
 */
public final class AdminApi {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    /** A JSON answer with its HTTP status. */
    public record Answer(int status, JsonNode body) {
        /** {@code {"error": code, "message": message}} with {@code status}. */
        public static Answer error(int status, String code, String message) {
            ObjectNode o = F.objectNode();
            o.put("error", code);
            o.put("message", message);
            return new Answer(status, o);
        }
    }

    private final PolicyStore store;
    private final DecisionLog log;

    public AdminApi(PolicyStore store, DecisionLog log) {
        this.store = store;
        this.log = log;
    }

    /** {@code GET /v1/policies}. */
    public Answer policies() {
        PolicySnapshot s = store.current();
        ObjectNode o = F.objectNode();
        if (s == null) {
            o.putNull("version");
        } else {
            o.put("version", s.version());
            o.put("loaded_at", s.loadedAt().toString());
            ArrayNode ids = o.putArray("policies");
            List<Policy> all = new ArrayList<>(s.policySet().policies());
            all.addAll(s.policySet().templates());
            for (Policy p : all) {
                ObjectNode n = ids.addObject();
                n.put("id", p.id());
                n.put("effect", p.effect().toString().toLowerCase(java.util.Locale.ROOT));
                if (p.templateId() != null) {
                    n.put("template", p.templateId());
                }
                String file = s.fileOf(p.id());
                if (file != null) {
                    n.put("file", file);
                }
            }
            ObjectNode sources = o.putObject("sources");
            s.sources().forEach(sources::put);
            ArrayNode warnings = o.putArray("warnings");
            s.warnings().forEach(warnings::add);
        }
        PolicyLoadException refused = store.lastRefusal();
        if (refused != null) {
            o.set("last_refusal", problems(refused));
        }
        o.put("activations", store.activations());
        o.put("refusals", store.refusals());
        return new Answer(200, o);
    }

    /** {@code PUT /v1/policies} with {@code {"files": {name: text}}}: 200 when live, 422 when refused. */
    public Answer put(JsonNode body) {
        PolicyBundle bundle = bundle(body);
        try {
            PolicySnapshot s = store.update(bundle);
            ObjectNode o = F.objectNode();
            o.put("version", s.version());
            o.put("active", true);
            ArrayNode warnings = o.putArray("warnings");
            s.warnings().forEach(warnings::add);
            return new Answer(200, o);
        } catch (PolicyLoadException e) {
            ObjectNode o = F.objectNode();
            o.put("active", false);
            o.put(
                    "message",
                    "policy bundle refused; version "
                            + (store.current() == null
                                    ? "(none)"
                                    : store.current().version()) + " keeps serving");
            o.set("problems", problems(e));
            return new Answer(422, o);
        }
    }

    /** {@code POST /v1/policies/validate}: what {@link #put} would say, without activating. */
    public Answer validate(JsonNode body) {
        PolicyBundle bundle = bundle(body);
        ObjectNode o = F.objectNode();
        o.put("version", bundle.version());
        try {
            PolicySnapshot s = new PolicyStore().update(bundle);
            o.put("valid", true);
            ArrayNode warnings = o.putArray("warnings");
            s.warnings().forEach(warnings::add);
            return new Answer(200, o);
        } catch (PolicyLoadException e) {
            o.put("valid", false);
            o.set("problems", problems(e));
            return new Answer(422, o);
        }
    }

    private static PolicyBundle bundle(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new BadRequestException(
                    "the request body must be a json object like {\"files\": {\"name.cedar\": \"...\"}}");
        }
        JsonNode files = body.get("files");
        if (files == null || files.isNull()) {
            throw new BadRequestException("missing `files` (an object from file name to file text)");
        }
        if (!files.isObject()) {
            throw new BadRequestException("`files`: expected an object from file name to file text");
        }
        Map<String, String> map = new LinkedHashMap<>();
        var it = files.fields();
        while (it.hasNext()) {
            var e = it.next();
            String name = e.getKey();
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw new BadRequestException(
                        "`files." + name + "`: a file name must be a plain name, without directories");
            }
            if (!e.getValue().isTextual()) {
                throw new BadRequestException("`files." + name + "`: expected the file's text as a string");
            }
            if (!(name.endsWith(".cedar")
                    || name.endsWith(".cedarschema")
                    || name.endsWith(".cedarschema.json")
                    || name.endsWith(".links.json"))) {
                throw new BadRequestException("`files." + name
                        + "`: not a bundle file (expected *.cedar, *.cedarschema, *.cedarschema.json or *.links.json)");
            }
            map.put(name, e.getValue().asText());
        }
        if (map.keySet().stream().noneMatch(n -> n.endsWith(".cedar"))) {
            throw new BadRequestException("`files`: the bundle has no policy file (*.cedar)");
        }
        return PolicyBundle.of(map);
    }

    private static ArrayNode problems(PolicyLoadException e) {
        ArrayNode a = F.arrayNode();
        for (PolicyProblem p : e.problems()) {
            ObjectNode n = a.addObject();
            n.put("file", p.file());
            if (p.line() > 0) {
                n.put("line", p.line());
                n.put("column", p.column());
            }
            n.put("message", p.message());
        }
        return a;
    }

    /**
     * {@code GET /v1/decisions?from=&to=&principal=&action=&decision=allow|deny&policy=&session=&after=&limit=}:
     * oldest first; {@code next_after} continues.
     */
    public Answer decisions(Map<String, String> params) {
        Instant from = instant(params, "from");
        Instant to = instant(params, "to");
        Boolean allowed = null;
        String d = params.get("decision");
        if (d != null) {
            allowed = switch (d) {
                case "allow", "true" -> true;
                case "deny", "false" -> false;
                default -> throw new BadRequestException("`decision`: expected `allow` or `deny`, got `" + d + "`");
            };
        }
        long after = 0;
        if (params.get("after") != null) {
            try {
                after = Long.parseLong(params.get("after"));
            } catch (NumberFormatException e) {
                throw new BadRequestException("`after`: expected a sequence number, got `" + params.get("after") + "`");
            }
        }
        int limit = limit(params);
        List<LogEntry> entries = log.query(new LogQuery(
                from,
                to,
                params.get("principal"),
                params.get("action"),
                allowed,
                params.get("policy"),
                after,
                limit,
                params.get("session")));
        ObjectNode o = F.objectNode();
        ArrayNode list = o.putArray("decisions");
        for (LogEntry e : entries) {
            list.add(entry(e));
        }
        if (entries.size() == limit) {
            o.put("next_after", entries.get(entries.size() - 1).seq());
        } else {
            o.putNull("next_after");
        }
        return new Answer(200, o);
    }

    /** The {@code limit} query parameter: 1 to {@link #MAX_LIMIT}, {@link #DEFAULT_LIMIT} when absent. */
    public static int limit(Map<String, String> params) {
        String v = params.get("limit");
        if (v == null) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException(
                    "`limit`: expected an integer between 1 and " + MAX_LIMIT + ", got `" + v + "`");
        }
        return limit;
    }

    /** Refuses query parameters other than {@code known}. */
    public static void onlyParams(Map<String, String> params, List<String> known) {
        for (String k : params.keySet()) {
            if (!known.contains(k)) {
                throw new BadRequestException(
                        "unknown parameter `" + k + "` (expected " + String.join(", ", known) + ")");
            }
        }
    }

    private static ObjectNode entry(LogEntry e) {
        DecisionRecord r = e.record();
        ObjectNode n = F.objectNode();
        n.put("seq", e.seq());
        n.put("decision_id", r.decisionId());
        n.put("time", r.time().toString());
        n.put("kind", r.kind());
        n.put("caller", r.caller());
        n.put("principal", r.principal());
        n.put("action", r.action());
        n.put("resource", r.resource());
        n.put("decision", r.allowed() ? "allow" : "deny");
        if (r.sessionId() != null) {
            n.put("session_id", r.sessionId());
            if (!r.sessionParents().isEmpty()) {
                ArrayNode parents = n.putArray("session_parents");
                r.sessionParents().forEach(parents::add);
            }
        }
        ArrayNode reasons = n.putArray("reasons");
        r.reasons().forEach(reasons::add);
        ArrayNode errors = n.putArray("errors");
        r.errors().forEach(errors::add);
        n.put("policy_version", r.policyVersion());
        n.put("latency_micros", r.latencyMicros());
        try {
            n.set("request", JSON.readTree(r.requestJson()));
        } catch (Exception x) {
            n.put("request", r.requestJson());
        }
        n.put("hash", e.hash());
        return n;
    }

    private static Instant instant(Map<String, String> params, String key) {
        String v = params.get(key);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new BadRequestException(
                    "`" + key + "`: expected an ISO-8601 instant like 2025-01-31T12:00:00Z, got `" + v + "`");
        }
    }
}
