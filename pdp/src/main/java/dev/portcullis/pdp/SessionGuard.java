package dev.portcullis.pdp;

import dev.portcullis.cedar.Authorizer;
import dev.portcullis.cedar.Decision;
import dev.portcullis.cedar.Response;
import dev.portcullis.cedar.entities.Entities;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The session step of the decision path: {@link DecisionService} hands every request that names a
 * session ({@link DecisionRequest#sessionId()}) to its guard instead of asking Cedar directly. The
 * guard checks that the session is live, that its boundary contains the action, and asks the
 * policies for every principal the session acts for ({@link #decide}); it does not change the
 * session. An allow carries a {@link Commit}: the decision service runs it only once the decision
 * is final (after the approval step), and it is what counts the action and adds the resource's
 * labels, after checking once more that the session is still live and within its limits.
 *
 * <p>Implemented by {@code dev.portcullis.pdp.session.SessionService}; an interface so that the
 * decision path does not depend on how sessions are kept.
 */
public interface SessionGuard {
    /**
     * Decides a request made in a session, without counting it.
     *
     * @param request the request; its {@code sessionId} is not {@code null}
     * @param entities the entity data the request sees (the store with the request's facts)
     * @param policies the current policy set
     * @param now the time of the decision (the decision service reads its clock once per decision)
     * @return the decision; a thrown exception fails the decision closed
     */
    Outcome decide(DecisionRequest request, Entities entities, Authorizer policies, Instant now);

    /** Counts an allowed action in its session, once the allow is final. */
    @FunctionalInterface
    interface Commit {
        /**
         * Checks the session once more (a revocation or a limit reached since {@link #decide}
         * withdraws the allow) and counts the action.
         *
         * @return why the allow is withdrawn (then nothing was counted), or {@code null} once the
         *     action is counted; a thrown exception withdraws the allow too
         */
        String apply();
    }

    /**
     * What the session step decided.
     *
     * @param response the decision and its reasons, or {@code null} when the step failed before
     *     any policy was asked
     * @param failure why the decision failed closed (session missing, revoked, expired, a limit
     *     reached, ...), or {@code null}; a failure is always a deny
     * @param commit for an allow in a session, what counts it once the decision is final; {@code
     *     null} when there is nothing to count
     * @param sessionParents the session's ancestors, its parent first, for the decision log (empty
     *     for a session without parent, or when the session was not found)
     */
    record Outcome(Response response, String failure, Commit commit, List<String> sessionParents) {
        public Outcome {
            if (response == null && failure == null) {
                throw new IllegalArgumentException("an outcome needs a response or a failure");
            }
            sessionParents = sessionParents == null ? List.of() : sessionParents;
        }

        public Outcome(Response response, String failure, Commit commit) {
            this(response, failure, commit, List.of());
        }

        public Outcome(Response response, String failure) {
            this(response, failure, null, List.of());
        }

        /** This outcome of a decision in a session whose ancestors are {@code parents}. */
        public Outcome inChain(List<String> parents) {
            return parents.isEmpty() ? this : new Outcome(response, failure, commit, List.copyOf(parents));
        }

        public static Outcome failed(String failure) {
            return new Outcome(null, Objects.requireNonNull(failure, "failure"), null);
        }

        /** A decision with nothing to count. */
        public static Outcome decided(Response response) {
            return new Outcome(Objects.requireNonNull(response, "response"), null, null);
        }

        /** An allow that {@code commit} counts once it is final. */
        public static Outcome allowed(Response response, Commit commit) {
            return new Outcome(Objects.requireNonNull(response, "response"), null, commit);
        }

        /** A deny by policy with these reasons (not a failure). */
        public static Outcome denied(List<String> reasons) {
            return decided(new Response(Decision.DENY, Set.copyOf(reasons), List.of()));
        }

        public boolean allowed() {
            return failure == null && response.decision() == Decision.ALLOW;
        }
    }
}
