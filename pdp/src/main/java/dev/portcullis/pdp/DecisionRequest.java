package dev.portcullis.pdp;

import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an enforcement point asks: the Cedar request, plus facts the caller knows about entities
 * (e.g. AuthZEN {@code properties} of the subject and resource), plus who asked, for the log.
 *
 * <p>A fact is merged into the store's entity with the same uid for this decision only: its
 * attributes and tags override or extend the stored ones, its parents are added to the stored
 * parents (so a fact can never remove a stored group membership). An entity the store does not
 * know is taken as given.
 *
 * @param request principal, action, resource and context
 * @param facts request-supplied entity data, at most one per uid
 * @param kind what kind of call, for the log: {@code evaluation}, {@code evaluations}, ...
 * @param caller the authenticated caller, for the log ({@code anonymous} when unknown)
 * @param requestJson the request as the caller sent it, for the log; {@code null}: rendered from
 *     {@code request} and {@code facts}
 * @param sessionId the agent session the request is made in, or {@code null} for none; a named
 *     session is checked before the policies (see {@link SessionGuard}) and its facts become
 *     {@code context.session}
 */
public record DecisionRequest(
        Request request, List<Entity> facts, String kind, String caller, String requestJson, String sessionId) {
    public DecisionRequest {
        Objects.requireNonNull(request, "request");
        facts = List.copyOf(facts);
        kind = kind == null ? "evaluation" : kind;
        caller = caller == null ? "anonymous" : caller;
    }

    /** A request outside any session. */
    public DecisionRequest(Request request, List<Entity> facts, String kind, String caller, String requestJson) {
        this(request, facts, kind, caller, requestJson, null);
    }

    public static DecisionRequest of(Request request) {
        return new DecisionRequest(request, List.of(), "evaluation", "anonymous", null);
    }

    public static DecisionRequest of(EntityUid principal, EntityUid action, EntityUid resource, RecordValue context) {
        return of(new Request(principal, action, resource, context));
    }

    /** This request with one more fact; a second fact for the same uid is merged into the first. */
    public DecisionRequest withFact(Entity fact) {
        List<Entity> more = new ArrayList<>(facts.size() + 1);
        boolean merged = false;
        for (Entity f : facts) {
            if (f.uid().equals(fact.uid())) {
                more.add(Facts.merge(f, fact));
                merged = true;
            } else {
                more.add(f);
            }
        }
        if (!merged) {
            more.add(fact);
        }
        return new DecisionRequest(request, more, kind, caller, requestJson, sessionId);
    }

    /** This request with attributes of {@code uid} given by the caller (AuthZEN {@code properties}). */
    public DecisionRequest withProperties(EntityUid uid, Map<String, Value> properties) {
        return properties.isEmpty() ? this : withFact(new Entity(uid, properties, Set.of(), Map.of()));
    }

    public DecisionRequest withCaller(String caller) {
        return new DecisionRequest(request, facts, kind, caller, requestJson, sessionId);
    }

    public DecisionRequest withKind(String kind) {
        return new DecisionRequest(request, facts, kind, caller, requestJson, sessionId);
    }

    public DecisionRequest withRequestJson(String json) {
        return new DecisionRequest(request, facts, kind, caller, json, sessionId);
    }

    /** This request made in session {@code sessionId} ({@code null}: outside any session). */
    public DecisionRequest withSessionId(String sessionId) {
        return new DecisionRequest(request, facts, kind, caller, requestJson, sessionId);
    }
}
