package dev.portcullis.server.approval;

import dev.portcullis.pdp.approval.Approval;
import dev.portcullis.pdp.approval.ApprovalException;
import dev.portcullis.pdp.approval.ApprovalState;
import dev.portcullis.pdp.approval.ApprovalStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An approval store opened on first use. Approvals are on by default, but most policy sets never
 * ask for one: such a server opens no connection and creates no table. A store that fails to open
 * is tried again on the next use; meanwhile every use throws {@link ApprovalException} ({@code
 * UNAVAILABLE}), so a decision that needs an approval fails closed with the reason.
 */
public final class LazyApprovalStore implements ApprovalStore {
    private final Supplier<ApprovalStore> opener;
    private volatile ApprovalStore store;
    private boolean closed;

    /** {@code opener} opens the real store; it may throw. */
    public LazyApprovalStore(Supplier<ApprovalStore> opener) {
        this.opener = opener;
    }

    private ApprovalStore store() {
        ApprovalStore s = store;
        if (s != null) {
            return s;
        }
        synchronized (this) {
            if (closed) {
                throw new ApprovalException(ApprovalException.Kind.UNAVAILABLE, "the approval store is closed");
            }
            if (store == null) {
                try {
                    store = opener.get();
                } catch (ApprovalException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new ApprovalException(
                            ApprovalException.Kind.UNAVAILABLE, "cannot open the approval store: " + e.getMessage(), e);
                }
            }
            return store;
        }
    }

    @Override
    public Optional<Approval> get(String id) {
        return store().get(id);
    }

    @Override
    public List<Approval> byBinding(String bindingHash) {
        return store().byBinding(bindingHash);
    }

    @Override
    public List<Approval> list(ApprovalState state, Instant now, int limit) {
        return store().list(state, now, limit);
    }

    @Override
    public Approval insertPending(Approval candidate, Instant now) {
        return store().insertPending(candidate, now);
    }

    @Override
    public boolean transition(Approval updated, ApprovalState expected, Instant now) {
        return store().transition(updated, expected, now);
    }

    @Override
    public int purge(Instant cutoff) {
        return store().purge(cutoff);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (store != null) {
            store.close();
        }
    }
}
