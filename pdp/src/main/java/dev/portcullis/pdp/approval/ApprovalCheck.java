package dev.portcullis.pdp.approval;

/**
 * What {@link ApprovalService#check} found for a request whose allow needs approval.
 */
public sealed interface ApprovalCheck {

    /** A granted approval for exactly this request was used up by it: the decision is an allow. */
    record Used(Approval approval) implements ApprovalCheck {}

    /**
     * No approval lets this request through: the decision is a deny, and {@code pending} is the
     * approval to ask a human for (new, or the one already pending for this request).
     *
     * @param rejected why the approval the request named in {@code context.approval} does not apply
     *     ({@code null} when it named none)
     * @param rejectedId the id it named, or {@code null}
     */
    record Required(Approval pending, String rejectedId, String rejected) implements ApprovalCheck {}

    /**
     * A human denied approval for exactly this request, and the denial still stands: the decision is
     * a deny, and no new approval is asked for until {@code denied.expiresAt()}.
     */
    record Refused(Approval denied) implements ApprovalCheck {}
}
