package dev.portcullis.pdp.policy;

import java.util.List;

/**
 * A policy bundle that cannot go live: it does not parse, links templates wrongly, or does not
 * validate against its schema. The store keeps serving the previous snapshot. No stack trace: the
 * problems are user errors, reported as {@code file:line:col: message} lines.
 */
public final class PolicyLoadException extends RuntimeException {
    private final List<PolicyProblem> problems;

    public PolicyLoadException(List<PolicyProblem> problems) {
        super(summary(problems), null, false, false);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a refusal needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public PolicyLoadException(PolicyProblem problem) {
        this(List.of(problem));
    }

    /** Every problem found, in file order. */
    public List<PolicyProblem> problems() {
        return problems;
    }

    private static String summary(List<PolicyProblem> problems) {
        if (problems.isEmpty()) {
            return "policy bundle refused";
        }
        String first = problems.get(0).toString();
        return problems.size() == 1 ? first : first + " (and " + (problems.size() - 1) + " more)";
    }
}
