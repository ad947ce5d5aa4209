package dev.portcullis.pdp.approval;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where approvals live: in memory (the embedded default), SQLite (one node, survives a restart) or
 * PostgreSQL (shared by several PDP nodes). All pass the same contract tests.
 *
 * <p>Stores are dumb and atomic: the rules (who may move an approval where, and when) are in
 * {@link ApprovalService}; a store offers the two atomic steps those rules need, an idempotent
 * insert of a pending approval and a compare-and-set of the state. Times are kept to the
 * millisecond. Every method may throw {@link ApprovalException} ({@code UNAVAILABLE}).
 */
public interface ApprovalStore extends AutoCloseable {

    /** The approval with this id, as stored. */
    Optional<Approval> get(String id);

    /** Every approval bound to this binding hash, oldest first (a handful: at most one is pending). */
    List<Approval> byBinding(String bindingHash);

    /**
     * Approvals whose state at {@code now} ({@link Approval#stateAt}) is {@code state} (any state
     * when {@code null}), newest first, at most {@code limit}.
     */
    List<Approval> list(ApprovalState state, Instant now, int limit);

    /**
     * Stores {@code candidate} (a {@code PENDING} approval) unless an approval for the same binding
     * is already pending and live at {@code now}; returns the one pending afterwards (the candidate
     * or the earlier one). A pending approval of that binding that is no longer live is marked
     * {@code EXPIRED} first. Atomic: of concurrent calls for one binding, one candidate wins.
     */
    Approval insertPending(Approval candidate, Instant now);

    /**
     * Replaces the mutable fields (state, expiry, decision, use) of the approval with {@code
     * updated.id()} by those of {@code updated}, if its stored state is {@code expected} and it is
     * live at {@code now}. Atomic: of concurrent calls expecting the same state, at most one
     * returns {@code true}.
     */
    boolean transition(Approval updated, ApprovalState expected, Instant now);

    /** Deletes the approvals whose expiry is before {@code cutoff}; returns how many. */
    int purge(Instant cutoff);

    @Override
    void close();
}
