package dev.portcullis.pdp.approval;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * One request for human approval, bound to exactly one decision request.
 *
 * <p>Times are kept to the millisecond (every store keeps them so, and this record truncates them,
 * so that an approval reads back from any store equal to what was written).
 *
 * @param id opaque, unguessable id ({@code apr_} and 32 hex digits)
 * @param state the stored state; see {@link #stateAt} for the state as of a given time
 * @param bindingHash base64url SHA-256 of {@code request}: what a retried decision must match
 * @param request the bound request, canonical JSON (principal, action, resource, the relevant
 *     context and the request's entity facts): exactly what the approver approves
 * @param principal the Cedar principal, e.g. {@code User::"alice"}, for listing
 * @param action the Cedar action, for listing
 * @param resource the Cedar resource, for listing
 * @param policies ids of the permits that asked for approval
 * @param decisionId the decision that asked for it (the AuthZEN draft's {@code evaluation_id})
 * @param requestedAt when it was asked for
 * @param expiresAt until when it is good: for a pending approval, the deadline to decide; for a
 *     granted one, the deadline to use it; for a denied one, the end of the time in which asking
 *     again for the same request gets the same answer
 * @param grantTtl how long a grant lasts, fixed when asked for (the policy's {@code
 *     @approval_ttl} or the service's default)
 * @param decidedAt when it was granted or denied, or {@code null}
 * @param approver who granted or denied it, or {@code null}
 * @param note the approver's note, or {@code null}
 * @param usedAt when a decision used it up, or {@code null}
 * @param usedBy the id of that decision, or {@code null}
 */
public record Approval(
        String id,
        ApprovalState state,
        String bindingHash,
        String request,
        String principal,
        String action,
        String resource,
        List<String> policies,
        String decisionId,
        Instant requestedAt,
        Instant expiresAt,
        Duration grantTtl,
        Instant decidedAt,
        String approver,
        String note,
        Instant usedAt,
        String usedBy) {
    public Approval {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(bindingHash, "bindingHash");
        Objects.requireNonNull(request, "request");
        policies = List.copyOf(policies);
        requestedAt = millis(Objects.requireNonNull(requestedAt, "requestedAt"));
        expiresAt = millis(Objects.requireNonNull(expiresAt, "expiresAt"));
        grantTtl = Objects.requireNonNull(grantTtl, "grantTtl").truncatedTo(ChronoUnit.MILLIS);
        decidedAt = millis(decidedAt);
        usedAt = millis(usedAt);
    }

    /** A new pending approval. */
    static Approval pending(
            String id,
            ApprovalBinding binding,
            List<String> policies,
            String decisionId,
            Instant now,
            Instant expiresAt,
            Duration grantTtl) {
        return new Approval(
                id,
                ApprovalState.PENDING,
                binding.hash(),
                binding.json(),
                binding.principal(),
                binding.action(),
                binding.resource(),
                policies,
                decisionId,
                now,
                expiresAt,
                grantTtl,
                null,
                null,
                null,
                null,
                null);
    }

    /** Whether it is still good at {@code now}, whatever its state. */
    public boolean liveAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /** The state at {@code now}: a pending or granted approval whose time is up is expired. */
    public ApprovalState stateAt(Instant now) {
        return (state == ApprovalState.PENDING || state == ApprovalState.GRANTED) && !liveAt(now)
                ? ApprovalState.EXPIRED
                : state;
    }

    /** This approval as it stands at {@code now} (its state replaced by {@link #stateAt}). */
    public Approval asOf(Instant now) {
        ApprovalState s = stateAt(now);
        return s == state ? this : with(s, expiresAt, decidedAt, approver, note, usedAt, usedBy);
    }

    Approval decided(ApprovalState to, Instant now, Instant until, String approver, String note) {
        return with(to, until, now, approver, note, null, null);
    }

    Approval used(Instant now, String decision) {
        return with(ApprovalState.USED, expiresAt, decidedAt, approver, note, now, decision);
    }

    Approval expired() {
        return with(ApprovalState.EXPIRED, expiresAt, decidedAt, approver, note, usedAt, usedBy);
    }

    private Approval with(
            ApprovalState s,
            Instant until,
            Instant decided,
            String approver,
            String note,
            Instant used,
            String usedBy) {
        return new Approval(
                id,
                s,
                bindingHash,
                request,
                principal,
                action,
                resource,
                policies,
                decisionId,
                requestedAt,
                until,
                grantTtl,
                decided,
                approver,
                note,
                used,
                usedBy);
    }

    private static Instant millis(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS);
    }
}
