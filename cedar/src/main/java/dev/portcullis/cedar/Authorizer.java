package dev.portcullis.cedar;

import dev.portcullis.cedar.ast.Effect;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.eval.EvaluationException;
import dev.portcullis.cedar.eval.Evaluator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides requests against one policy set, with Cedar's semantics: deny unless some permit is
 * satisfied and no forbid is; a policy whose evaluation fails is ignored (and reported).
 *
 * <p>Immutable and thread-safe; build one per policy set and reuse it, since the constructor builds
 * the policy index.
 */
public final class Authorizer {
    private final PolicySet policySet;
    private final PolicyIndex index;

    public Authorizer(PolicySet policySet) {
        this.policySet = Objects.requireNonNull(policySet, "policySet");
        this.index = new PolicyIndex(policySet.policies());
    }

    public PolicySet policySet() {
        return policySet;
    }

    public Response isAuthorized(Request request, Entities entities) {
        Evaluator evaluator = new Evaluator(request, entities);
        Policy[] policies = index.policies();
        PolicyIndex.Candidates candidates = index.candidates(request, entities);
        // Lazily allocated: most decisions have one reason and no error.
        Set<String> permits = null;
        Set<String> forbids = null;
        List<AuthorizationError> errors = null;
        for (int i = 0, n = candidates.size(); i < n; i++) {
            Policy p = policies[candidates.get(i)];
            boolean satisfied;
            try {
                satisfied = evaluator.isSatisfied(p);
            } catch (EvaluationException e) {
                if (errors == null) {
                    errors = new ArrayList<>(2);
                }
                errors.add(new AuthorizationError(p.id(), String.valueOf(e.getMessage())));
                continue;
            }
            if (!satisfied) {
                continue;
            }
            if (p.effect() == Effect.FORBID) {
                forbids = add(forbids, p.id());
            } else if (forbids == null) {
                // once a forbid is satisfied the permits no longer matter
                permits = add(permits, p.id());
            }
        }
        List<AuthorizationError> errs = errors == null ? List.of() : errors;
        if (forbids != null) {
            return new Response(Decision.DENY, forbids, errs);
        }
        if (permits != null) {
            return new Response(Decision.ALLOW, permits, errs);
        }
        return new Response(Decision.DENY, Set.of(), errs);
    }

    private static Set<String> add(Set<String> set, String id) {
        if (set == null) {
            return Set.of(id);
        }
        if (set.size() == 1) {
            Set<String> grown = new LinkedHashSet<>(4);
            grown.addAll(set);
            set = grown;
        }
        set.add(id);
        return set;
    }
}
