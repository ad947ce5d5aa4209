package dev.portcullis.cedar.eval;

import dev.portcullis.cedar.ast.Loc;

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
    // The innermost expression that failed; set once by the evaluator as the error propagates.
    private Loc loc;

    public EvaluationException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    /** Where in the policy source the error arose, or {@code null} when unknown. */
    public Loc loc() {
        return loc;
    }

    /** The error without its location. */
    public String detail() {
        return super.getMessage();
    }

    /** {@code line:column: detail} when the location is known, else just the detail. */
    @Override
    public String getMessage() {
        return loc == null ? detail() : loc + ": " + detail();
    }

    void locateAt(Loc where) {
        if (loc == null && where != null && where != Loc.NONE && where.line() > 0) {
            loc = where;
        }
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
