package dev.portcullis.pdp.session;

import dev.portcullis.cedar.AuthorizationError;
import dev.portcullis.cedar.Authorizer;
import dev.portcullis.cedar.Decision;
import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.Response;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordShape;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.SetValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import dev.portcullis.pdp.DecisionRequest;
import dev.portcullis.pdp.SessionGuard.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The session step of a decision.
 *
 * <pre>
 *   1. the session and every ancestor: active, not expired, tokens unexpired, max_actions not
 *      reached (else: a failure, the decision fails closed with the reason)
 *   2. the request's principal is the session's agent or its user
 *   3. the boundary chain (one Cedar evaluation): a deny names the dimensions that exclude it
 *   4. the policies, once per party (agent, ancestors' agents, user), each with context.session:
 *      all must allow
 *   5. an allow is returned with its commit, which the decision service runs only when the
 *      decision is final (not when the approval step turns it into a deny): under the tree lock,
 *      again every state in the chain (a revocation since step 1 denies), every limit in the
 *      chain, then count the action in the chain and add the resource's labels
 *
 * Reasons are prefixed with the check they come from: boundary:, agent:, parent:, parent2:, ...,
 * user:. A check that denied without a forbid (no permit applied) shows as CHECK:default-deny.
 * </pre>
 */
final class SessionDecider {
    static final String DEFAULT_DENY = "default-deny";

    private final SessionConfig config;
    private final SessionService service;
    private final PerStore<LabelKey, List<String>> labels = new PerStore<>(4096);

    SessionDecider(SessionConfig config, SessionService service) {
        this.config = config;
        this.service = service;
    }

    Outcome decide(DecisionRequest dr, Entities entities, Authorizer policies, Instant at) {
        LiveSession s = service.live(dr.sessionId());
        if (s == null) {
            return Outcome.failed("session `" + dr.sessionId() + "` does not exist");
        }
        // the decision log keeps the chain (s.parents, made once when the session was)
        return decide(s, dr, entities, policies, at).inChain(s.parents);
    }

    private Outcome decide(LiveSession s, DecisionRequest dr, Entities entities, Authorizer policies, Instant at) {
        long now = at.toEpochMilli();
        String problem = s.chainProblem(now);
        if (problem != null) {
            service.expireIfDue(s, at);
            return Outcome.failed(problem);
        }
        Request r = dr.request();
        if (!r.principal().equals(s.agent) && !r.principal().equals(s.onBehalfOf)) {
            return Outcome.failed(
                    "principal " + r.principal() + " is neither the agent nor the user of session `" + s.id + "`");
        }
        Response inside = null;
        if (s.compiled.restricts()) {
            inside = s.compiled.check(r, entities, dr.facts().isEmpty());
            if (!inside.errors().isEmpty()) {
                AuthorizationError e = inside.errors().get(0);
                return Outcome.failed("boundary policy `" + e.policyId() + "` failed: " + e.message());
            }
            if (!inside.isAllowed()) {
                List<String> reasons = new ArrayList<>(2);
                s.compiled.tag(inside, reasons);
                return Outcome.decided(Response.ofReasons(Decision.DENY, reasons, List.of()));
            }
        }
        RecordValue context = withSession(r.context(), s);
        List<LiveSession.Party> parties = s.parties;
        Response[] answers = new Response[parties.size()];
        boolean allowed = true;
        boolean clean = true;
        for (int i = 0; i < answers.length; i++) {
            Response answer = policies.isAuthorized(
                    new Request(parties.get(i).uid(), r.action(), r.resource(), context), entities);
            answers[i] = answer;
            allowed &= answer.isAllowed();
            clean &= answer.errors().isEmpty();
        }
        Response response = allowed && clean ? cleanAllow(s, inside, answers) : tagged(s, inside, answers, allowed);
        if (!allowed) {
            return Outcome.decided(response);
        }
        boolean ownStore = dr.facts().isEmpty();
        return Outcome.allowed(response, () -> count(s, r, entities, ownStore, now));
    }

    /**
     * The decision with every check's reasons prefixed by its label ({@code boundary:}, {@code
     * agent:}, ...) and every policy error by the party it was asked for.
     */
    private static Response tagged(LiveSession s, Response inside, Response[] answers, boolean allowed) {
        List<String> reasons = new ArrayList<>(answers.length + 1);
        if (inside != null) {
            s.compiled.tag(inside, reasons);
        }
        List<AuthorizationError> errors = List.of();
        for (int i = 0; i < answers.length; i++) {
            LiveSession.Party p = s.parties.get(i);
            p.tag(answers[i], reasons);
            if (!answers[i].errors().isEmpty()) {
                errors = errors.isEmpty() ? new ArrayList<>() : errors;
                for (AuthorizationError e : answers[i].errors()) {
                    errors.add(new AuthorizationError(p.label() + ":" + e.policyId(), e.message()));
                }
            }
        }
        return Response.ofReasons(allowed ? Decision.ALLOW : Decision.DENY, reasons, errors);
    }

    /**
     * What a session's last allow without errors was made of: the reasons of the boundary's and of
     * each party's answer, as the checks gave them, and the tagged response built from them.
     */
    record AllowMemo(String[] inside, String[][] answers, Response response) {}

    private static final String[] NONE = new String[0];

    /**
     * An allow without errors: the session's last one when every check gave the same reasons
     * (the same policies allowed decision after decision), else a new one, remembered.
     */
    private static Response cleanAllow(LiveSession s, Response inside, Response[] answers) {
        AllowMemo last = s.lastAllow;
        if (last != null
                && last.answers().length == answers.length
                && (inside == null ? last.inside().length == 0 : sameIds(last.inside(), inside.reasons()))) {
            boolean same = true;
            for (int i = 0; i < answers.length && same; i++) {
                same = sameIds(last.answers()[i], answers[i].reasons());
            }
            if (same) {
                return last.response();
            }
        }
        Response response = tagged(s, inside, answers, true);
        String[][] raw = new String[answers.length][];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = answers[i].reasons().toArray(NONE);
        }
        s.lastAllow = new AllowMemo(inside == null ? NONE : inside.reasons().toArray(NONE), raw, response);
        return response;
    }

    /** Whether {@code ids} are {@code memo}, in the same order. */
    private static boolean sameIds(String[] memo, Set<String> ids) {
        if (memo.length != ids.size()) {
            return false;
        }
        int i = 0;
        for (String id : ids) {
            String m = memo[i++];
            if (m != id && !m.equals(id)) {
                return false;
            }
        }
        return true;
    }

    private static final RecordShape SESSION_ONLY = RecordShape.of("session");

    /**
     * The request's context with {@code session} set (a caller-supplied {@code session} is
     * replaced). With no other context, {@code context.session} is built only if a policy reads it
     * ({@code context has session} does not need it); it changes with every allow, and most
     * decisions' policies never look at it.
     */
    private static RecordValue withSession(RecordValue context, LiveSession s) {
        if (context.attrs().isEmpty()) {
            return SESSION_ONLY.lazyRecord(s.sessionOnlyContext);
        }
        Map<String, Value> m = new HashMap<>(context.attrs());
        m.put("session", s.contextValue());
        return new RecordValue(m);
    }

    /**
     * The last check and the counting of an allow, atomic with respect to revocation: returns why
     * the allow is withdrawn, or {@code null} once it is counted.
     */
    private String count(LiveSession s, Request r, Entities entities, boolean ownStore, long now) {
        List<String> labels;
        LabelMemo memo = s.lastLabels;
        if (ownStore
                && memo != null
                && memo.entities() == entities
                && memo.action().equals(r.action())
                && memo.resource().equals(r.resource())) {
            labels = memo.labels();
        } else {
            labels = labels(r, entities, ownStore);
            if (ownStore) {
                s.lastLabels = new LabelMemo(entities, r.action(), r.resource(), labels);
            }
        }
        if (s.tree.knows(labels)) {
            labels = List.of();
        }
        boolean grew = false;
        synchronized (s.tree.lock) {
            for (LiveSession x = s; x != null; x = x.parent) {
                if (x.state != SessionState.ACTIVE) {
                    return (x == s ? "" : "parent ") + "session `" + x.id + "` was " + x.state.wireName()
                            + " during the decision" + (x.endReason == null ? "" : ": " + x.endReason);
                }
            }
            for (LiveSession x = s; x != null; x = x.parent) {
                String limit = x.limitProblem(r.action(), now);
                if (limit != null) {
                    return x == s ? limit : "parent " + limit;
                }
            }
            for (LiveSession x = s; x != null; x = x.parent) {
                x.count(r.action(), r.resource(), now, config.historySize());
                service.markDirty(x);
            }
            if (!labels.isEmpty()) {
                grew = s.tree.addLabels(labels);
            }
        }
        if (grew) {
            service.labelsGrew();
        }
        return null;
    }

    private record LabelKey(EntityUid action, EntityUid resource) {}

    /** A session's last labels lookup: agents often repeat an action on the same resource. */
    record LabelMemo(Entities entities, EntityUid action, EntityUid resource, List<String> labels) {}

    /**
     * The labels the resource carries, if the action carries them into the session; remembered per
     * entity store ({@code ownStore}: the request brought no facts of its own).
     */
    private List<String> labels(Request r, Entities entities, boolean ownStore) {
        if (config.labelActions().isEmpty()) {
            return List.of();
        }
        if (!ownStore) {
            return findLabels(r, entities);
        }
        LabelKey key = new LabelKey(r.action(), r.resource());
        List<String> found = labels.get(entities, key);
        if (found == null) {
            found = findLabels(r, entities);
            labels.put(entities, key, found);
        }
        return found;
    }

    private List<String> findLabels(Request r, Entities entities) {
        if (!propagates(r.action(), entities)) {
            return List.of();
        }
        Entity resource = entities.get(r.resource());
        if (resource == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>(2);
        for (String attr : config.labelAttributes()) {
            switch (resource.attrs().get(attr)) {
                case StringValue v -> out.add(v.value());
                case SetValue set -> {
                    for (Value v : set.elements()) {
                        if (v instanceof StringValue sv) {
                            out.add(sv.value());
                        }
                    }
                }
                case null, default -> {
                    // not a label: only strings and sets of strings are
                }
            }
        }
        return List.copyOf(out);
    }

    private boolean propagates(EntityUid action, Entities entities) {
        if (config.labelActions().contains(action)) {
            return true;
        }
        for (EntityUid group : config.labelActions()) {
            if (entities.isDescendantOrSelf(action, group)) {
                return true;
            }
        }
        return false;
    }
}
