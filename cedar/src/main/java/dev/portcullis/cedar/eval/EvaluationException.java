package dev.portcullis.cedar.eval;

/**
 * A Cedar evaluation error: the policy that raised it does not apply, and the error is reported in
 * the authorization response. Errors are ordinary outcomes of bad data, so no stack trace is kept.
 */
public final class EvaluationException extends RuntimeException {
    /** What went wrong, for callers that react to the kind of error. */
    public enum ErrorKind {
        /** An attribute or tag of an entity that is not in the entity store was read. */
        ENTITY_DOES_NOT_EXIST,
        /** A record or entity has no such attribute. */
        ATTRIBUTE_DOES_NOT_EXIST,
        /** An entity has no such tag. */
        TAG_DOES_NOT_EXIST,
        /** An operand has the wrong type. */
        TYPE_ERROR,
        /** Long arithmetic overflowed. */
        INTEGER_OVERFLOW,
        /** An extension function failed, e.g. a malformed {@code decimal("...")} literal. */
        EXTENSION_ERROR,
        /** No extension function has that name (or it was called in the wrong style). */
        UNKNOWN_FUNCTION,
        /** An extension function got the wrong number of arguments. */
        WRONG_ARITY,
        /** A template slot was evaluated in a policy that was never linked. */
        UNLINKED_SLOT,
        /** The expression is nested too deeply to evaluate. */
        RECURSION_LIMIT
    }

    private final ErrorKind kind;

    public EvaluationException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
