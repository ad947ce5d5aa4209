package dev.portcullis.cedar.validation;

import dev.portcullis.cedar.ast.Loc;
import java.util.Objects;

/**
 * Something suspicious about a policy that does not make it invalid (Cedar's validator reports the
 * same classes as warnings).
 */
public record ValidationWarning(String policyId, Loc loc, Kind kind, String message) {
    public ValidationWarning {
        Objects.requireNonNull(policyId, "policyId");
        Objects.requireNonNull(loc, "loc");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    public enum Kind {
        /** The policy can never apply: its conditions are false for every request the schema allows. */
        IMPOSSIBLE_POLICY,
        /** An identifier or string mixes scripts or uses characters that look like others. */
        CONFUSABLE_TEXT,
        /** A string or identifier contains bidirectional-override characters. */
        BIDI_CHARACTERS
    }

    @Override
    public String toString() {
        return message;
    }
}
