package dev.portcullis.pdp.approval;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Approvals in memory, for one process (the embedded default): lost on restart, which at worst
 * makes a waiting agent ask again. One lock guards everything; approvals are rare next to
 * decisions, and only decisions by permits that ask for approval come here.
 */
public final class InMemoryApprovalStore implements ApprovalStore {
    private static final Comparator<Approval> NEWEST_FIRST = Comparator.comparing(Approval::requestedAt)
            .thenComparing(Approval::id)
            .reversed();

    private final Map<String, Approval> byId = new HashMap<>();
    // binding hash -> ids, oldest first
    private final Map<String, List<String>> byBinding = new HashMap<>();

    @Override
    public synchronized Optional<Approval> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized List<Approval> byBinding(String bindingHash) {
        List<String> ids = byBinding.getOrDefault(bindingHash, List.of());
        List<Approval> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            out.add(byId.get(id));
        }
        return out;
    }

    @Override
    public synchronized List<Approval> list(ApprovalState state, Instant now, int limit) {
        return byId.values().stream()
                .filter(a -> state == null || a.stateAt(now) == state)
                .sorted(NEWEST_FIRST)
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized Approval insertPending(Approval candidate, Instant now) {
        List<String> ids = byBinding.computeIfAbsent(candidate.bindingHash(), k -> new ArrayList<>(2));
        for (String id : ids) {
            Approval a = byId.get(id);
            if (a.state() == ApprovalState.PENDING) {
                if (a.liveAt(now)) {
                    return a;
                }
                byId.put(id, a.expired());
            }
        }
        if (byId.putIfAbsent(candidate.id(), candidate) != null) {
            throw new ApprovalException(
                    ApprovalException.Kind.UNAVAILABLE, "approval id `" + candidate.id() + "` is taken");
        }
        ids.add(candidate.id());
        return candidate;
    }

    @Override
    public synchronized boolean transition(Approval updated, ApprovalState expected, Instant now) {
        Approval current = byId.get(updated.id());
        if (current == null || current.state() != expected || !current.liveAt(now)) {
            return false;
        }
        byId.put(updated.id(), updated);
        return true;
    }

    @Override
    public synchronized int purge(Instant cutoff) {
        int n = 0;
        for (Iterator<Approval> it = byId.values().iterator(); it.hasNext(); ) {
            Approval a = it.next();
            if (a.expiresAt().isBefore(cutoff)) {
                it.remove();
                List<String> ids = byBinding.get(a.bindingHash());
                ids.remove(a.id());
                if (ids.isEmpty()) {
                    byBinding.remove(a.bindingHash());
                }
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {}
}
