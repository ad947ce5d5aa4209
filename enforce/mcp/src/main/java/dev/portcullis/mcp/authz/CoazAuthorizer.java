package dev.portcullis.mcp.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.cedar.AuthorizationError;
import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import dev.portcullis.mcp.McpAuthorizer;
import dev.portcullis.mcp.McpCall;
import dev.portcullis.mcp.McpIdentity;
import dev.portcullis.mcp.Verdict;
import dev.portcullis.mcp.authz.CoazSettings.DenyAs;
import dev.portcullis.mcp.authz.PathNormalizer.PathException;
import dev.portcullis.pdp.DecisionRequest;
import dev.portcullis.pdp.DecisionResult;
import dev.portcullis.pdp.DecisionService;
import dev.portcullis.pdp.authzen.AuthZenMapping;
import dev.portcullis.pdp.authzen.BadRequestException;
import dev.portcullis.pdp.entity.EntityProvider;
import dev.portcullis.pdp.session.SessionException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * COAZ-MCP: every client message becomes one or more AuthZEN evaluations (the binding's default
 * mapping for its method, or a tool's declared {@code x-authzen-mapping}), mapped to Cedar through
 * {@link AuthZenMapping} and decided in-process by {@link DecisionService}. See {@code
 * docs/mcp-authorization.md}.
 *
 * <pre>
 * tools/call
 *   1. visibility: tools/list on Tool::NAME (as in list filtering)  deny → -32602 unknown tool
 *   2. path arguments normalized in params (what is forwarded)      refused → denied
 *   3. the declared mapping of the tool, else the default one: one or more evaluations, each
 *      with context {agent, ..., method, tool, arguments, upstream}
 *   4. per path argument: ACCESS on File::PATH (parents: Folder::each ancestor and itself)
 *   5. all decided in the call's session (one batch); all must allow
 * </pre>
 */
final class CoazAuthorizer implements McpAuthorizer {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /**
     * Writes log records with pooled buffers: {@code JsonNode.toString()} uses Jackson's
     * per-thread buffers, new on every virtual thread the gateway decides on.
     */
    private static final com.fasterxml.jackson.databind.ObjectMapper LOG_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
                    .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool())
                    .build());

    private static final System.Logger LOG = System.getLogger(CoazAuthorizer.class.getName());
    static final String KIND = "mcp";

    /** List method → (result array, AuthZEN item type, item id field). */
    private record ListKind(String array, String type, String idField) {}

    private static final Map<String, ListKind> LISTS = Map.of(
            "tools/list", new ListKind("tools", "tool", "name"),
            "resources/list", new ListKind("resources", "resource", "uri"),
            "resources/templates/list", new ListKind("resourceTemplates", "resource", "uriTemplate"),
            "prompts/list", new ListKind("prompts", "prompt", "name"));

    private final CoazSettings settings;
    private final DecisionService decisions;
    private final SessionBinder sessions;
    private final Supplier<Schema> schema;
    private final EntityProvider entities;
    private final AuthZenMapping mapping;
    private final CelExpressions cel = new CelExpressions();
    private final DefaultMappings defaults;
    private final Redactor redactor;
    private final PathArguments paths;
    private final Map<String, Declared> declared = new ConcurrentHashMap<>();

    /** A tool's declared mapping, or why it is malformed (every call of the tool is then a mapping error). */
    private record Declared(JsonNode mapping, String malformed) {}

    /** One AuthZEN evaluation, resolved. */
    record Eval(ObjectNode subject, ObjectNode action, ObjectNode resource, ObjectNode context, List<Entity> facts) {}

    CoazAuthorizer(
            CoazSettings settings,
            DecisionService decisions,
            SessionBinder sessions,
            Supplier<Schema> schema,
            EntityProvider entities) {
        this.entities = entities;
        this.settings = settings;
        this.decisions = decisions;
        this.sessions = sessions;
        this.schema = schema == null ? () -> null : schema;
        this.mapping = new AuthZenMapping(settings.mapping());
        this.defaults = new DefaultMappings(settings.subjectClaim(), settings.agentClaim());
        this.redactor = new Redactor(settings.redact());
        this.paths = new PathArguments(settings.paths(), mapping, entities);
        for (ObjectNode m : defaults.all()) {
            String err = cel.check(m);
            if (err != null) {
                throw new IllegalStateException("default mapping does not compile: " + err);
            }
        }
    }

    // ---- authorize ----

    @Override
    public Verdict authorize(McpCall call) {
        try {
            return doAuthorize(call);
        } catch (MappingException | BadRequestException e) {
            return new Verdict.Deny(null, error(-32602, "COAZ mapping error: " + e.getMessage(), null), e.getMessage());
        } catch (PathException e) {
            return denied(call, null, "Access denied: " + e.getMessage());
        } catch (SessionException e) {
            if (e.kind() == SessionException.Kind.UNAVAILABLE) {
                LOG.log(System.Logger.Level.WARNING, "no session for " + call.method() + ": " + e.getMessage());
                return new Verdict.Deny(
                        null, error(-32603, "Authorization service unavailable", null), "session: " + e.getMessage());
            }
            return denied(call, null, "Access denied: no session: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "authorization of " + call.method() + " failed closed", e);
            return new Verdict.Deny(
                    null, error(-32603, "Authorization service unavailable", null), "authorization failed: " + e);
        }
    }

    private Verdict doAuthorize(McpCall call) {
        String method = call.method();
        if (call.isNotification()
                || method.startsWith("notifications/")
                || DefaultMappings.PASS_THROUGH.contains(method)) {
            return new Verdict.Allow(null);
        }
        ObjectNode template = defaults.forMethod(method);
        if (template == null) {
            String why = "method `" + method + "` has no COAZ mapping";
            return new Verdict.Deny(null, error(-32001, "Access denied: " + why, null), why);
        }
        // hidden items answer like unknown ones
        String hiddenAnswer = null;
        ListKind visibility = null;
        String itemId = null;
        switch (method) {
            case "tools/call" -> {
                visibility = LISTS.get("tools/list");
                itemId = requiredString(call.params(), "name", "params.name");
                hiddenAnswer = "Unknown tool: " + (call.clientName() != null ? call.clientName() : itemId);
            }
            case "prompts/get" -> {
                visibility = LISTS.get("prompts/list");
                itemId = requiredString(call.params(), "name", "params.name");
                hiddenAnswer = "Unknown prompt: " + (call.clientName() != null ? call.clientName() : itemId);
            }
            case "resources/read", "resources/subscribe", "resources/unsubscribe" -> {
                visibility = LISTS.get("resources/list");
                itemId = requiredString(call.params(), "uri", "params.uri");
                hiddenAnswer = "Resource not found: " + itemId;
            }
            default -> {}
        }
        if (visibility != null) {
            String listMethod = listMethodOf(visibility);
            DecisionRequest v = itemRequest(call, listMethod, visibility.type(), itemId, null);
            DecisionResult r = decisions.decide(v);
            if (!allowed(r)) {
                // exactly what an unknown item gets: no decision id, nothing that says it exists
                int code = visibility.type().equals("resource") ? -32002 : -32602;
                return new Verdict.Deny(
                        r.decisionId(),
                        error(code, hiddenAnswer, null),
                        "hidden: " + denialReason(r, listMethod, itemId));
            }
        }

        String session = sessions.sessionFor(call);
        List<Eval> evals = new ArrayList<>();
        if (method.equals("tools/call")) {
            List<PathArguments.PathArg> pathArgs = paths.normalize(call, itemId);
            Declared d = settings.declaredMappings() ? declaredFor(call, itemId) : null;
            if (d != null && d.malformed != null) {
                throw new MappingException(d.malformed);
            }
            if (d != null) {
                // the expressions see the normalized arguments
                evals.addAll(resolve(d.mapping, call, vars(call), false));
            } else {
                // the default mapping: the caller's subject and context, the tool as resource
                Base b = base(call);
                evals.add(eval(
                        call,
                        b.subject().deepCopy(),
                        JSON.objectNode().put("name", method),
                        JSON.objectNode().put("type", "tool").put("id", itemId),
                        b.context(),
                        "",
                        true));
            }
            for (PathArguments.PathArg p : pathArgs) {
                evals.add(paths.evaluation(evals.get(0), p));
            }
        } else {
            evals.addAll(resolve(template, call, vars(call), true));
        }
        List<DecisionRequest> requests = new ArrayList<>(evals.size());
        for (Eval e : evals) {
            requests.add(request(call, e, session));
        }
        List<DecisionResult> results =
                requests.size() == 1 ? List.of(decisions.decide(requests.get(0))) : decisions.decideAll(requests);
        for (int i = 0; i < results.size(); i++) {
            DecisionResult r = results.get(i);
            if (!allowed(r)) {
                Eval e = evals.get(i);
                return denied(
                        call,
                        r,
                        denialReason(
                                r,
                                e.action.path("name").asText(),
                                e.resource.path("id").asText()));
            }
        }
        return new Verdict.Allow(results.get(0).decisionId());
    }

    private boolean allowed(DecisionResult r) {
        return r.allowed() && !(settings.denyOnPolicyErrors() && !r.errors().isEmpty());
    }

    private static String listMethodOf(ListKind k) {
        for (var e : LISTS.entrySet()) {
            if (e.getValue() == k) {
                return e.getKey();
            }
        }
        throw new IllegalStateException();
    }

    /**
     * The declared mapping of the called tool: learnt under the name the client sees (lists the
     * gateway merged) or under upstream and the upstream's own name (lists of one upstream), never
     * under another upstream's tool of the same name.
     */
    private Declared declaredFor(McpCall call, String name) {
        Declared d = declared.get(call.clientName() != null ? call.clientName() : name);
        if (d == null && call.upstream() != null) {
            d = declared.get(call.upstream() + "\u0000" + name);
        }
        return d;
    }

    // ---- mapping resolution ----

    private Map<String, Object> vars(McpCall call) {
        Map<String, Object> token = new LinkedHashMap<>();
        call.identity().claims().forEach((k, v) -> token.put(k, CelExpressions.claimToCel(v)));
        token.putIfAbsent(settings.subjectClaim(), subjectOf(call));
        Map<String, Object> vars = new HashMap<>(4);
        vars.put("params", CelExpressions.toCel(call.params()));
        vars.put("token", token);
        return vars;
    }

    /** The subject-identity claim of the caller's token, else the identity's subject. */
    private String subjectOf(McpCall call) {
        return call.identity().claims().get(settings.subjectClaim()) instanceof String s && !s.isEmpty()
                ? s
                : call.identity().subject();
    }

    /** Resolves a mapping (default or declared) into evaluations, the subject anchored to the token. */
    private List<Eval> resolve(JsonNode template, McpCall call, Map<String, Object> vars, boolean isDefault) {
        if (!template.isObject() || template.size() != 1) {
            throw new MappingException("a mapping must have exactly one of `evaluation` or `evaluations`");
        }
        JsonNode r = cel.resolve(template, vars);
        List<Eval> out = new ArrayList<>();
        if (r.has("evaluation")) {
            JsonNode ev = r.get("evaluation");
            if (!ev.isObject()) {
                throw new MappingException("`evaluation` must be an object");
            }
            ObjectNode subject = anchor(ev.get("subject"), call);
            out.add(eval(call, subject, ev.get("action"), ev.get("resource"), ev.get("context"), "", isDefault));
        } else if (r.has("evaluations")) {
            JsonNode top = r.get("evaluations");
            if (!top.isObject()) {
                throw new MappingException("`evaluations` must be an object with an `evaluations` array");
            }
            ObjectNode subject = anchor(top.get("subject"), call);
            JsonNode items = top.get("evaluations");
            if (items == null || !items.isArray() || items.isEmpty()) {
                throw new MappingException("`evaluations.evaluations` must be a non-empty array");
            }
            for (int i = 0; i < items.size(); i++) {
                JsonNode it = items.get(i);
                String at = "evaluations[" + i + "].";
                if (!it.isObject()) {
                    throw new MappingException("`" + at.substring(0, at.length() - 1) + "` must be an object");
                }
                if (it.has("subject")) {
                    throw new MappingException("`" + at + "subject`: an evaluation may not set its own subject");
                }
                JsonNode action = it.has("action") ? it.get("action") : top.get("action");
                JsonNode resource = it.has("resource") ? it.get("resource") : top.get("resource");
                ObjectNode ctx = JSON.objectNode();
                if (top.get("context") instanceof ObjectNode c) {
                    ctx.setAll(c);
                } else if (top.has("context")) {
                    throw new MappingException("`evaluations.context` must be an object");
                }
                if (it.get("context") instanceof ObjectNode c) {
                    ctx.setAll(c);
                } else if (it.has("context")) {
                    throw new MappingException("`" + at + "context` must be an object");
                }
                out.add(eval(call, subject, action, resource, ctx, at, false));
            }
        } else {
            throw new MappingException("a mapping must have exactly one of `evaluation` or `evaluations`");
        }
        return out;
    }

    /** The subject, its id verified against the subject-identity claim (a mismatch is a mapping error). */
    private ObjectNode anchor(JsonNode subject, McpCall call) {
        String claim = subjectOf(call);
        ObjectNode s;
        if (subject == null || subject.isNull()) {
            s = JSON.objectNode();
        } else if (subject instanceof ObjectNode o) {
            s = o.deepCopy();
        } else {
            throw new MappingException("`subject` must be an object");
        }
        if (!s.has("type") || s.get("type").isNull()) {
            s.put("type", "identity");
        }
        if (!s.has("id") || s.get("id").isNull()) {
            s.put("id", claim);
        }
        JsonNode id = s.get("id");
        if (!id.isTextual() || !id.asText().equals(claim)) {
            throw new MappingException("subject.id " + id + " is not the token's `" + settings.subjectClaim() + "`");
        }
        if (!s.get("type").isTextual() || s.get("type").asText().isEmpty()) {
            throw new MappingException("`subject.type` must be a non-empty string");
        }
        return s;
    }

    private Eval eval(
            McpCall call,
            ObjectNode subject,
            JsonNode action,
            JsonNode resource,
            JsonNode context,
            String at,
            boolean isDefault) {
        if (!(action instanceof ObjectNode a)
                || !a.path("name").isTextual()
                || a.get("name").asText().isEmpty()) {
            throw new MappingException("`" + at + "action.name` is missing or not a string");
        }
        if (!(resource instanceof ObjectNode res)) {
            throw new MappingException("`" + at + "resource` is missing or not an object");
        }
        ObjectNode rcopy = res.deepCopy();
        for (String f : List.of("type", "id")) {
            JsonNode v = rcopy.get(f);
            if (v != null && v.isTextual() && v.asText().equals(DefaultMappings.SERVER_ID)) {
                rcopy.put(f, serverId(call));
                v = rcopy.get(f);
            }
            if (v != null && v.isNumber()) {
                rcopy.put(f, v.asText());
                v = rcopy.get(f);
            }
            if (v == null || !v.isTextual() || (f.equals("type") && v.asText().isEmpty())) {
                throw new MappingException("`" + at + "resource." + f + "` is missing or not a string");
            }
        }
        ObjectNode ctx;
        if (context == null || context.isNull()) {
            ctx = JSON.objectNode();
        } else if (context instanceof ObjectNode c) {
            ctx = c.deepCopy();
        } else {
            throw new MappingException("`" + at + "context` must be an object");
        }
        List<Entity> facts = new ArrayList<>(1);
        if (isDefault && call.upstream() != null && !rcopy.get("type").asText().equals("mcp_server")) {
            EntityUid uid = mapping.entity(rcopy, "resource", true);
            facts.add(new Entity(
                    uid, Map.of(), Set.of(new EntityUid(mapping.entityType("mcp_server"), call.upstream())), Map.of()));
        }
        return new Eval(subject, a.deepCopy(), rcopy, ctx, facts);
    }

    /** The id of this MCP server for server-scoped methods: configured, else the token's audience. */
    private String serverId(McpCall call) {
        if (settings.serverId() != null) {
            return settings.serverId();
        }
        Object aud = call.identity().claims().get("aud");
        if (aud instanceof String s && !s.isEmpty()) {
            return s;
        }
        if (aud instanceof List<?> l) {
            if (l.size() == 1 && l.get(0) instanceof String s) {
                return s;
            }
            throw new MappingException("the token's `aud` names several audiences; set `server_id` to this server's");
        }
        if (aud != null) {
            throw new MappingException("the token's `aud` is not a string");
        }
        return call.upstream() != null ? call.upstream() : "gateway";
    }

    // ---- requests ----

    private DecisionRequest request(McpCall call, Eval e, String session) {
        AuthZenMapping.Evaluation ev = mapping.evaluation(
                e.subject,
                e.action,
                e.resource,
                null,
                "",
                schema.get(),
                KIND,
                call.identity().caller());
        Request base = ev.request().request();
        RecordValue ctx = context(call, e.context);
        DecisionRequest dr = new DecisionRequest(
                new Request(base.principal(), base.action(), base.resource(), ctx),
                ev.request().facts(),
                KIND,
                call.identity().caller(),
                logJson(call, e, session),
                session);
        for (Entity f : e.facts) {
            dr = dr.withFact(f);
        }
        return dr;
    }

    /**
     * The Cedar context: the mapping's (agent, protocol_version, level, declared members) plus the
     * gateway's own {@code method}, {@code upstream}, and for tools/call {@code tool} and {@code
     * arguments}, which a declared mapping cannot replace; {@code session} is Portcullis's.
     */
    private RecordValue context(McpCall call, ObjectNode mapped) {
        Map<String, Value> m =
                new LinkedHashMap<>(JsonCedar.record(mapped, "context").attrs());
        m.remove("session");
        m.put("method", new StringValue(call.method()));
        if (call.upstream() != null) {
            m.put("upstream", new StringValue(call.upstream()));
        } else {
            m.remove("upstream");
        }
        switch (call.method()) {
            case "tools/call" -> {
                m.put("tool", new StringValue(call.params().path("name").asText()));
                m.put("arguments", JsonCedar.record(call.params().get("arguments"), "params.arguments"));
            }
            case "prompts/get" ->
                m.put("arguments", JsonCedar.record(call.params().get("arguments"), "params.arguments"));
            case "resources/read", "resources/subscribe", "resources/unsubscribe" ->
                m.put("uri", new StringValue(call.params().path("uri").asText()));
            default -> {}
        }
        return new RecordValue(m);
    }

    private String logJson(McpCall call, Eval e, String session) {
        ObjectNode root = JSON.objectNode();
        ObjectNode mcp = root.putObject("mcp");
        mcp.put("method", call.method());
        if (call.method().equals("tools/call")) {
            mcp.put("tool", call.params().path("name").asText());
        }
        if (call.clientName() != null) {
            mcp.put("client_name", call.clientName());
        }
        if (call.upstream() != null) {
            mcp.put("upstream", call.upstream());
        }
        if (call.mcpSessionId() != null) {
            mcp.put("mcp_session_id", call.mcpSessionId());
        }
        if (session != null) {
            mcp.put("session_id", session);
        }
        mcp.set("params", redactor.params(call.params()));
        root.set("subject", e.subject);
        root.set("action", e.action);
        root.set("resource", e.resource);
        if (redactor.redactsNames()) {
            ObjectNode ctx = e.context.deepCopy();
            redactor.byName(ctx);
            root.set("context", ctx);
        } else {
            root.set("context", e.context); // only written, not changed: no copy
        }
        try {
            return LOG_JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException("a decision's log record did not serialize", ex);
        }
    }

    /**
     * The subject and context of the default mappings for the caller: the binding's default
     * mappings take both from the token alone (the subject-identity claim, the agent claim), so
     * they are resolved once per identity, not once per call.
     */
    private record Base(ObjectNode subject, ObjectNode context) {}

    /** Identities kept with their resolved {@link Base}; beyond this the cache starts over. */
    private static final int MAX_BASES = 1_024;

    private final Map<McpIdentity, Base> bases = new ConcurrentHashMap<>();

    /** The caller's {@link Base}, as the default mapping of tools/list resolves it (cached). */
    private Base base(McpCall call) {
        Base b = bases.get(call.identity());
        if (b != null) {
            return b;
        }
        Eval list = resolve(defaults.forMethod("tools/list"), call, vars(call), true)
                .get(0);
        b = new Base(list.subject, list.context);
        if (bases.size() >= MAX_BASES) {
            bases.clear();
        }
        bases.put(call.identity(), b);
        return b;
    }

    /** The decision for one item of a list (visibility), outside any session. */
    private DecisionRequest itemRequest(McpCall call, String listMethod, String type, String id, String upstream) {
        Base list = base(call);
        ObjectNode res = JSON.objectNode().put("type", type).put("id", id);
        ObjectNode ctx = list.context; // shared: read, never changed, by what follows
        if (type.equals("resource")) {
            ctx = ctx.deepCopy();
            ctx.put("uri", id); // entity ids are not strings to Cedar: `like` needs the URI as one
        }
        List<Entity> facts = new ArrayList<>(1);
        String up = upstream != null ? upstream : call.upstream();
        if (up != null) {
            facts.add(new Entity(
                    mapping.entity(res, "resource", true),
                    Map.of(),
                    Set.of(new EntityUid(mapping.entityType("mcp_server"), up)),
                    Map.of()));
        }
        McpCall asList = new McpCall(
                listMethod, call.id(), call.params(), up, call.clientName(), call.identity(), call.mcpSessionId());
        return request(
                asList, new Eval(list.subject, JSON.objectNode().put("name", listMethod), res, ctx, facts), null);
    }

    // ---- answers ----

    private Verdict denied(McpCall call, DecisionResult r, String reason) {
        String id = r == null ? null : r.decisionId();
        ObjectNode data = JSON.objectNode();
        if (id != null) {
            data.put("decision_id", id);
        }
        if (call.method().equals("tools/call") && settings.denyAs() == DenyAs.RESULT) {
            ObjectNode answer = JSON.objectNode();
            ObjectNode result = answer.putObject("result");
            result.putArray("content").addObject().put("type", "text").put("text", reason);
            result.put("isError", true);
            if (id != null) {
                result.putObject("_meta").put("dev.portcullis/decision_id", id);
            }
            return new Verdict.Deny(id, answer, reason);
        }
        return new Verdict.Deny(id, error(-32001, reason, data.isEmpty() ? null : data), reason);
    }

    private static String denialReason(DecisionResult r, String action, String resource) {
        if (r.failure() != null) {
            return "Access denied: " + r.failure();
        }
        String failed = "";
        if (!r.errors().isEmpty()) {
            List<String> ids = new ArrayList<>();
            for (AuthorizationError e : r.errors()) {
                ids.add(e.policyId());
            }
            failed = " (policies failed to evaluate: " + String.join(", ", ids) + ")";
        }
        if (r.allowed()) {
            return "Access denied: " + action + " on `" + resource + "`" + failed;
        }
        if (r.reasons().isEmpty()) {
            return "Access denied: no policy permits " + action + " on `" + resource + "`" + failed;
        }
        return "Access denied: " + action + " on `" + resource + "` (policy " + String.join(", ", r.reasons()) + ")"
                + failed;
    }

    static ObjectNode error(int code, String message, ObjectNode data) {
        ObjectNode answer = JSON.objectNode();
        ObjectNode err = answer.putObject("error");
        err.put("code", code);
        err.put("message", message);
        if (data != null) {
            err.set("data", data);
        }
        return answer;
    }

    private static String requiredString(ObjectNode params, String field, String path) {
        JsonNode v = params.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new MappingException("`" + path + "` is missing or not a string");
        }
        return v.asText();
    }

    // ---- lists ----

    @Override
    public ObjectNode filterList(McpCall call, ObjectNode result) {
        ListKind kind = LISTS.get(call.method());
        if (kind == null || result == null) {
            return result;
        }
        JsonNode itemsNode = result.get(kind.array());
        if (!(itemsNode instanceof ArrayNode items)) {
            return result;
        }
        if (kind.array().equals("tools")) {
            learn(call, items);
        }
        try {
            List<DecisionRequest> requests = new ArrayList<>(items.size());
            List<JsonNode> kept = new ArrayList<>(items.size());
            for (JsonNode item : items) {
                JsonNode idNode = item.get(kind.idField());
                if (idNode == null || !idNode.isTextual()) {
                    continue; // nothing to decide on: not shown
                }
                String id =
                        kind.idField().equals("name") ? unprefix(idNode.asText(), call.upstream()) : idNode.asText();
                requests.add(itemRequest(call, call.method(), kind.type(), id, call.upstream()));
                kept.add(item);
            }
            List<DecisionResult> results = requests.isEmpty() ? List.of() : decisions.decideAll(requests);
            ArrayNode visible = JSON.arrayNode();
            for (int i = 0; i < results.size(); i++) {
                if (allowed(results.get(i))) {
                    visible.add(kept.get(i));
                }
            }
            result.set(kind.array(), visible);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "filtering " + call.method() + " failed closed: nothing shown", e);
            result.set(kind.array(), JSON.arrayNode());
        }
        return result;
    }

    /**
     * The upstream's own name of a listed item: the client sees it prefixed with the upstream's
     * name and a separator.
     */
    static String unprefix(String name, String upstream) {
        if (upstream == null || !name.startsWith(upstream) || name.length() <= upstream.length()) {
            return name;
        }
        int i = upstream.length();
        int j = i;
        while (j < name.length() && j - i < 3 && !Character.isLetterOrDigit(name.charAt(j))) {
            j++;
        }
        return j > i && j < name.length() ? name.substring(j) : name;
    }

    /** Learns the declared mappings ({@code inputSchema.x-authzen-mapping}) of listed tools. */
    private void learn(McpCall call, ArrayNode tools) {
        if (!settings.declaredMappings()) {
            return;
        }
        for (JsonNode tool : tools) {
            JsonNode name = tool.get("name");
            if (name == null || !name.isTextual()) {
                continue;
            }
            String key = call.upstream() == null
                    ? name.asText()
                    : call.upstream() + "\u0000" + unprefix(name.asText(), call.upstream());
            JsonNode m = tool.path("inputSchema").get("x-authzen-mapping");
            if (m == null) {
                declared.remove(key);
                continue;
            }
            declared.put(key, check(m));
        }
    }

    private Declared check(JsonNode m) {
        if (!m.isObject() || m.size() != 1 || !(m.has("evaluation") || m.has("evaluations"))) {
            return new Declared(m, "declared mapping must have exactly one of `evaluation` or `evaluations`");
        }
        String err = cel.check(m);
        if (err != null) {
            return new Declared(m, "declared mapping: " + err);
        }
        JsonNode subject = m.has("evaluation")
                ? m.get("evaluation").get("subject")
                : m.get("evaluations").get("subject");
        if (subject != null
                && subject.has("id")
                && !DefaultMappings.isSubjectClaim(subject.get("id"), settings.subjectClaim())) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "a declared mapping sets subject.id from " + subject.get("id")
                            + ", not the subject-identity claim; it must still resolve to the token's subject");
        }
        return new Declared(m, null);
    }
}
