package dev.portcullis.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.pdp.approval.ApprovalException;
import dev.portcullis.pdp.approval.ApprovalService;
import dev.portcullis.pdp.identity.TrustedIssuer;
import dev.portcullis.pdp.session.Limits;
import dev.portcullis.pdp.session.SessionConfig;
import dev.portcullis.pdp.session.SessionException;
import dev.portcullis.pdp.session.SessionJson;
import dev.portcullis.server.config.AgentSettings.Approvals;
import dev.portcullis.server.config.AgentSettings.Sessions;
import dev.portcullis.server.config.AgentSettings.Ssf;
import dev.portcullis.server.config.AgentSettings.Transmitter;
import dev.portcullis.server.session.SessionInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code sessions}, {@code ssf} and {@code approvals} parts of {@link ConfigLoader}: same
 * rules (every problem collected, each naming its key). The format and defaults:
 *
 * <pre>
 * sessions:
 *   enabled: true               # PORTCULLIS_SESSIONS_ENABLED (no section: no sessions)
 *   store: null                 # PORTCULLIS_SESSIONS_STORE; default: log.url (own tables)
 *   issuers: []                 # agent and user token issuers, as auth.jwt.issuers; default: those of auth.jwt
 *   required_for_agents: true   # a decision whose principal is an agent must name a session
 *   agent: {entity_type: Agent, id_claim: sub}
 *   user: {entity_type: User, id_claim: sub}
 *   expires_in: {default: 1h, max: 24h}
 *   token_ttl: 15m
 *   labels: {attributes: [classification], actions: []}
 *   dataset_attribute: dataset
 *   history_size: 50
 *   retention: 24h
 *   flush_interval: 1s
 *   limits: {max_actions: null, per_action: []}   # for a session that declares none
 * ssf:
 *   transmitters: []            # issuer, jwks_url | jwks_file, audiences, algorithms,
 *                               #   clock_skew_seconds, token_issuer
 * approvals:
 *   enabled: true               # PORTCULLIS_APPROVALS_ENABLED
 *   store: null                 # PORTCULLIS_APPROVALS_STORE; default: log.url (own table)
 *   pending_ttl: 15m
 *   grant_ttl: 5m
 *   denial_hold: 15m
 *   retention: 24h
 *   excluded_context: [time, now, session.action_count, session.action_counts, session.actions, session.history]
 * </pre>
 */
final class AgentConfig {
    static final Set<String> SESSIONS_KEYS = Set.of(
            "enabled",
            "store",
            "issuers",
            "required_for_agents",
            "agent",
            "user",
            "expires_in",
            "token_ttl",
            "labels",
            "dataset_attribute",
            "history_size",
            "retention",
            "flush_interval",
            "limits");
    static final Set<String> SSF_KEYS = Set.of("transmitters");
    static final Set<String> APPROVALS_KEYS =
            Set.of("enabled", "store", "pending_ttl", "grant_ttl", "denial_hold", "retention", "excluded_context");

    /**
     * The approval binding leaves out what moves between a request and its retry: the pdp's defaults
     * plus {@code session.actions}, the per-action counters as sessions put them into the context.
     */
    static final List<String> DEFAULT_EXCLUDED_CONTEXT = List.of(
            "time", "now", "session.action_count", "session.action_counts", "session.actions", "session.history");

    private final SecurityConfig security;
    private final List<String> problems;

    AgentConfig(SecurityConfig security, List<String> problems) {
        this.security = security;
        this.problems = problems;
    }

    AgentSettings settings(ObjectNode root, String logUrl, ServerConfig.Jwt jwt, String actionType) {
        return new AgentSettings(
                sessions(root.get("sessions"), logUrl, jwt, actionType),
                ssf(root.get("ssf")),
                approvals(root.get("approvals"), logUrl));
    }

    // ---- sessions ----

    private Sessions sessions(JsonNode s, String logUrl, ServerConfig.Jwt jwt, String actionType) {
        // the section turns sessions on; `enabled: false` keeps it written down but off
        if (!(s instanceof ObjectNode n) || !bool(n, "enabled", "sessions.enabled", true)) {
            return null;
        }
        int before = problems.size();
        String store = storeUrl(n, "sessions.store", logUrl);
        List<TrustedIssuer> issuers = new ArrayList<>();
        JsonNode list = n.get("issuers");
        if (list != null && !list.isNull()) {
            issuers = issuers(list, "sessions.issuers");
        } else if (jwt != null) {
            issuers = jwt.issuers();
        } else {
            problems.add("sessions.issuers: required when sessions are enabled and `auth.jwt` has no issuers"
                    + " (the issuers whose agent and user tokens may start sessions)");
        }
        boolean required = bool(n, "required_for_agents", "sessions.required_for_agents", true);
        SessionConfig.Builder b = SessionConfig.builder();
        String[] agent = entity(n.get("agent"), "sessions.agent", "Agent");
        String[] user = entity(n.get("user"), "sessions.user", "User");
        b.agent(agent[0], agent[1]).user(user[0], user[1]);
        JsonNode exp = n.get("expires_in");
        Duration dflt = Duration.ofHours(1);
        Duration max = Duration.ofHours(24);
        if (exp != null && !exp.isNull()) {
            if (!exp.isObject()) {
                problems.add("sessions.expires_in: expected a mapping with default and max, got "
                        + ConfigLoader.describe(exp));
            } else {
                security.unknownKeys(exp, "sessions.expires_in", Set.of("default", "max"));
                dflt = duration(exp.get("default"), "sessions.expires_in.default", dflt);
                max = duration(exp.get("max"), "sessions.expires_in.max", max);
            }
        }
        b.expiresIn(dflt, max);
        b.tokenTtl(duration(n.get("token_ttl"), "sessions.token_ttl", Duration.ofMinutes(15)));
        labels(n.get("labels"), b, actionType);
        String dataset = security.text(n, "dataset_attribute", "sessions", "dataset");
        b.datasetAttribute(dataset);
        JsonNode hs = n.get("history_size");
        if (hs != null && !hs.isNull()) {
            if (!hs.isIntegralNumber() || !hs.canConvertToInt()) {
                problems.add("sessions.history_size: expected an integer, got " + ConfigLoader.describe(hs));
            } else {
                b.historySize(hs.intValue());
            }
        }
        b.retention(duration(n.get("retention"), "sessions.retention", Duration.ofHours(24)));
        b.flushInterval(duration(n.get("flush_interval"), "sessions.flush_interval", Duration.ofSeconds(1)));
        Limits limits = limits(n.get("limits"), actionType);
        SessionConfig config = null;
        if (problems.size() == before) {
            try {
                config = b.build();
            } catch (SessionException e) {
                problems.add(e.getMessage());
            }
        }
        return problems.size() > before ? null : new Sessions(store, issuers, config, limits, required);
    }

    private List<TrustedIssuer> issuers(JsonNode list, String p) {
        List<TrustedIssuer> out = new ArrayList<>();
        if (!list.isArray() || list.isEmpty()) {
            problems.add(p + ": expected a non-empty list of issuers (issuer, jwks_url or jwks_file, audiences)");
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            TrustedIssuer t = security.issuer(list.get(i), p + "[" + i + "]");
            if (t != null && !seen.add(t.issuer())) {
                problems.add(p + "[" + i + "].issuer: `" + t.issuer() + "` is listed twice");
            } else if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    /** {@code {entity_type, id_claim}} → the two strings, defaults filled in. */
    private String[] entity(JsonNode n, String p, String type) {
        String[] out = {type, "sub"};
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            problems.add(p + ": expected a mapping with entity_type and id_claim, got " + ConfigLoader.describe(n));
            return out;
        }
        security.unknownKeys(n, p, Set.of("entity_type", "id_claim"));
        out[0] = security.text(n, "entity_type", p, type);
        out[1] = security.text(n, "id_claim", p, "sub");
        if (!ConfigLoader.isCedarName(out[0])) {
            problems.add(p + ".entity_type: expected a Cedar entity type name, got `" + out[0] + "`");
        }
        return out;
    }

    private void labels(JsonNode n, SessionConfig.Builder b, String actionType) {
        String p = "sessions.labels";
        if (n == null || n.isNull()) {
            return;
        }
        if (!n.isObject()) {
            problems.add(p + ": expected a mapping with attributes and actions, got " + ConfigLoader.describe(n));
            return;
        }
        security.unknownKeys(n, p, Set.of("attributes", "actions"));
        Set<String> attributes = n.has("attributes") ? security.strings(n.get("attributes"), p + ".attributes") : null;
        Set<String> actions = security.strings(n.get("actions"), p + ".actions");
        if (actions == null) {
            return;
        }
        List<String> qualified =
                actions.stream().map(a -> SessionInput.qualify(a, actionType)).toList();
        b.labels(attributes == null ? List.of("classification") : List.copyOf(attributes), qualified);
    }

    private Limits limits(JsonNode n, String actionType) {
        String p = "sessions.limits";
        if (n == null || n.isNull()) {
            return Limits.none();
        }
        try {
            return SessionJson.limits(SessionInput.normalizeLimits(n, actionType, p), p);
        } catch (SessionException e) {
            problems.add(e.getMessage());
            return Limits.none();
        }
    }

    // ---- ssf ----

    private Ssf ssf(JsonNode s) {
        if (!(s instanceof ObjectNode n)) {
            return null;
        }
        JsonNode list = n.get("transmitters");
        if (list == null || list.isNull() || (list.isArray() && list.isEmpty())) {
            return null;
        }
        String p = "ssf.transmitters";
        if (!list.isArray()) {
            problems.add(p + ": expected a list of transmitters (issuer, jwks_url or jwks_file, audiences)");
            return null;
        }
        int before = problems.size();
        List<Transmitter> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = p + "[" + i + "]";
            JsonNode t = list.get(i);
            String tokenIssuer = null;
            if (t instanceof ObjectNode o && o.has("token_issuer")) {
                tokenIssuer = security.text(o, "token_issuer", at, null);
                t = o.deepCopy();
                ((ObjectNode) t).remove("token_issuer");
            }
            TrustedIssuer trusted = security.issuer(t, at);
            if (trusted == null) {
                continue;
            }
            if (!seen.add(trusted.issuer())) {
                problems.add(at + ".issuer: `" + trusted.issuer() + "` is listed twice");
                continue;
            }
            out.add(new Transmitter(trusted, tokenIssuer == null ? trusted.issuer() : tokenIssuer));
        }
        return problems.size() > before ? null : new Ssf(out);
    }

    // ---- approvals ----

    private Approvals approvals(JsonNode a, String logUrl) {
        ObjectNode n = a instanceof ObjectNode o ? o : null;
        if (n != null && !bool(n, "enabled", "approvals.enabled", true)) {
            return null;
        }
        String store = n == null ? logUrl : storeUrl(n, "approvals.store", logUrl);
        ApprovalService.Options o = ApprovalService.Options.defaults().withExcludedContext(DEFAULT_EXCLUDED_CONTEXT);
        if (n == null) {
            return new Approvals(store, o);
        }
        int before = problems.size();
        o = o.withPendingTtl(duration(n.get("pending_ttl"), "approvals.pending_ttl", o.pendingTtl()))
                .withGrantTtl(duration(n.get("grant_ttl"), "approvals.grant_ttl", o.grantTtl()))
                .withDenialHold(duration(n.get("denial_hold"), "approvals.denial_hold", o.denialHold()))
                .withRetention(duration(n.get("retention"), "approvals.retention", o.retention()));
        JsonNode ex = n.get("excluded_context");
        if (ex != null && !ex.isNull()) {
            Set<String> paths = security.strings(ex, "approvals.excluded_context");
            if (paths != null) {
                try {
                    o = o.withExcludedContext(List.copyOf(paths));
                } catch (ApprovalException e) {
                    problems.add("approvals.excluded_context: " + e.getMessage());
                }
            }
        }
        return problems.size() > before ? null : new Approvals(store, o);
    }

    // ---- values ----

    private String storeUrl(ObjectNode n, String key, String logUrl) {
        JsonNode v = n.get("store");
        if (v == null || v.isNull()) {
            return logUrl;
        }
        String u = v.isTextual() ? v.asText().strip() : "";
        boolean known = u.equals("memory")
                || u.startsWith("sqlite:")
                || u.startsWith("jdbc:sqlite:")
                || u.startsWith("jdbc:postgresql:")
                || u.startsWith("postgresql://")
                || u.startsWith("postgres://");
        if (!known) {
            problems.add(
                    key + ": expected `memory`, `sqlite:PATH` or a PostgreSQL url, got " + ConfigLoader.describe(v));
            return logUrl;
        }
        return u;
    }

    private boolean bool(ObjectNode n, String name, String key, boolean dflt) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
            return Boolean.parseBoolean(v.asText());
        }
        problems.add(key + ": expected true or false, got " + ConfigLoader.describe(v));
        return dflt;
    }

    /** A positive duration in any {@link Durations} form. */
    private Duration duration(JsonNode v, String key, Duration dflt) {
        if (v == null || v.isNull()) {
            return dflt;
        }
        Duration d = v.isIntegralNumber() && v.canConvertToLong()
                ? Duration.ofSeconds(v.longValue())
                : v.isTextual() ? Durations.parse(v.asText()) : null;
        if (d == null) {
            problems.add(key + ": expected " + Durations.FORMS + ", got " + ConfigLoader.describe(v));
            return dflt;
        }
        if (d.isNegative() || d.isZero()) {
            problems.add(key + ": must be positive, got " + ConfigLoader.describe(v));
            return dflt;
        }
        return d;
    }
}
