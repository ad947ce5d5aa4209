package dev.portcullis.cedar.ast;

import dev.portcullis.cedar.value.EntityUid;
import java.util.List;

/** The action part of a policy scope. */
public sealed interface ActionConstraint {
    /** {@code action} with no constraint. */
    record Any() implements ActionConstraint {}

    /** {@code action == A} */
    record Eq(EntityUid action) implements ActionConstraint {}

    /** {@code action in A} ({@code set == false}) or {@code action in [A, B]} ({@code set == true}). */
    record In(List<EntityUid> actions, boolean set) implements ActionConstraint {
        public In {
            actions = List.copyOf(actions);
        }
    }

    ActionConstraint ANY = new Any();
}
