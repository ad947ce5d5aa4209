package dev.portcullis.cedar;

import dev.portcullis.cedar.ast.Effect;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.eval.EvaluationException;
import dev.portcullis.cedar.eval.Evaluator;
import java.util.ArrayList;
import java.util.Arrays;
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
        int[] candidates = index.candidates(request, entities);
        // Lazily allocated: most decisions have one reason and no error.
        String[] permits = null;
        int permitCount = 0;
        String[] forbids = null;
        int forbidCount = 0;
        List<AuthorizationError> errors = null;
        for (int candidate : candidates) {
            Policy p = policies[candidate];
            boolean satisfied;
            try {
                satisfied = evaluator.isSatisfied(p, index.proven(candidate));
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
                forbids = append(forbids, forbidCount++, p.id());
            } else if (forbids == null) {
                // once a forbid is satisfied the permits no longer matter
                permits = append(permits, permitCount++, p.id());
            }
        }
        List<AuthorizationError> errs = errors == null ? List.of() : errors;
        if (forbids != null) {
            return new Response(Decision.DENY, new PolicyIds(forbids, forbidCount), errs);
        }
        if (permits != null) {
            return new Response(Decision.ALLOW, new PolicyIds(permits, permitCount), errs);
        }
        return new Response(Decision.DENY, Set.of(), errs);
    }

    /** {@code ids} (null when empty) with {@code id} stored at {@code count}, grown as needed. */
    private static String[] append(String[] ids, int count, String id) {
        if (ids == null) {
            ids = new String[4];
        } else if (count == ids.length) {
            ids = Arrays.copyOf(ids, 2 * count);
        }
        ids[count] = id;
        return ids;
    }
}
