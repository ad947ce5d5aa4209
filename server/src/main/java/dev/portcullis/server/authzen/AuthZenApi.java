package dev.portcullis.server.authzen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.cedar.AuthorizationError;
import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.ast.ActionConstraint;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.schema.ActionDecl;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.pdp.DecisionRequest;
import dev.portcullis.pdp.DecisionResult;
import dev.portcullis.pdp.DecisionService;
import dev.portcullis.pdp.Obligation;
import dev.portcullis.pdp.authzen.AuthZenMapping;
import dev.portcullis.pdp.authzen.AuthZenMapping.Evaluation;
import dev.portcullis.pdp.authzen.BadRequestException;
import dev.portcullis.pdp.entity.EntityProvider;
import dev.portcullis.pdp.policy.PolicySnapshot;
import dev.portcullis.server.session.SessionGate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The AuthZEN Authorization API 1.0 over the decision service, without HTTP: JSON in, JSON out,
 * {@link BadRequestException} for what HTTP answers with 400. Every decision (each batch item, each
 * search candidate) goes through {@link DecisionService}, so it is logged.
 *
 * <p>Search enumerates candidates from the entity store (entities of the mapped type; for actions,
 * the action entities, the schema's actions and the actions the policies name), decides each and
 * returns the allowed ones in id order, paged with an opaque {@code page.next_token} (an offset
 * into that order) and {@code page.limit} (default 100, at most 1000).
 */
public final class AuthZenApi {
    public static final int DEFAULT_PAGE = 100;
    public static final int MAX_PAGE = 1000;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final DecisionService service;
    private final Supplier<PolicySnapshot> policies;
    private final EntityProvider entities;
    private final AuthZenMapping mapping;
    private final boolean responseContext;
    private final Consumer<DecisionResult> observer;
    private final SessionGate sessions;

    public AuthZenApi(
            DecisionService service,
            Supplier<PolicySnapshot> policies,
            EntityProvider entities,
            AuthZenMapping mapping,
            boolean responseContext,
            Consumer<DecisionResult> observer) {
        this(service, policies, entities, mapping, responseContext, observer, SessionGate.disabled());
    }

    /**
     * With agent sessions: an evaluation names its session by token ({@code X-Portcullis-Session}
     * or {@code context.session_token}), which {@code sessions} turns into the session id.
     */
    public AuthZenApi(
            DecisionService service,
            Supplier<PolicySnapshot> policies,
            EntityProvider entities,
            AuthZenMapping mapping,
            boolean responseContext,
            Consumer<DecisionResult> observer,
            SessionGate sessions) {
        this.sessions = Objects.requireNonNull(sessions);
        this.service = Objects.requireNonNull(service);
        this.policies = Objects.requireNonNull(policies);
        this.entities = Objects.requireNonNull(entities);
        this.mapping = Objects.requireNonNull(mapping);
        this.responseContext = responseContext;
        this.observer = observer == null ? r -> {} : observer;
    }

    private Schema schema() {
        PolicySnapshot s = policies.get();
        return s == null ? null : s.schemaOrNull();
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new BadRequestException("the request body must be a json object");
        }
    }

    /** {@code POST /access/v1/evaluation} outside any session header. */
    public ObjectNode evaluation(JsonNode body, String caller) {
        return evaluation(body, caller, null);
    }

    /**
     * {@code POST /access/v1/evaluation}; {@code sessionToken} is the {@code X-Portcullis-Session}
     * header ({@code null}: none), which {@code context.session_token} overrides.
     */
    public ObjectNode evaluation(JsonNode body, String caller, String sessionToken) {
        return evaluation(body, null, caller, sessionToken);
    }

    /**
     * {@code POST /access/v1/evaluation} as {@link #evaluation(JsonNode, String, String)}, with
     * the body's bytes as received ({@code received}, UTF-8; {@code null}: none): the log keeps
     * them as the request ({@link #loggedBody}) instead of the request rendered as Cedar JSON.
     */
    public ObjectNode evaluation(JsonNode body, byte[] received, String caller, String sessionToken) {
        Decided d = decideEvaluation(body, received, caller, sessionToken);
        return answer(d.result(), d.explain());
    }

    /**
     * {@link #evaluation(JsonNode, byte[], String, String)}, answered as the JSON bytes to send:
     * the common answers (no explanation, no obligations) without building a tree.
     */
    public byte[] evaluationJson(JsonNode body, byte[] received, String caller, String sessionToken) {
        Decided d = decideEvaluation(body, received, caller, sessionToken);
        DecisionResult r = d.result();
        if (d.explain() || !r.obligations().isEmpty()) {
            return AnswerJson.write(answer(r, d.explain()));
        }
        return responseContext ? AnswerJson.decision(r.allowed(), r.decisionId()) : AnswerJson.decision(r.allowed());
    }

    private record Decided(DecisionResult result, boolean explain) {}

    private Decided decideEvaluation(JsonNode body, byte[] received, String caller, String sessionToken) {
        requireObject(body);
        Evaluation e = mapping.evaluation(
                body.get("subject"),
                body.get("action"),
                body.get("resource"),
                body.get("context"),
                "",
                schema(),
                "evaluation",
                caller);
        DecisionRequest request = placed(e, sessionToken);
        if (received != null) {
            request = request.withRequestJson(loggedBody(body, received));
        }
        return new Decided(decide(request), e.explain());
    }

    /**
     * The evaluation's body for the decision log: the received text, unless it may hold a session
     * token ({@code context.session_token}, a bearer secret that must never reach the log); then
     * the parsed body without it, written anew. "May hold" is judged on the bytes, not the parsed
     * tree: the text contains {@code session_token}, or a backslash (an escape could spell the
     * key), so duplicate keys, which the tree does not show, cannot smuggle a token in either.
     */
    static String loggedBody(JsonNode body, byte[] received) {
        String text = new String(received, StandardCharsets.UTF_8);
        if (!mayHoldSessionToken(text)) {
            return text;
        }
        ObjectNode copy = ((ObjectNode) body).deepCopy();
        if (copy.get("context") instanceof ObjectNode context) {
            context.remove(AuthZenMapping.SESSION_TOKEN);
        }
        return copy.toString();
    }

    /**
     * Whether the body's text contains a backslash or {@code session_token}. Searched in the
     * decoded text rather than the bytes: the same answer (UTF-8 never spells an ASCII character
     * with other bytes, and a body Jackson parsed is valid UTF-8), and the JDK searches strings
     * with vector instructions, several times faster than a loop over the bytes.
     */
    static boolean mayHoldSessionToken(String text) {
        return text.indexOf('\\') >= 0 || text.contains(AuthZenMapping.SESSION_TOKEN);
    }

    /** The evaluation's request, in the session its token names (the context's, else the header's). */
    private DecisionRequest placed(Evaluation e, String header) {
        return sessions.place(e.request(), e.sessionToken() != null ? e.sessionToken() : header);
    }

    /** {@code POST /access/v1/evaluations} outside any session header. */
    public ObjectNode evaluations(JsonNode body, String caller) {
        return evaluations(body, caller, null);
    }

    /**
     * {@code POST /access/v1/evaluations}: defaults at the top level, the three semantics; {@code
     * sessionToken} as for {@link #evaluation(JsonNode, String, String)}, for every item.
     */
    public ObjectNode evaluations(JsonNode body, String caller, String sessionToken) {
        requireObject(body);
        JsonNode items = body.get("evaluations");
        if (items == null || items.isNull() || (items.isArray() && items.isEmpty())) {
            // no batch: the single evaluation, answered as such (the spec's backwards compatibility)
            return evaluation(body, caller, sessionToken);
        }
        if (!items.isArray()) {
            throw new BadRequestException("`evaluations`: expected an array, got " + AuthZenMapping.describe(items));
        }
        String semantic = "execute_all";
        JsonNode options = body.get("options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw new BadRequestException("`options`: expected an object, got " + AuthZenMapping.describe(options));
            }
            JsonNode s = options.get("evaluations_semantic");
            if (s != null && !s.isNull()) {
                semantic = s.asText();
                if (!s.isTextual()
                        || !(semantic.equals("execute_all")
                                || semantic.equals("deny_on_first_deny")
                                || semantic.equals("permit_on_first_permit"))) {
                    throw new BadRequestException("`options.evaluations_semantic`: expected `execute_all`, "
                            + "`deny_on_first_deny` or `permit_on_first_permit`, got " + s);
                }
            }
        }
        Schema schema = schema();
        List<Evaluation> parsed = new ArrayList<>(items.size());
        // an item that cannot be mapped (e.g. no resource anywhere) is that item's error, not the
        // batch's: it is answered `"decision": false` with the message in its context
        List<String> itemErrors = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String p = "evaluations[" + i + "].";
            if (!item.isObject()) {
                throw new BadRequestException(
                        "`evaluations[" + i + "]`: expected an object, got " + AuthZenMapping.describe(item));
            }
            try {
                parsed.add(mapping.evaluation(
                        pick(item, body, "subject"),
                        pick(item, body, "action"),
                        pick(item, body, "resource"),
                        pick(item, body, "context"),
                        p,
                        schema,
                        "evaluations",
                        caller));
                itemErrors.add(null);
            } catch (BadRequestException e) {
                parsed.add(null);
                itemErrors.add(e.getMessage());
            }
        }
        ArrayNode out = F.arrayNode();
        if (semantic.equals("execute_all")) {
            List<DecisionResult> results = service.decideAll(parsed.stream()
                    .filter(Objects::nonNull)
                    .map(e -> placed(e, sessionToken))
                    .toList());
            int next = 0;
            for (int i = 0; i < parsed.size(); i++) {
                if (parsed.get(i) == null) {
                    out.add(itemError(itemErrors.get(i)));
                    continue;
                }
                DecisionResult r = results.get(next++);
                observer.accept(r);
                out.add(answer(r, parsed.get(i).explain()));
            }
        } else {
            boolean stopOn = semantic.equals("permit_on_first_permit");
            for (int i = 0; i < parsed.size(); i++) {
                Evaluation e = parsed.get(i);
                boolean allowed = false;
                if (e == null) {
                    out.add(itemError(itemErrors.get(i)));
                } else {
                    DecisionResult r = decide(placed(e, sessionToken));
                    out.add(answer(r, e.explain()));
                    allowed = r.allowed();
                }
                if (allowed == stopOn) {
                    break;
                }
            }
        }
        ObjectNode res = F.objectNode();
        res.set("evaluations", out);
        return res;
    }

    // an item's own field wins over the top-level default as a whole, except that a subject or
    // resource without `type` or `id` takes them from the default (the certification scenario's
    // reading of the spec, c-3-2-7)
    private static JsonNode pick(JsonNode item, JsonNode body, String field) {
        JsonNode v = item.get(field);
        if (v == null || v.isNull()) {
            return body.get(field);
        }
        JsonNode d = body.get(field);
        if (v instanceof ObjectNode o && d != null && d.isObject() && !field.equals("context")) {
            ObjectNode merged = null;
            for (String key : List.of("type", "id")) {
                if (!o.has(key) && d.has(key)) {
                    merged = merged == null ? o.deepCopy() : merged;
                    merged.set(key, d.get(key));
                }
            }
            return merged == null ? v : merged;
        }
        return v;
    }

    private static ObjectNode itemError(String message) {
        ObjectNode o = F.objectNode();
        o.put("decision", false);
        o.putObject("context").putObject("error").put("status", 400).put("message", message);
        return o;
    }

    private DecisionResult decide(DecisionRequest r) {
        DecisionResult result = service.decide(r);
        observer.accept(result);
        return result;
    }

    private ObjectNode answer(DecisionResult r, boolean explain) {
        ObjectNode o = F.objectNode();
        o.put("decision", r.allowed());
        // obligations are part of the answer, not an explanation: they come whatever was asked
        boolean obligations = !r.obligations().isEmpty();
        if (responseContext || explain || obligations) {
            ObjectNode c = o.putObject("context");
            c.put("decision_id", r.decisionId());
            if (obligations) {
                obligations(r, c);
            }
            if (explain) {
                ArrayNode reasons = c.putArray("reasons");
                r.reasons().forEach(reasons::add);
                ArrayNode errors = c.putArray("errors");
                for (AuthorizationError e : r.errors()) {
                    errors.addObject().put("policy", e.policyId()).put("message", e.message());
                }
                if (r.policyVersion() != null) {
                    c.put("policy_version", r.policyVersion());
                }
                if (r.failedClosed()) {
                    c.putObject("error").put("message", r.failure());
                }
            }
        }
        return o;
    }

    /**
     * The decision's obligations as {@code context.obligations}: {@code [{"id": NAME, ...its
     * attributes}]}. A deny that asks for approval also carries the AuthZEN access-request draft's
     * {@code reason} ({@code approval_required}) and {@code evaluation_id} (the decision id).
     */
    private static void obligations(DecisionResult r, ObjectNode c) {
        ArrayNode list = c.putArray("obligations");
        for (Obligation ob : r.obligations()) {
            ObjectNode n = list.addObject();
            n.put("id", ob.name());
            ob.attributes().forEach(n::put);
        }
        if (!r.allowed() && r.obligation(Obligation.APPROVAL_REQUIRED) != null) {
            c.put("reason", Obligation.APPROVAL_REQUIRED);
            c.put("evaluation_id", r.decisionId());
        }
    }

    /** A search asks who could, not what a session may do now: it takes no session. */
    private static void noSession(Evaluation e) {
        if (e.sessionToken() != null) {
            throw new BadRequestException("a search is not made in an agent session: leave out `context."
                    + AuthZenMapping.SESSION_TOKEN + "` (and the `X-Portcullis-Session` header)");
        }
    }

    /** {@code POST /access/v1/search/subject}. */
    public ObjectNode searchSubject(JsonNode body, String caller) {
        requireObject(body);
        Schema schema = schema();
        EntityUid subjectType = mapping.entity(body.get("subject"), "subject", false);
        Evaluation base = mapping.evaluation(
                withId(body.get("subject"), "subject"),
                body.get("action"),
                body.get("resource"),
                body.get("context"),
                "",
                schema,
                "search",
                caller);
        noSession(base);
        List<EntityUid> candidates = ofType(subjectType.type());
        return search(body, candidates, uid -> retarget(base.request(), uid, null, null), this::entityJson);
    }

    /** A subject or resource as AuthZEN writes it: {@code {"type": .., "id": ..}}. */
    private ObjectNode entityJson(EntityUid uid) {
        ObjectNode n = F.objectNode();
        n.put("type", mapping.authzenType(uid.type()));
        n.put("id", uid.id());
        return n;
    }

    /** {@code POST /access/v1/search/resource}. */
    public ObjectNode searchResource(JsonNode body, String caller) {
        requireObject(body);
        Schema schema = schema();
        EntityUid resourceType = mapping.entity(body.get("resource"), "resource", false);
        Evaluation base = mapping.evaluation(
                body.get("subject"),
                body.get("action"),
                withId(body.get("resource"), "resource"),
                body.get("context"),
                "",
                schema,
                "search",
                caller);
        noSession(base);
        List<EntityUid> candidates = ofType(resourceType.type());
        return search(body, candidates, uid -> retarget(base.request(), null, null, uid), this::entityJson);
    }

    /** {@code POST /access/v1/search/action}. */
    public ObjectNode searchAction(JsonNode body, String caller) {
        requireObject(body);
        Schema schema = schema();
        ObjectNode placeholder = F.objectNode().put("name", "");
        // checks the request's shape (400 when malformed) before any candidate is decided
        Evaluation shape = mapping.evaluation(
                body.get("subject"),
                placeholder,
                body.get("resource"),
                body.get("context"),
                "",
                schema,
                "search",
                caller);
        noSession(shape);
        // each candidate is mapped with its own name, so the context is read with that action's
        // schema type; a context that does not fit an action rules that action out
        return search(
                body,
                actions(schema),
                uid -> {
                    try {
                        return mapping.evaluation(
                                        body.get("subject"),
                                        F.objectNode().put("name", uid.id()),
                                        body.get("resource"),
                                        body.get("context"),
                                        "",
                                        schema,
                                        "search",
                                        caller)
                                .request();
                    } catch (BadRequestException e) {
                        return null;
                    }
                },
                uid -> {
                    ObjectNode n = F.objectNode();
                    n.put("name", uid.id());
                    return n;
                });
    }

    // subject/resource search ignores the id: parse the object as if it had one
    private static JsonNode withId(JsonNode node, String path) {
        if (node instanceof ObjectNode o) {
            ObjectNode c = o.deepCopy();
            c.put("id", "");
            return c;
        }
        return node;
    }

    private static DecisionRequest retarget(
            DecisionRequest base, EntityUid principal, EntityUid action, EntityUid resource) {
        Request r = base.request();
        Request n = new Request(
                principal == null ? r.principal() : principal,
                action == null ? r.action() : action,
                resource == null ? r.resource() : resource,
                r.context());
        // the template's own facts are about its placeholder uid: keep only the others
        EntityUid replaced = principal != null ? r.principal() : resource != null ? r.resource() : null;
        List<Entity> facts =
                base.facts().stream().filter(f -> !f.uid().equals(replaced)).toList();
        return new DecisionRequest(n, facts, base.kind(), base.caller(), null);
    }

    private List<EntityUid> ofType(EntityType type) {
        Entities all = entities.current();
        TreeSet<EntityUid> out = new TreeSet<>(Comparator.comparing(EntityUid::id));
        for (Entity e : all.all()) {
            if (e.uid().type().equals(type)) {
                out.add(e.uid());
            }
        }
        return new ArrayList<>(out);
    }

    private List<EntityUid> actions(Schema schema) {
        EntityType type = mapping.actionType();
        TreeSet<EntityUid> out = new TreeSet<>(Comparator.comparing(EntityUid::id));
        out.addAll(ofType(type));
        if (schema != null) {
            for (ActionDecl a : schema.actions()) {
                if (a.uid().type().equals(type)) {
                    out.add(a.uid());
                }
            }
        }
        PolicySnapshot s = policies.get();
        if (s != null) {
            List<Policy> all = new ArrayList<>(s.policySet().policies());
            all.addAll(s.policySet().templates());
            for (Policy p : all) {
                List<EntityUid> named =
                        switch (p.action()) {
                            case ActionConstraint.Eq eq -> List.of(eq.action());
                            case ActionConstraint.In in -> in.actions();
                            default -> List.of();
                        };
                for (EntityUid u : named) {
                    if (u.type().equals(type)) {
                        out.add(u);
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }

    private ObjectNode search(
            JsonNode body,
            List<EntityUid> candidates,
            java.util.function.Function<EntityUid, DecisionRequest> request,
            java.util.function.Function<EntityUid, ObjectNode> render) {
        int offset = 0;
        int limit = DEFAULT_PAGE;
        JsonNode page = body.get("page");
        if (page != null && !page.isNull()) {
            if (!page.isObject()) {
                throw new BadRequestException("`page`: expected an object, got " + AuthZenMapping.describe(page));
            }
            JsonNode token = page.hasNonNull("token") ? page.get("token") : page.get("next_token");
            String tokenField = page.hasNonNull("token") ? "page.token" : "page.next_token";
            if (token != null && !token.isNull()) {
                if (!token.isTextual()) {
                    throw new BadRequestException(
                            "`" + tokenField + "`: expected a string, got " + AuthZenMapping.describe(token));
                }
                if (!token.asText().isEmpty()) {
                    offset = decodeToken(token.asText(), tokenField);
                }
            }
            JsonNode l = page.get("limit");
            if (l != null && !l.isNull()) {
                if (!l.canConvertToInt() || !l.isIntegralNumber() || l.intValue() < 1 || l.intValue() > MAX_PAGE) {
                    throw new BadRequestException(
                            "`page.limit`: expected an integer between 1 and " + MAX_PAGE + ", got " + l);
                }
                limit = l.intValue();
            }
        }
        ArrayNode results = F.arrayNode();
        int i = Math.min(offset, candidates.size());
        while (i < candidates.size() && results.size() < limit) {
            EntityUid c = candidates.get(i++);
            DecisionRequest dr = request.apply(c);
            if (dr == null) {
                continue;
            }
            // no session: an agent principal is refused when agents must act in sessions
            DecisionResult r = decide(sessions.place(dr, null));
            if (r.allowed()) {
                results.add(render.apply(c));
            }
        }
        ObjectNode out = F.objectNode();
        out.set("results", results);
        ObjectNode p = out.putObject("page");
        p.put("next_token", i < candidates.size() ? encodeToken(i) : "");
        p.put("count", results.size());
        return out;
    }

    private static String encodeToken(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("o" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeToken(String token, String field) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (s.startsWith("o")) {
                int v = Integer.parseInt(s.substring(1));
                if (v >= 0) {
                    return v;
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new BadRequestException("`" + field + "`: not a page token this server issued");
    }

    /** {@code GET /.well-known/authzen-configuration}; {@code base} is e.g. {@code http://127.0.0.1:8180}. */
    public ObjectNode metadata(String base) {
        ObjectNode o = F.objectNode();
        o.put("policy_decision_point", base);
        o.put("issuer", base);
        o.put("access_evaluation_endpoint", base + "/access/v1/evaluation");
        o.put("access_evaluations_endpoint", base + "/access/v1/evaluations");
        o.put("search_subject_endpoint", base + "/access/v1/search/subject");
        o.put("search_resource_endpoint", base + "/access/v1/search/resource");
        o.put("search_action_endpoint", base + "/access/v1/search/action");
        return o;
    }
}
