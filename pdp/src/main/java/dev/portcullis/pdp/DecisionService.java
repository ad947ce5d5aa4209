package dev.portcullis.pdp;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.cedar.AuthorizationError;
import dev.portcullis.cedar.Decision;
import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.Response;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.json.ValueJson;
import dev.portcullis.cedar.schema.ConformanceException;
import dev.portcullis.cedar.schema.EntityValidator;
import dev.portcullis.cedar.schema.RequestValidator;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.pdp.approval.ApprovalService;
import dev.portcullis.pdp.entity.EntityProvider;
import dev.portcullis.pdp.log.DecisionLog;
import dev.portcullis.pdp.log.DecisionRecord;
import dev.portcullis.pdp.policy.PolicySnapshot;
import dev.portcullis.pdp.policy.PolicyStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The one decision path every enforcement point calls: the current policy snapshot and entity
 * data, the request's own entity facts overlaid on them, Cedar, a decision id, the decision log.
 *
 * <p><b>Fail closed.</b> Whatever goes wrong on the way (no policy set loaded, the entity provider
 * throws, a request that does not conform to the schema, a crash in evaluation, a decision log
 * that cannot record) yields a deny whose {@link DecisionResult#failure()} says why. A decision is
 * only an allow if it was made by the policies <em>and</em> recorded in the log.
 *
 * <p><b>Approvals.</b> An allow by a permit annotated {@code @approval("required")} then passes the
 * {@link ApprovalStep}: it needs a human's approval of exactly this request.
 *
 * <p><b>Sessions.</b> A request that names a session goes to the {@link SessionGuard} instead of
 * straight to Cedar; its allow is counted in the session ({@link SessionGuard.Commit}) only once it
 * is final, after the approval step, and just before the decision is logged.
 *
 * <p>Thread-safe and without locks: it reads one volatile snapshot per decision (per batch) and
 * allocates little beyond what Cedar and the log record need.
 */
public final class DecisionService {
    private final Supplier<PolicySnapshot> policies;
    private final EntityProvider entities;
    private final DecisionLog log;
    private final Clock clock;
    private final SessionGuard sessions;
    private final ApprovalStep approvalStep;
    private final LongAdder decisions = new LongAdder();
    private final LongAdder failures = new LongAdder();

    public DecisionService(PolicyStore store, EntityProvider entities, DecisionLog log) {
        this(store::current, entities, log, Clock.systemUTC());
    }

    public DecisionService(Supplier<PolicySnapshot> policies, EntityProvider entities, DecisionLog log, Clock clock) {
        this(policies, entities, log, clock, null, null);
    }

    /**
     * A decision service whose permits may ask for human approval through {@code approvals}
     * ({@code null}: none configured, and an allow that needs approval fails closed).
     */
    public DecisionService(
            Supplier<PolicySnapshot> policies,
            EntityProvider entities,
            DecisionLog log,
            Clock clock,
            ApprovalService approvals) {
        this(policies, entities, log, clock, null, approvals);
    }

    /**
     * A decision path with agent sessions: requests that name a session go through {@code sessions}
     * ({@code null}: no sessions configured, and a request naming one is denied).
     */
    public DecisionService(
            Supplier<PolicySnapshot> policies,
            EntityProvider entities,
            DecisionLog log,
            Clock clock,
            SessionGuard sessions) {
        this(policies, entities, log, clock, sessions, null);
    }

    /**
     * The full decision path: sessions ({@code null}: a request naming a session is denied) and
     * approvals ({@code null}: an allow that needs approval fails closed).
     */
    public DecisionService(
            Supplier<PolicySnapshot> policies,
            EntityProvider entities,
            DecisionLog log,
            Clock clock,
            SessionGuard sessions,
            ApprovalService approvals) {
        this.approvalStep = new ApprovalStep(approvals);
        this.policies = Objects.requireNonNull(policies, "policies");
        this.entities = Objects.requireNonNull(entities, "entities");
        this.log = Objects.requireNonNull(log, "log");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sessions = sessions;
    }

    /** Decides one request. Never throws for a bad request or a failing dependency: it denies. */
    public DecisionResult decide(DecisionRequest request) {
        long start = System.nanoTime();
        PolicySnapshot snapshot = policies.get();
        EntityData data = entityData();
        return decide(request, snapshot, data.store(), data.problem(), start);
    }

    /**
     * Decides every request against the same policy snapshot and entity data, so a batch never
     * straddles a reload. Each item gets its own id, log entry and failure handling.
     */
    public List<DecisionResult> decideAll(List<DecisionRequest> requests) {
        long start = System.nanoTime();
        PolicySnapshot snapshot = policies.get();
        EntityData data = entityData();
        List<DecisionResult> out = new ArrayList<>(requests.size());
        for (DecisionRequest r : requests) {
            out.add(decide(r, snapshot, data.store(), data.problem(), start));
            start = System.nanoTime();
        }
        return out;
    }

    /** The entity store, or why there is none (a failing provider makes every decision a deny). */
    private record EntityData(Entities store, String problem) {}

    private EntityData entityData() {
        try {
            Entities store = entities.current();
            return store == null
                    ? new EntityData(null, "entity store unavailable: no entity data")
                    : new EntityData(store, null);
        } catch (RuntimeException e) {
            return new EntityData(null, "entity store unavailable: " + describe(e));
        }
    }

    private DecisionResult decide(
            DecisionRequest dr, PolicySnapshot snapshot, Entities store, String storeProblem, long start) {
        decisions.increment();
        String version = snapshot == null ? null : snapshot.version();
        Response response = null;
        String failure;
        SessionGuard.Commit commit = null;
        List<String> sessionParents = List.of();
        Instant now = clock.instant();
        if (snapshot == null) {
            failure = "no policy set is loaded";
        } else if (storeProblem != null) {
            failure = storeProblem;
        } else {
            try {
                failure = checkAgainstSchema(dr, snapshot, store);
                if (failure == null) {
                    Entities view = Facts.apply(store, dr.facts());
                    if (dr.sessionId() == null) {
                        response = snapshot.authorizer().isAuthorized(dr.request(), view);
                    } else {
                        SessionGuard.Outcome outcome = sessionStep(dr, snapshot, view, now);
                        response = outcome.response();
                        failure = outcome.failure();
                        commit = outcome.commit();
                        sessionParents = outcome.sessionParents();
                    }
                }
            } catch (RuntimeException | StackOverflowError e) {
                failure = "evaluation failed: " + describe(e);
                response = null;
                commit = null;
            }
        }
        boolean allowed = failure == null && response.decision() == Decision.ALLOW;
        List<String> reasons = response == null ? List.of() : List.copyOf(response.reasons());
        List<AuthorizationError> errors = response == null ? List.of() : response.errors();
        String id = DecisionIds.next(now.toEpochMilli());
        List<Obligation> obligations = List.of();
        if (allowed) {
            ApprovalStep.Outcome approval = approvalStep.apply(dr, snapshot.policySet(), reasons, id);
            if (approval != null) {
                allowed = approval.allowed();
                reasons = approval.reasons();
                obligations = approval.obligations();
                failure = approval.failure();
            }
        }
        if (allowed && commit != null) {
            // only a final allow is counted in its session: not one the approval step turned down
            String withdrawn;
            try {
                withdrawn = commit.apply();
            } catch (RuntimeException e) {
                withdrawn = "session step failed: " + describe(e);
            }
            if (withdrawn != null) {
                allowed = false;
                failure = withdrawn;
            }
        }
        long latencyMicros = (System.nanoTime() - start) / 1000;

        try {
            log.append(record(
                    dr,
                    store,
                    id,
                    now,
                    allowed,
                    reasons,
                    obligations,
                    errors,
                    failure,
                    version,
                    latencyMicros,
                    sessionParents));
        } catch (RuntimeException e) {
            // an unrecorded allow is not an allow
            allowed = false;
            failure = (failure == null ? "" : failure + "; ") + "decision log unavailable: " + describe(e);
        }
        if (failure != null) {
            failures.increment();
        }
        return new DecisionResult(id, allowed, reasons, errors, version, latencyMicros, failure, obligations);
    }

    /**
     * A request in a session: the guard checks the session and its boundary and asks the policies
     * for each principal the session acts for; without a guard the request is denied.
     */
    private SessionGuard.Outcome sessionStep(DecisionRequest dr, PolicySnapshot snapshot, Entities view, Instant now) {
        if (sessions == null) {
            return SessionGuard.Outcome.failed(
                    "request names session `" + dr.sessionId() + "`, but sessions are not configured");
        }
        return sessions.decide(dr, view, snapshot.authorizer(), now);
    }

    // With a schema, Cedar's request validation and the conformance of the request's facts: a
    // request the schema does not allow is denied before any policy sees it.
    private static String checkAgainstSchema(DecisionRequest dr, PolicySnapshot snapshot, Entities store) {
        RequestValidator rv = snapshot.requestValidatorOrNull();
        if (rv == null) {
            return null;
        }
        String problem = rv.problem(dr.request());
        if (problem != null) {
            return "invalid request: " + problem;
        }
        if (!dr.facts().isEmpty()) {
            EntityValidator ev = snapshot.entityValidatorOrNull();
            for (Entity f : dr.facts()) {
                Entity stored = store.get(f.uid());
                try {
                    ev.validate(stored == null ? f : Facts.merge(stored, f));
                } catch (ConformanceException e) {
                    return "invalid request: " + e.getMessage();
                }
            }
        }
        return null;
    }

    private static DecisionRecord record(
            DecisionRequest dr,
            Entities store,
            String id,
            Instant now,
            boolean allowed,
            List<String> reasons,
            List<Obligation> obligations,
            List<AuthorizationError> errors,
            String failure,
            String version,
            long latencyMicros,
            List<String> sessionParents) {
        List<String> errs;
        if (errors.isEmpty() && failure == null) {
            errs = List.of();
        } else {
            errs = new ArrayList<>(errors.size() + 1);
            for (AuthorizationError e : errors) {
                errs.add(e.policyId() + ": " + e.message());
            }
            if (failure != null) {
                errs.add("fail-closed: " + failure);
            }
        }
        if (!obligations.isEmpty()) {
            // the log has no obligations column: each is one more reason, `obligation:NAME {JSON}`
            List<String> withObligations = new ArrayList<>(reasons);
            for (Obligation o : obligations) {
                ObjectNode attrs = JsonNodeFactory.instance.objectNode();
                o.attributes().forEach(attrs::put);
                withObligations.add("obligation:" + o.name() + " " + attrs);
            }
            reasons = withObligations;
        }
        Request r = dr.request();
        String json = dr.requestJson() != null ? dr.requestJson() : renderJson(dr);
        return new DecisionRecord(
                id,
                now,
                dr.kind(),
                dr.caller(),
                text(r.principal(), store),
                r.action().toString(),
                text(r.resource(), store),
                json,
                allowed,
                reasons,
                errs,
                version == null ? "" : version,
                latencyMicros,
                dr.sessionId(),
                sessionParents);
    }

    /**
     * The uid as text ({@code Type::"id"}), through the store's own uid when the store knows the
     * entity: that one keeps its text, so the entities decided on again and again are not
     * written anew for every decision ({@code store} may be {@code null}).
     */
    private static String text(EntityUid uid, Entities store) {
        Entity known = store == null ? null : store.get(uid);
        return (known == null ? uid : known.uid()).toString();
    }

    /**
     * The request as Cedar JSON: principal, action, resource, context and the request's entity
     * facts. Written by hand for the common parts: it runs on every decision whose caller did not
     * supply the JSON, and a Jackson tree costs several times more.
     */
    static String renderJson(DecisionRequest dr) {
        Request r = dr.request();
        StringBuilder sb = new StringBuilder(160);
        sb.append("{\"principal\":");
        uid(sb, r.principal());
        sb.append(",\"action\":");
        uid(sb, r.action());
        sb.append(",\"resource\":");
        uid(sb, r.resource());
        sb.append(",\"context\":");
        sb.append(
                r.context().attrs().isEmpty()
                        ? "{}"
                        : ValueJson.toJson(r.context()).toString());
        if (!dr.facts().isEmpty()) {
            ArrayNode facts = JsonNodeFactory.instance.arrayNode();
            for (Entity e : dr.facts()) {
                ObjectNode n = facts.addObject();
                n.set("uid", plainUid(e.uid()));
                n.set("attrs", ValueJson.toJson(new RecordValue(e.attrs())));
                ArrayNode parents = n.putArray("parents");
                for (EntityUid p : e.parents()) {
                    parents.add(plainUid(p));
                }
                if (!e.tags().isEmpty()) {
                    n.set("tags", ValueJson.toJson(new RecordValue(e.tags())));
                }
            }
            sb.append(",\"entities\":").append(facts);
        }
        return sb.append('}').toString();
    }

    private static ObjectNode plainUid(EntityUid uid) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("type", uid.type().name());
        n.put("id", uid.id());
        return n;
    }

    private static void uid(StringBuilder sb, EntityUid uid) {
        sb.append("{\"type\":\"");
        JsonStringEncoder.getInstance().quoteAsString(uid.type().name(), sb);
        sb.append("\",\"id\":\"");
        JsonStringEncoder.getInstance().quoteAsString(uid.id(), sb);
        sb.append("\"}");
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        String what = m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
        return what.replace('\n', ' ');
    }

    /** Decisions made since start. */
    public long decisions() {
        return decisions.sum();
    }

    /** Decisions that failed closed since start. */
    public long failures() {
        return failures.sum();
    }
}
