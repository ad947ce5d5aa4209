package dev.portcullis.pdp.approval;

import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Human approval of single requests: what the decision path asks when a permit carries {@code
 * @approval("required")} ({@link #check}), and what approvers and the approvals API use ({@link
 * #list}, {@link #get}, {@link #grant}, {@link #deny}). See {@code docs/approvals.md}.
 *
 * <pre>
 * Life of an approval
 *
 *   check() of a request needing approval, none usable  -> PENDING (one per bound request:
 *                                                          asking again returns the same one)
 *   grant() before pendingTtl runs out                  -> GRANTED, good for the grant TTL
 *   deny()                                              -> DENIED; retries of that request are
 *                                                          refused for denialHold without asking
 *   check() of the same request while GRANTED           -> USED by that one decision (an allow)
 *   time runs out while PENDING or GRANTED              -> EXPIRED
 *
 * INVARIANT: a granted approval lets exactly one decision through. Using it is a compare-and-set
 * in the store (GRANTED -> USED while live); of concurrent retries exactly one wins, the others
 * see it USED and are denied.
 * </pre>
 *
 * <p>An approval is bound to the request's {@link ApprovalBinding} (a SHA-256 over principal,
 * action, resource, the relevant context and the request's own entity facts): a retry finds its
 * approval by that hash, or names it in {@code context.approval} (the AuthZEN access-request
 * draft's re-evaluation), in which case the named approval must be bound to the same hash.
 *
 * <p>Thread-safe; the atomicity lives in the store, so several nodes may share one.
 */
public final class ApprovalService {
    private static final int MAX_ATTEMPTS = 8;
    private static final int MAX_TEXT = 4096;
    private static final HexFormat HEX = HexFormat.of();

    /**
     * How approvals behave.
     *
     * @param pendingTtl how long a pending approval waits for a human
     * @param grantTtl how long a grant lasts, unless the policy says otherwise ({@code
     *     @approval_ttl})
     * @param denialHold how long a denial stands: the same request retried within it is refused
     *     without asking a human again
     * @param retention how long approvals are kept after they expire (then purged)
     * @param excludedContext context paths left out of the binding, because they change between a
     *     request and its retry without changing what is asked ({@code time}, session counters)
     */
    public record Options(
            Duration pendingTtl,
            Duration grantTtl,
            Duration denialHold,
            Duration retention,
            List<String> excludedContext) {
        /** The context paths excluded by default: clocks and the session's counters and history. */
        public static final List<String> DEFAULT_EXCLUDED_CONTEXT =
                List.of("time", "now", "session.action_count", "session.action_counts", "session.history");

        public Options {
            positive(pendingTtl, "pendingTtl");
            positive(grantTtl, "grantTtl");
            positive(denialHold, "denialHold");
            Objects.requireNonNull(retention, "retention");
            if (retention.isNegative()) {
                throw invalid("retention", retention);
            }
            excludedContext = List.copyOf(excludedContext);
            for (String path : excludedContext) {
                if (path.isBlank() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
                    throw invalid("excludedContext", path);
                }
            }
        }

        /** 15 minutes to decide, 5 to use a grant, denials stand 15 minutes, kept a day after. */
        public static Options defaults() {
            return new Options(
                    Duration.ofMinutes(15),
                    Duration.ofMinutes(5),
                    Duration.ofMinutes(15),
                    Duration.ofHours(24),
                    DEFAULT_EXCLUDED_CONTEXT);
        }

        public Options withPendingTtl(Duration d) {
            return new Options(d, grantTtl, denialHold, retention, excludedContext);
        }

        public Options withGrantTtl(Duration d) {
            return new Options(pendingTtl, d, denialHold, retention, excludedContext);
        }

        public Options withDenialHold(Duration d) {
            return new Options(pendingTtl, grantTtl, d, retention, excludedContext);
        }

        public Options withRetention(Duration d) {
            return new Options(pendingTtl, grantTtl, denialHold, d, excludedContext);
        }

        public Options withExcludedContext(List<String> paths) {
            return new Options(pendingTtl, grantTtl, denialHold, retention, paths);
        }

        private static void positive(Duration d, String key) {
            Objects.requireNonNull(d, key);
            if (d.isNegative() || d.isZero()) {
                throw invalid(key, d);
            }
        }

        private static ApprovalException invalid(String key, Object value) {
            return new ApprovalException(
                    ApprovalException.Kind.INVALID, "approval option `" + key + "` cannot be `" + value + "`");
        }
    }

    private final ApprovalStore store;
    private final Options options;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong nextPurgeMillis = new AtomicLong();

    public ApprovalService(ApprovalStore store) {
        this(store, Options.defaults(), Clock.systemUTC());
    }

    public ApprovalService(ApprovalStore store, Options options, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Options options() {
        return options;
    }

    /** The binding of {@code request} with its entity {@code facts}, under this service's exclusions. */
    public ApprovalBinding bind(Request request, List<Entity> facts) {
        return ApprovalBinding.of(request, facts, options.excludedContext());
    }

    /**
     * The decision path's question, for a request whose allow needs approval: is there a granted
     * approval for exactly this request (then it is used up, and the request passes), a standing
     * denial, or must a human be asked (then the pending approval is returned)?
     *
     * @param decisionId the decision asking, recorded as the user of a granted approval or as the
     *     origin of a new pending one
     * @throws ApprovalException {@code INVALID} for a malformed {@code context.approval}, {@code
     *     UNAVAILABLE} when the store fails: the caller must deny
     */
    public ApprovalCheck check(Request request, List<Entity> facts, ApprovalRequirement need, String decisionId) {
        Instant now = now();
        ApprovalBinding binding = bind(request, facts);
        String named = namedApproval(request.context());
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (named != null) {
                Optional<Approval> found = store.get(named);
                String why;
                if (found.isEmpty()) {
                    why = "unknown approval";
                } else if (!found.get().bindingHash().equals(binding.hash())) {
                    why = "bound to a different request";
                } else {
                    Approval a = found.get();
                    switch (a.stateAt(now)) {
                        case GRANTED -> {
                            if (use(a, now, decisionId)) {
                                return new ApprovalCheck.Used(a.used(now, decisionId));
                            }
                            continue; // another retry used it first: look again
                        }
                        case DENIED -> {
                            if (a.liveAt(now)) {
                                return new ApprovalCheck.Refused(a);
                            }
                            why = "denied";
                        }
                        case PENDING -> why = "not granted yet";
                        case USED -> why = "already used";
                        case EXPIRED -> why = "expired";
                        default -> throw new IllegalStateException("unknown state " + a.state());
                    }
                }
                return new ApprovalCheck.Required(pending(binding, need, decisionId, now), named, why);
            }
            Approval granted = null;
            Approval denied = null;
            for (Approval a : store.byBinding(binding.hash())) {
                ApprovalState s = a.stateAt(now);
                if (s == ApprovalState.GRANTED && granted == null) {
                    granted = a;
                } else if (s == ApprovalState.DENIED && a.liveAt(now)) {
                    denied = a;
                }
            }
            if (granted != null) {
                if (use(granted, now, decisionId)) {
                    return new ApprovalCheck.Used(granted.used(now, decisionId));
                }
                continue;
            }
            if (denied != null) {
                return new ApprovalCheck.Refused(denied);
            }
            return new ApprovalCheck.Required(pending(binding, need, decisionId, now), null, null);
        }
        // only reachable if the store's compare-and-set fails without the state changing
        throw new ApprovalException(
                ApprovalException.Kind.UNAVAILABLE,
                "approval store did not settle using an approval after " + MAX_ATTEMPTS + " attempts");
    }

    /**
     * Asks for approval of {@code request}: the pending approval for exactly this request, created
     * if there is none (asking twice does not pile up approvals).
     */
    public Approval request(Request request, List<Entity> facts, ApprovalRequirement need, String decisionId) {
        Instant now = now();
        return pending(bind(request, facts), need, decisionId, now).asOf(now);
    }

    private Approval pending(ApprovalBinding binding, ApprovalRequirement need, String decisionId, Instant now) {
        purgeNowAndThen(now);
        Duration grantTtl = need.grantTtl() != null ? need.grantTtl() : options.grantTtl();
        Approval candidate = Approval.pending(
                newId(), binding, need.policies(), decisionId, now, now.plus(options.pendingTtl()), grantTtl);
        return store.insertPending(candidate, now);
    }

    private boolean use(Approval granted, Instant now, String decisionId) {
        return store.transition(granted.used(now, decisionId), ApprovalState.GRANTED, now);
    }

    /** The approval with this id, as it stands now. */
    public Optional<Approval> get(String id) {
        Instant now = now();
        return store.get(id).map(a -> a.asOf(now));
    }

    /** Approvals in {@code state} now (any state when {@code null}), newest first, at most {@code limit}. */
    public List<Approval> list(ApprovalState state, int limit) {
        if (limit < 1) {
            throw new ApprovalException(ApprovalException.Kind.INVALID, "limit must be at least 1, not " + limit);
        }
        Instant now = now();
        return store.list(state, now, limit).stream().map(a -> a.asOf(now)).toList();
    }

    /**
     * Grants the pending approval {@code id}: the request it is bound to may now pass, once, within
     * the approval's grant TTL.
     *
     * @throws ApprovalException {@code NOT_FOUND}, {@code CONFLICT} when it is not pending (granted,
     *     denied, used or expired), {@code INVALID} for a blank approver
     */
    public Approval grant(String id, String approver, String note) {
        return decide(id, ApprovalState.GRANTED, approver, note);
    }

    /**
     * Denies the pending approval {@code id}: the request stays denied, and its retries are refused
     * without a new approval for {@link Options#denialHold()}.
     *
     * @throws ApprovalException as {@link #grant}
     */
    public Approval deny(String id, String approver, String note) {
        return decide(id, ApprovalState.DENIED, approver, note);
    }

    private Approval decide(String id, ApprovalState to, String approver, String note) {
        if (approver == null || approver.isBlank()) {
            throw new ApprovalException(ApprovalException.Kind.INVALID, "an approver is required");
        }
        text("approver", approver);
        if (note != null) {
            text("note", note);
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Instant now = now();
            Approval a = store.get(id)
                    .orElseThrow(
                            () -> new ApprovalException(ApprovalException.Kind.NOT_FOUND, "no approval `" + id + "`"));
            ApprovalState s = a.stateAt(now);
            if (s != ApprovalState.PENDING) {
                throw new ApprovalException(
                        ApprovalException.Kind.CONFLICT, "approval `" + id + "` is " + s.wireName() + ", not pending");
            }
            Instant until = now.plus(to == ApprovalState.GRANTED ? a.grantTtl() : options.denialHold());
            Approval updated = a.decided(to, now, until, approver, note);
            if (store.transition(updated, ApprovalState.PENDING, now)) {
                return updated;
            }
        }
        throw new ApprovalException(
                ApprovalException.Kind.UNAVAILABLE,
                "approval store did not settle deciding `" + id + "` after " + MAX_ATTEMPTS + " attempts");
    }

    /** Deletes approvals that expired more than {@link Options#retention()} ago; returns how many. */
    public int purge() {
        return store.purge(now().minus(options.retention()));
    }

    // Housekeeping rides on creating approvals, at most once a minute: no thread of its own.
    private void purgeNowAndThen(Instant now) {
        long due = nextPurgeMillis.get();
        long t = now.toEpochMilli();
        if (t >= due && nextPurgeMillis.compareAndSet(due, t + 60_000)) {
            store.purge(now.minus(options.retention()));
        }
    }

    /** The approval a retry names in {@code context.approval}: {@code {"id": ".."}} or the id itself. */
    private static String namedApproval(RecordValue context) {
        Value v = context.get(ApprovalBinding.APPROVAL_KEY);
        if (v == null) {
            return null;
        }
        if (v instanceof StringValue s) {
            return s.value();
        }
        if (v instanceof RecordValue r && r.get("id") instanceof StringValue s) {
            return s.value();
        }
        throw new ApprovalException(
                ApprovalException.Kind.INVALID,
                "`context.approval` must be a record with a string `id` (or the id as a string), not " + v.typeName());
    }

    private static void text(String what, String value) {
        if (value.length() > MAX_TEXT) {
            throw new ApprovalException(
                    ApprovalException.Kind.INVALID, what + " is longer than " + MAX_TEXT + " characters");
        }
        if (value.indexOf('\0') >= 0) {
            throw new ApprovalException(ApprovalException.Kind.INVALID, what + " contains the character U+0000");
        }
    }

    private String newId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return "apr_" + HEX.formatHex(bytes);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
