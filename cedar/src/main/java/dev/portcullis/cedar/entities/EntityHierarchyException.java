package dev.portcullis.cedar.entities;

import dev.portcullis.cedar.value.EntityUid;

/**
 * The entity hierarchy of a store is not a DAG: some entity is its own ancestor. Cedar rejects
 * such a store ("transitive closure computation/enforcement error"), and so do we. An {@link
 * IllegalArgumentException}, like the other ways a collection of entities can fail to make a store.
 */
public final class EntityHierarchyException extends IllegalArgumentException {
    private final transient EntityUid onCycle;

    public EntityHierarchyException(EntityUid onCycle) {
        super("the entity hierarchy has a cycle through `" + onCycle + "`");
        this.onCycle = onCycle;
    }

    /** An entity on the cycle. */
    public EntityUid entityOnCycle() {
        return onCycle;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // reported to users as a message, never as a trace
    }
}
