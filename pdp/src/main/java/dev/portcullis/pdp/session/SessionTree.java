package dev.portcullis.pdp.session;

import dev.portcullis.cedar.value.SetValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a session and all its sub-agents share: one lock and one set of data labels.
 *
 * <p>Labels belong to the whole delegation tree, because data flows along it both ways: a
 * sub-agent's results go to its parent, and a parent hands its context to the sub-agents it
 * starts. A label read anywhere in the tree is therefore visible to every session in it.
 *
 * <p>The lock orders every state change of the tree's sessions (revocation, expiry, the counting
 * of an allowed action), so that a decision's final check and its counting happen atomically with
 * respect to a revocation.
 */
final class SessionTree {
    final Object lock = new Object();

    // guarded by lock
    private final Set<String> labels = new LinkedHashSet<>();
    /** The labels as Cedar sees them; replaced (never mutated) when they grow. */
    private volatile SetValue labelsValue = SetValue.EMPTY;
    /** The labels as a plain immutable set, for a lock-free "nothing new" check. */
    private volatile Set<String> known = Set.of();

    SetValue labelsValue() {
        return labelsValue;
    }

    /** Whether every one of {@code some} is already a label (read without the lock). */
    boolean knows(List<String> some) {
        Set<String> k = known;
        for (int i = 0, n = some.size(); i < n; i++) {
            if (!k.contains(some.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Adds labels; returns whether any was new. Called under {@link #lock}. */
    boolean addLabels(Collection<String> more) {
        if (!labels.addAll(more)) {
            return false;
        }
        List<Value> values = new ArrayList<>(labels.size());
        for (String l : labels) {
            values.add(new StringValue(l));
        }
        labelsValue = SetValue.of(values);
        known = Set.copyOf(labels);
        return true;
    }

    /** A copy of the labels. Called under {@link #lock}. */
    Set<String> labels() {
        return Set.copyOf(labels);
    }
}
