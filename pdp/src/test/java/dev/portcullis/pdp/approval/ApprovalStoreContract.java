package dev.portcullis.pdp.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ApprovalStore} must do; each store runs it through a subclass that says how to
 * open it. {@link #openAnother} opens a second handle on the same data (another node, for the SQL
 * stores), so the atomic steps are checked across handles too.
 */
abstract class ApprovalStoreContract {
    static final Instant T0 = Instant.parse("2025-06-01T12:00:00.123Z");
    static final int THREADS = 12;

    private final List<ApprovalStore> opened = new ArrayList<>();
    private ApprovalStore store;

    /** Opens this test's store (the same data each time within a test). */
    abstract ApprovalStore openStore();

    ApprovalStore store() {
        if (store == null) {
            store = openAnother();
        }
        return store;
    }

    /** A further handle on this test's data. */
    ApprovalStore openAnother() {
        ApprovalStore s = openStore();
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(ApprovalStore::close);
        opened.clear();
        store = null;
    }

    static Approval pending(String id, String binding, Instant at) {
        return new Approval(
                id,
                ApprovalState.PENDING,
                binding,
                "{\"principal\":\"" + binding + "\",\"note\":\"tab\\t \\\"q\\\" é 😀\"}",
                "User::\"alice\"",
                "Action::\"delete\"",
                "Doc::\"" + binding + "\"",
                List.of("needs-approval", "p,2"),
                "d-" + id,
                at,
                at.plus(Duration.ofMinutes(15)),
                Duration.ofMinutes(5),
                null,
                null,
                null,
                null,
                null);
    }

    Approval grant(Approval a, Instant at) {
        Approval g = a.decided(ApprovalState.GRANTED, at, at.plus(a.grantTtl()), "bob", "ok: \"fine\" ✓");
        assertThat(store().transition(g, ApprovalState.PENDING, at)).isTrue();
        return g;
    }

    @Test
    void insertPending_storesTheCandidateAndReadsBackEqual() {
        Approval a = pending("a1", "h1", T0);

        assertThat(store().insertPending(a, T0)).isEqualTo(a);
        assertThat(store().get("a1")).contains(a);
        assertThat(openAnother().get("a1")).contains(a);
        assertThat(store().get("nope")).isEmpty();
    }

    @Test
    void insertPending_isIdempotentPerBinding() {
        Approval first = store().insertPending(pending("a1", "h1", T0), T0);
        Approval again = store().insertPending(pending("a2", "h1", T0.plusSeconds(1)), T0.plusSeconds(1));
        Approval other = store().insertPending(pending("a3", "h2", T0), T0);

        assertThat(again).isEqualTo(first);
        assertThat(other.id()).isEqualTo("a3");
        assertThat(store().get("a2")).isEmpty();
        assertThat(store().byBinding("h1")).containsExactly(first);
    }

    @Test
    void insertPending_replacesAPendingApprovalThatExpired() {
        Approval old = store().insertPending(pending("a1", "h1", T0), T0);
        Instant later = old.expiresAt();

        Approval fresh = store().insertPending(pending("a2", "h1", later), later);

        assertThat(fresh.id()).isEqualTo("a2");
        assertThat(store().get("a1").orElseThrow().state()).isEqualTo(ApprovalState.EXPIRED);
        assertThat(store().byBinding("h1")).extracting(Approval::id).containsExactly("a1", "a2");
    }

    @Test
    void insertPending_concurrentFirstRequestsConvergeOnOneApproval() throws Exception {
        List<ApprovalStore> handles = List.of(store(), openAnother());
        Set<String> ids = ConcurrentHashMap.newKeySet();
        race(i -> ids.add(
                handles.get(i % 2).insertPending(pending("c" + i, "h1", T0), T0).id()));

        assertThat(ids).hasSize(1);
        assertThat(store().byBinding("h1")).hasSize(1);
        assertThat(store().list(ApprovalState.PENDING, T0, 100)).hasSize(1);
    }

    @Test
    void transition_isACompareAndSetOnStateAndLiveness() {
        Approval a = store().insertPending(pending("a1", "h1", T0), T0);
        Instant t = T0.plusSeconds(10);
        Approval granted = grant(a, t);

        // the state is no longer PENDING
        Approval denied = a.decided(ApprovalState.DENIED, t, t.plusSeconds(60), "carol", null);
        assertThat(store().transition(denied, ApprovalState.PENDING, t)).isFalse();
        assertThat(store().get("a1")).contains(granted);

        // GRANTED, but no longer live
        Approval late = granted.used(granted.expiresAt(), "d-late");
        assertThat(store().transition(late, ApprovalState.GRANTED, granted.expiresAt()))
                .isFalse();
        assertThat(store().transition(granted.used(t, "d-1"), ApprovalState.GRANTED, t))
                .isTrue();
        assertThat(store().get("a1").orElseThrow().usedBy()).isEqualTo("d-1");
        assertThat(store().transition(granted.used(t, "d-2"), ApprovalState.GRANTED, t))
                .isFalse();
        assertThat(store().transition(pending("zz", "h9", T0), ApprovalState.PENDING, T0))
                .isFalse();
    }

    @Test
    void transition_concurrentUsesOfOneGrantExactlyOneWins() throws Exception {
        Approval granted = grant(store().insertPending(pending("a1", "h1", T0), T0), T0);
        List<ApprovalStore> handles = List.of(store(), openAnother());
        AtomicInteger wins = new AtomicInteger();
        race(i -> {
            if (handles.get(i % 2).transition(granted.used(T0, "d-" + i), ApprovalState.GRANTED, T0)) {
                wins.incrementAndGet();
            }
        });

        assertThat(wins.get()).isEqualTo(1);
        Approval used = store().get("a1").orElseThrow();
        assertThat(used.state()).isEqualTo(ApprovalState.USED);
        assertThat(used.usedAt()).isEqualTo(T0);
    }

    @Test
    void list_filtersByTheStateAtTheGivenTimeNewestFirst() {
        Approval p = store().insertPending(pending("p", "h1", T0), T0);
        Approval g = grant(store().insertPending(pending("g", "h2", T0.plusSeconds(1)), T0), T0.plusSeconds(2));
        Approval d = store().insertPending(pending("d", "h3", T0.plusSeconds(2)), T0);
        assertThat(store().transition(
                                d.decided(ApprovalState.DENIED, T0, T0.plusSeconds(5), "x", null),
                                ApprovalState.PENDING,
                                T0))
                .isTrue();
        Approval u = grant(store().insertPending(pending("u", "h4", T0.plusSeconds(3)), T0), T0);
        assertThat(store().transition(u.used(T0, "d"), ApprovalState.GRANTED, T0))
                .isTrue();

        assertThat(ids(null, T0, 100)).containsExactly("u", "d", "g", "p");
        assertThat(ids(null, T0, 2)).containsExactly("u", "d");
        assertThat(ids(ApprovalState.PENDING, T0, 100)).containsExactly("p");
        assertThat(ids(ApprovalState.GRANTED, T0, 100)).containsExactly("g");
        assertThat(ids(ApprovalState.DENIED, T0, 100)).containsExactly("d");
        assertThat(ids(ApprovalState.USED, T0, 100)).containsExactly("u");
        assertThat(ids(ApprovalState.EXPIRED, T0, 100)).isEmpty();

        // the grant runs out after 5 minutes, the pending approval after 15
        Instant later = g.expiresAt();
        assertThat(ids(ApprovalState.EXPIRED, later, 100)).containsExactly("g");
        assertThat(ids(ApprovalState.GRANTED, later, 100)).isEmpty();
        assertThat(ids(ApprovalState.EXPIRED, p.expiresAt(), 100)).containsExactly("g", "p");
        assertThat(ids(ApprovalState.DENIED, p.expiresAt(), 100)).containsExactly("d");
    }

    @Test
    void purge_deletesWhatExpiredBeforeTheCutoff() {
        store().insertPending(pending("old", "h1", T0), T0);
        store().insertPending(pending("new", "h2", T0.plusSeconds(3600)), T0.plusSeconds(3600));

        int n = store().purge(T0.plus(Duration.ofMinutes(16)));

        assertThat(n).isEqualTo(1);
        assertThat(store().get("old")).isEmpty();
        assertThat(store().byBinding("h1")).isEmpty();
        assertThat(store().get("new")).isPresent();
    }

    private List<String> ids(ApprovalState state, Instant now, int limit) {
        return store().list(state, now, limit).stream().map(Approval::id).toList();
    }

    interface Step {
        void run(int i) throws Exception;
    }

    /** Runs {@code step} on {@link #THREADS} threads released together. */
    static void race(Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int n = i;
                Callable<Object> c = () -> {
                    go.await();
                    step.run(n);
                    return null;
                };
                futures.add(pool.submit(c));
            }
            go.countDown();
            for (Future<Object> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
