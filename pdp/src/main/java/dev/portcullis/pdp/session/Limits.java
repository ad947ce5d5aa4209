package dev.portcullis.pdp.session;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How much a session may do: at most {@code maxActions} allowed actions in its life, and for each
 * rate limit at most {@code count} allowed actions of one kind in any sliding {@code window}. An
 * action that would exceed a limit is denied, with the limit as the reason. A sub-agent's actions
 * count towards its ancestors' limits too.
 *
 * @param maxActions allowed actions in the session's life, or {@code null} for no cap
 * @param rates per-action rate limits
 */
public record Limits(Long maxActions, List<RateLimit> rates) {
    private static final Limits NONE = new Limits(null, List.of());

    public Limits {
        if (maxActions != null && maxActions < 0) {
            throw invalid("limits.max_actions", "`" + maxActions + "` is negative");
        }
        rates = rates == null ? List.of() : List.copyOf(rates);
    }

    public static Limits none() {
        return NONE;
    }

    public static Limits maxActions(long max) {
        return new Limits(max, List.of());
    }

    public Limits withRate(String action, long count, Duration window) {
        List<RateLimit> more = new java.util.ArrayList<>(rates);
        more.add(new RateLimit(action, count, window));
        return new Limits(maxActions, more);
    }

    /**
     * At most {@code count} allowed {@code action}s in any {@code window}.
     *
     * @param action an action name or uid as in {@link Boundary}, or {@code *} for every action
     * @param count how many
     * @param window the sliding window, positive
     */
    public record RateLimit(String action, long count, Duration window) {
        public RateLimit {
            if (action == null || action.isBlank()) {
                throw invalid("limits.per_action", "a rate limit names no action");
            }
            if (count < 0) {
                throw invalid("limits.per_action", "`" + action + "`: count `" + count + "` is negative");
            }
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.isZero()) {
                throw invalid("limits.per_action", "`" + action + "`: window `" + window + "` is not positive");
            }
            // the sliding log keeps one timestamp per counted action
            if (count > 100_000) {
                throw invalid("limits.per_action", "`" + action + "`: count `" + count + "` is above 100000");
            }
        }
    }

    private static SessionException invalid(String key, String what) {
        return new SessionException(SessionException.Kind.INVALID_REQUEST, key + ": " + what);
    }
}
