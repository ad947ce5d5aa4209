package dev.portcullis.pdp.session;

import dev.portcullis.cedar.Authorizer;
import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.Response;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.parser.ParseException;
import dev.portcullis.cedar.parser.PolicyParser;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Strings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A session's boundary, and its ancestors', as one Cedar policy set.
 *
 * <pre>
 * Each restricted dimension of each session in the chain becomes one forbid that names it:
 *
 *   @id("SID/actions")   forbid (principal, action, resource) unless { (action in A1 || action in A2) };
 *   @id("SID/resources") forbid (principal, action, resource) unless { (P1 || P2) };
 *   @id("SID/datasets")  forbid (principal, action, resource)
 *                            unless { !(resource has "dataset") || (resource["dataset"] == "d1") };
 *
 * and the set ends with one permit for the session itself:
 *
 *   @id("SID") permit (principal, action, resource);
 *
 * A request is inside the boundary when the set allows it; a deny's reasons are exactly the
 * dimensions (of this session or of an ancestor) that exclude it. Forbids rather than one big
 * permit, so that the answer explains itself; every ancestor's forbids, so that delegation only
 * narrows whatever the child declared.
 *
 * Resource patterns that match ids with * cannot be written against the uid itself (Cedar has no
 * way to read an entity's id), so the boundary is asked with the context {resource_id: "..."} and
 * such a pattern becomes (resource is T && context.resource_id like "pre*").
 *
 * Answers are remembered
 *   The boundary is fixed when the session starts, and its answer depends only on the request's
 *   principal, action and resource and on the entity data (the dataset attribute, the action and
 *   resource hierarchies): no clock, no session state, no caller context. So the answer for a
 *   (principal, action, resource) is kept while the entity store is the same object, and asked
 *   again when the store is replaced (a reload). A request with its own entity facts is always
 *   evaluated: its view of the entities is its own. At most 256 answers are kept per session.
 * </pre>
 */
final class CompiledBoundary {
    static final CompiledBoundary NONE = new CompiledBoundary("", null, "", false);

    private static final int MAX_ANSWERS = 256;

    private record Key(EntityUid principal, EntityUid action, EntityUid resource) {}

    /** This session's forbids and its ancestors', without the final permit. */
    private final String forbids;

    private final Authorizer authorizer;
    private final String text;
    private final boolean needsResourceId;
    private final Tagger tagger = new Tagger("boundary");
    private final PerStore<Key, Response> answers = new PerStore<>(MAX_ANSWERS);

    private CompiledBoundary(String forbids, Authorizer authorizer, String text, boolean needsResourceId) {
        this.forbids = forbids;
        this.authorizer = authorizer;
        this.text = text;
        this.needsResourceId = needsResourceId;
    }

    /**
     * Compiles {@code own} (the boundary session {@code sessionId} declared) under {@code parent}'s
     * compiled chain. Throws a {@link SessionException} naming the element that is not valid.
     */
    static CompiledBoundary compile(String sessionId, Boundary own, CompiledBoundary parent, String datasetAttribute) {
        StringBuilder mine = new StringBuilder();
        boolean wildcards = parent.needsResourceId;
        if (own.actions() != null) {
            List<String> uids = new ArrayList<>();
            for (int i = 0; i < own.actions().size(); i++) {
                uids.add(Names.action(own.actions().get(i), "boundary.actions[" + i + "]")
                        .toString());
            }
            forbid(
                    mine,
                    sessionId + "/actions",
                    anyOf(uids.stream().map(u -> "action in " + u).toList()));
        }
        if (own.resources() != null) {
            List<String> alternatives = new ArrayList<>();
            for (int i = 0; i < own.resources().size(); i++) {
                String where = "boundary.resources[" + i + "]";
                String condition = resourceCondition(own.resources().get(i), where);
                wildcards |= condition.contains("context.resource_id");
                checkParses(condition, where, own.resources().get(i));
                alternatives.add(condition);
            }
            forbid(mine, sessionId + "/resources", anyOf(alternatives));
        }
        if (own.datasets() != null) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < own.datasets().size(); i++) {
                String d = own.datasets().get(i);
                if (d == null || d.isEmpty()) {
                    throw Names.invalid("boundary.datasets[" + i + "]", "a dataset name is empty");
                }
                names.add(Strings.quote(d));
            }
            String attr = Strings.quote(datasetAttribute);
            List<String> equal =
                    names.stream().map(n -> "resource[" + attr + "] == " + n).toList();
            forbid(mine, sessionId + "/datasets", "!(resource has " + attr + ") || " + anyOf(equal));
        }
        String forbids = mine + parent.forbids;
        if (forbids.isEmpty()) {
            return NONE;
        }
        String text = forbids + "@id(" + Strings.quote(sessionId) + ")\npermit (principal, action, resource);\n";
        PolicySet set;
        try {
            set = PolicySet.parse(text).withIdsFromAnnotations();
        } catch (RuntimeException e) {
            // every element was checked on its own above; this would be a bug in the generator
            throw new SessionException(
                    SessionException.Kind.INVALID_REQUEST, "boundary: cannot be compiled: " + e.getMessage(), e);
        }
        return new CompiledBoundary(forbids, new Authorizer(set), text, wildcards);
    }

    /**
     * A disjunction ({@code false} when empty). Disjunctions rather than set literals ({@code action
     * in [A, B]}, {@code ["x"].contains(...)}): the evaluator builds a set literal anew on every
     * evaluation, and a boundary is evaluated on every decision of its session.
     */
    private static String anyOf(List<String> alternatives) {
        return alternatives.isEmpty() ? "false" : "(" + String.join(" || ", alternatives) + ")";
    }

    private static void forbid(StringBuilder out, String id, String inside) {
        out.append("@id(")
                .append(Strings.quote(id))
                .append(")\nforbid (principal, action, resource) unless { ")
                .append(inside)
                .append(" };\n");
    }

    private static String resourceCondition(String pattern, String where) {
        if (pattern == null || pattern.isBlank()) {
            throw Names.invalid(where, "a resource pattern is empty");
        }
        String p = pattern.strip();
        if (p.equals("*")) {
            return "true";
        }
        String type = p.endsWith("::*") ? p.substring(0, p.length() - 3) : p;
        if (Names.TYPE.matcher(type).matches()) {
            return "resource is " + type;
        }
        EntityUid uid;
        try {
            uid = PolicyParser.parseEntityUid(p);
        } catch (ParseException e) {
            throw Names.invalid(
                    where,
                    "`" + pattern + "` is not a resource pattern (expected `Type::\"id\"`, `Type::\"prefix*\"`,"
                            + " `Type::*` or `*`)");
        }
        if (uid.id().indexOf('*') < 0) {
            return "resource in " + uid;
        }
        return "(resource is " + uid.type().name() + " && context.resource_id like " + likePattern(uid.id()) + ")";
    }

    /** A Cedar pattern literal in which every {@code *} of {@code id} is the wildcard. */
    private static String likePattern(String id) {
        StringBuilder b = new StringBuilder("\"");
        String[] parts = id.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                b.append('*');
            }
            String q = Strings.quote(parts[i]);
            b.append(q, 1, q.length() - 1);
        }
        return b.append('"').toString();
    }

    private static void checkParses(String condition, String where, String pattern) {
        try {
            PolicyParser.parseExpr(condition);
        } catch (ParseException e) {
            throw Names.invalid(where, "`" + pattern + "` is not a resource pattern: " + e.getMessage());
        }
    }

    /** Whether the chain restricts anything at all (else every request is inside). */
    boolean restricts() {
        return authorizer != null;
    }

    /** The Cedar text of the chain (empty when it restricts nothing). */
    String text() {
        return text;
    }

    /** The last answer remembered (see {@link #check}). */
    private volatile Last last;

    /**
     * Asks the boundary about {@code request}: an allow means inside; a deny's reasons are the
     * dimensions that exclude it. Only call when {@link #restricts()}.
     *
     * @param cacheable whether {@code entities} is the shared store (no request facts over it): only
     *     then is the answer remembered, or a remembered one used
     */
    Response check(Request request, Entities entities, boolean cacheable) {
        if (!cacheable) {
            return evaluate(request, entities);
        }
        Last l = last;
        if (l != null
                && l.entities() == entities
                && l.principal().equals(request.principal())
                && l.action().equals(request.action())
                && l.resource().equals(request.resource())) {
            return l.answer();
        }
        Key key = new Key(request.principal(), request.action(), request.resource());
        Response r = answers.get(entities, key);
        if (r == null) {
            r = evaluate(request, entities);
            answers.put(entities, key, r);
        }
        last = new Last(entities, request.principal(), request.action(), request.resource(), r);
        return r;
    }

    /** The last remembered answer: agents often repeat a request. */
    private record Last(
            Entities entities, EntityUid principal, EntityUid action, EntityUid resource, Response answer) {}

    /** Adds the answer's reasons, prefixed {@code boundary:}, to {@code out}. */
    void tag(Response answer, List<String> out) {
        tagger.tag(answer, out);
    }

    private Response evaluate(Request request, Entities entities) {
        RecordValue context = needsResourceId
                ? new RecordValue(
                        Map.of("resource_id", new StringValue(request.resource().id())))
                : RecordValue.EMPTY;
        return authorizer.isAuthorized(
                new Request(request.principal(), request.action(), request.resource(), context), entities);
    }
}
