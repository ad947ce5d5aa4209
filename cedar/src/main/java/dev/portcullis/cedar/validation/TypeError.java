package dev.portcullis.cedar.validation;

import dev.portcullis.cedar.ast.Loc;

/**
 * A type error found while checking one policy under one request environment. The message does
 * not yet name the policy; {@link Validator} adds that. Thrown, because the checker stops at the
 * first error of an environment, as Cedar's does.
 */
final class TypeError extends RuntimeException {
    final ValidationError.Kind kind;
    final Loc loc;

    TypeError(ValidationError.Kind kind, Loc loc, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.loc = loc == null ? Loc.NONE : loc;
    }
}
