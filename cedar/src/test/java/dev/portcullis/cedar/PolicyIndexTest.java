package dev.portcullis.cedar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.ast.ActionConstraint;
import dev.portcullis.cedar.ast.Condition;
import dev.portcullis.cedar.ast.Effect;
import dev.portcullis.cedar.ast.EntityRef;
import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.Loc;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.ast.ScopeConstraint;
import dev.portcullis.cedar.ast.VarName;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.eval.EvaluationException;
import dev.portcullis.cedar.eval.Evaluator;
import dev.portcullis.cedar.parser.PolicyParser;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The index is only a filter: on random policy sets, hierarchies and requests, every policy whose
 * scope a brute-force check finds satisfied must be a candidate, and the authorizer must answer
 * exactly as a scan of all policies does (decision, reasons and errors, conditions included).
 */
class PolicyIndexTest {
    private static final List<EntityType> TYPES =
            List.of(new EntityType("User"), new EntityType("Group"), new EntityType("NS::Doc"));
    private static final EntityType ACTION = new EntityType("Action");

    @Test
    void candidatesIncludeEverySatisfiedPolicy() {
        // few entities: few buckets, and their unions found again in the cache
        candidatesIncludeEverySatisfiedPolicy(4, 40);
    }

    @Test
    void candidatesIncludeEverySatisfiedPolicy_inALargeIndex() {
        // many entities and policies: many buckets, so cached unions are evicted and made again
        candidatesIncludeEverySatisfiedPolicy(30, 300);
    }

    private void candidatesIncludeEverySatisfiedPolicy(int perType, int maxPolicies) {
        for (int seed = 0; seed < 200; seed++) {
            Random rnd = new Random(seed);
            List<EntityUid> uids = new ArrayList<>();
            for (EntityType t : TYPES) {
                for (int i = 0; i < perType; i++) {
                    uids.add(new EntityUid(t, "e" + i));
                }
            }
            List<EntityUid> actions = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                actions.add(new EntityUid(ACTION, "a" + i));
            }
            Entities entities = randomHierarchy(rnd, uids, actions);
            List<Policy> policies = new ArrayList<>();
            int n = 1 + rnd.nextInt(maxPolicies);
            for (int i = 0; i < n; i++) {
                policies.add(randomPolicy(rnd, "p" + i, uids, actions));
            }
            PolicyIndex index = new PolicyIndex(policies);
            Authorizer authorizer = new Authorizer(PolicySet.of(policies));
            for (int r = 0; r < 50; r++) {
                // include entities that are not in the store (no ancestors) now and then
                EntityUid principal = rnd.nextInt(10) == 0 ? EntityUid.of("User", "ghost") : pick(rnd, uids);
                EntityUid resource = pick(rnd, uids);
                Request request = new Request(principal, pick(rnd, actions), resource, RecordValue.EMPTY);
                Set<Integer> candidates = new HashSet<>();
                int[] c = index.candidates(request, entities);
                int previous = -1;
                for (int i = 0; i < c.length; i++) {
                    assertThat(c[i]).as("candidates ascending, no duplicates").isGreaterThan(previous);
                    previous = c[i];
                    candidates.add(c[i]);
                    VarName proven = index.proven(c[i]);
                    if (proven != null) {
                        assertThat(componentSatisfied(policies.get(c[i]), proven, request, entities))
                                .as("seed %d: being a candidate proves the %s of %s", seed, proven, policies.get(c[i]))
                                .isTrue();
                    }
                }
                for (int i = 0; i < policies.size(); i++) {
                    if (scopeSatisfied(policies.get(i), request, entities)) {
                        assertThat(candidates)
                                .as("seed %d: %s must be a candidate for %s", seed, policies.get(i), request)
                                .contains(i);
                    }
                }
                assertThat(authorizer.isAuthorized(request, entities))
                        .as("seed %d, request %s", seed, request)
                        .isEqualTo(bruteForce(policies, request, entities));
            }
        }
    }

    @Test
    void unrelatedPoliciesAreNotCandidates() {
        List<Policy> policies = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            policies.add(policy(
                    "p" + i,
                    new ScopeConstraint.Eq(EntityRef.of(EntityUid.of("User", "u" + i))),
                    ActionConstraint.ANY,
                    ScopeConstraint.ANY));
        }
        policies.add(policy("open", ScopeConstraint.ANY, ActionConstraint.ANY, ScopeConstraint.ANY));
        PolicyIndex index = new PolicyIndex(policies);
        Request request = new Request(
                EntityUid.of("User", "u7"), EntityUid.of("Action", "a"), EntityUid.of("Doc", "d"), RecordValue.EMPTY);
        int[] c = index.candidates(request, Entities.EMPTY);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < c.length; i++) {
            ids.add(policies.get(c[i]).id());
        }
        assertThat(ids).containsExactly("p7", "open");
    }

    @Test
    void aKeySharedByManyPoliciesIsNotTheOneTheyAreFiledUnder() {
        // every policy names the same principal; the resource tells them apart
        List<Policy> policies = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            policies.add(policy(
                    "p" + i,
                    new ScopeConstraint.Eq(EntityRef.of(EntityUid.of("User", "admin"))),
                    new ActionConstraint.Eq(EntityUid.of("Action", "read")),
                    new ScopeConstraint.Eq(EntityRef.of(EntityUid.of("Doc", "d" + i)))));
        }
        PolicyIndex index = new PolicyIndex(policies);
        Request request = new Request(
                EntityUid.of("User", "admin"),
                EntityUid.of("Action", "read"),
                EntityUid.of("Doc", "d42"),
                RecordValue.EMPTY);
        int[] c = index.candidates(request, Entities.EMPTY);
        assertThat(c.length).isEqualTo(1);
        assertThat(policies.get(c[0]).id()).isEqualTo("p42");
    }

    private static Response bruteForce(List<Policy> policies, Request request, Entities entities) {
        Evaluator ev = new Evaluator(request, entities);
        Set<String> permits = new LinkedHashSet<>();
        Set<String> forbids = new LinkedHashSet<>();
        List<AuthorizationError> errors = new ArrayList<>();
        for (Policy p : policies) {
            try {
                if (ev.isSatisfied(p)) {
                    (p.effect() == Effect.FORBID ? forbids : permits).add(p.id());
                }
            } catch (EvaluationException e) {
                errors.add(new AuthorizationError(p.id(), String.valueOf(e.getMessage())));
            }
        }
        if (!forbids.isEmpty()) {
            return new Response(Decision.DENY, forbids, errors);
        }
        return permits.isEmpty()
                ? new Response(Decision.DENY, Set.of(), errors)
                : new Response(Decision.ALLOW, permits, errors);
    }

    /** Cedar's scope semantics, written out independently of the index and the evaluator. */
    private static boolean scopeSatisfied(Policy p, Request r, Entities e) {
        return componentSatisfied(p, VarName.PRINCIPAL, r, e)
                && componentSatisfied(p, VarName.ACTION, r, e)
                && componentSatisfied(p, VarName.RESOURCE, r, e);
    }

    private static boolean componentSatisfied(Policy p, VarName component, Request r, Entities e) {
        return switch (component) {
            case PRINCIPAL -> scope(p.principal(), r.principal(), e);
            case RESOURCE -> scope(p.resource(), r.resource(), e);
            case ACTION ->
                switch (p.action()) {
                    case ActionConstraint.Any any -> true;
                    case ActionConstraint.Eq eq -> eq.action().equals(r.action());
                    case ActionConstraint.In in ->
                        in.actions().stream()
                                .anyMatch(a -> a.equals(r.action())
                                        || e.ancestors(r.action()).contains(a));
                };
            case CONTEXT -> throw new IllegalArgumentException("not a scope component");
        };
    }

    private static boolean scope(ScopeConstraint c, EntityUid u, Entities e) {
        return switch (c) {
            case ScopeConstraint.Any any -> true;
            case ScopeConstraint.Eq eq -> eq.ref().uid().equals(u);
            case ScopeConstraint.In in ->
                in.ref().uid().equals(u) || e.ancestors(u).contains(in.ref().uid());
            case ScopeConstraint.Is is -> is.type().equals(u.type());
            case ScopeConstraint.IsIn isIn ->
                isIn.type().equals(u.type())
                        && (isIn.ref().uid().equals(u)
                                || e.ancestors(u).contains(isIn.ref().uid()));
        };
    }

    private static Entities randomHierarchy(Random rnd, List<EntityUid> uids, List<EntityUid> actions) {
        List<Entity> list = new ArrayList<>();
        for (List<EntityUid> group : List.of(uids, actions)) {
            // Cedar rejects hierarchies with cycles, so parents come only from later in the list
            for (int j = 0; j < group.size(); j++) {
                EntityUid u = group.get(j);
                Set<EntityUid> parents = new HashSet<>();
                int k = j + 1 < group.size() ? rnd.nextInt(3) : 0;
                for (int i = 0; i < k; i++) {
                    parents.add(group.get(j + 1 + rnd.nextInt(group.size() - j - 1)));
                }
                list.add(new Entity(u, Map.of(), parents, Map.of()));
            }
        }
        return Entities.of(list);
    }

    private static Policy randomPolicy(Random rnd, String id, List<EntityUid> uids, List<EntityUid> actions) {
        ActionConstraint action =
                switch (rnd.nextInt(4)) {
                    case 0 -> ActionConstraint.ANY;
                    case 1 -> new ActionConstraint.Eq(pick(rnd, actions));
                    case 2 -> new ActionConstraint.In(List.of(pick(rnd, actions)), false);
                    default -> {
                        List<EntityUid> list = new ArrayList<>();
                        int k = rnd.nextInt(4); // includes the empty list and repeats
                        for (int i = 0; i < k; i++) {
                            list.add(pick(rnd, actions));
                        }
                        yield new ActionConstraint.In(list, true);
                    }
                };
        Policy p = policy(id, randomScope(rnd, uids), action, randomScope(rnd, uids), rnd.nextInt(4) == 0);
        if (rnd.nextBoolean()) {
            // conditions that hold, fail, depend on the request, or raise an error
            Expr body = PolicyParser.parseExpr(pick(rnd, CONDITIONS));
            p = new Policy(
                    p.id(),
                    p.effect(),
                    p.principal(),
                    p.action(),
                    p.resource(),
                    List.of(new Condition(rnd.nextBoolean(), body, Loc.NONE)),
                    Map.of(),
                    null,
                    Loc.NONE);
        }
        return p;
    }

    private static final List<String> CONDITIONS = List.of(
            "true", "false", "principal in resource", "principal == resource", "1 + true == 2", "context.missing");

    private static ScopeConstraint randomScope(Random rnd, List<EntityUid> uids) {
        return switch (rnd.nextInt(5)) {
            case 0 -> ScopeConstraint.ANY;
            case 1 -> new ScopeConstraint.Eq(EntityRef.of(pick(rnd, uids)));
            case 2 -> new ScopeConstraint.In(EntityRef.of(pick(rnd, uids)));
            case 3 -> new ScopeConstraint.Is(pick(rnd, TYPES));
            default -> new ScopeConstraint.IsIn(pick(rnd, TYPES), EntityRef.of(pick(rnd, uids)));
        };
    }

    private static Policy policy(
            String id, ScopeConstraint principal, ActionConstraint action, ScopeConstraint resource) {
        return policy(id, principal, action, resource, false);
    }

    private static Policy policy(
            String id, ScopeConstraint principal, ActionConstraint action, ScopeConstraint resource, boolean forbid) {
        return new Policy(
                id,
                forbid ? Effect.FORBID : Effect.PERMIT,
                principal,
                action,
                resource,
                List.of(),
                Map.of(),
                null,
                Loc.NONE);
    }

    private static <T> T pick(Random rnd, List<T> list) {
        return list.get(rnd.nextInt(list.size()));
    }
}
