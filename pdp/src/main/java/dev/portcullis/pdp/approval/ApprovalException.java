package dev.portcullis.pdp.approval;

/**
 * Why an approval operation failed. The {@link Kind} says what an API should answer: an unknown
 * id (404), an approval no longer in a state that allows the operation (409), bad input (400), a
 * store that cannot be reached (503).
 */
public final class ApprovalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The family of the failure. */
    public enum Kind {
        /** No approval has this id. */
        NOT_FOUND,
        /** The approval exists but is not pending (or no longer live) for this operation. */
        CONFLICT,
        /** The input is malformed: an approver, a note, an annotation, an option. */
        INVALID,
        /** The approval store failed. */
        UNAVAILABLE
    }

    private final Kind kind;

    public ApprovalException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ApprovalException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
