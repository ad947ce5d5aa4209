package dev.portcullis.pdp.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.pdp.DecisionRequest;
import dev.portcullis.pdp.DecisionService;
import dev.portcullis.pdp.InMemoryDecisionLog;
import dev.portcullis.pdp.entity.StaticEntityProvider;
import dev.portcullis.pdp.policy.PolicyBundle;
import dev.portcullis.pdp.policy.PolicyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Revocation against many threads deciding in a tight loop: no decision that starts after
 * {@code revoke} returned may allow. Progress is counted in decisions, not time.
 */
class SessionRaceTest {
    static final int THREADS = 8;
    static final EntityUid READ = EntityUid.of("Action", "read");
    static final EntityUid DOC = EntityUid.of("Doc", "d");

    SessionService sessions;
    DecisionService service;

    @BeforeEach
    void setUp() {
        sessions = new SessionService(
                SessionConfig.builder().flushInterval(Duration.ofMillis(50)).build(),
                new InMemorySessionStore(),
                Clock.systemUTC());
        PolicyStore store = new PolicyStore();
        store.update(PolicyBundle.of(Map.of("p.cedar", "permit (principal, action, resource);")));
        InMemoryDecisionLog log = new InMemoryDecisionLog();
        log.keeping(false);
        service = new DecisionService(
                store::current, new StaticEntityProvider(Entities.EMPTY), log, Clock.systemUTC(), sessions);
    }

    @AfterEach
    void tearDown() {
        sessions.close();
    }

    DecisionRequest request(Session s) {
        return DecisionRequest.of(s.agent(), READ, DOC, RecordValue.EMPTY).withSessionId(s.id());
    }

    @RepeatedTest(5)
    void noAllowStartsAfterRevokeReturned() throws Exception {
        CreatedSession root = sessions.create(
                SessionRequest.of(Tokens.agent("bot", Clock.systemUTC().instant())));
        // half the threads decide in a sub-agent's session: revoking the root must stop them too
        Session child = sessions.create(SessionRequest.of(
                                Tokens.agent("helper", Clock.systemUTC().instant()))
                        .withParent(root.session().id(), root.token()))
                .session();
        AtomicBoolean revoked = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong allowsBefore = new AtomicLong();
        AtomicLong decisionsAfter = new AtomicLong();
        AtomicLong violations = new AtomicLong();
        CountDownLatch done = new CountDownLatch(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            DecisionRequest req = request(t % 2 == 0 ? root.session() : child);
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    while (!stop.get()) {
                        boolean startedAfterRevoke = revoked.get();
                        boolean allowed = service.decide(req).allowed();
                        if (startedAfterRevoke) {
                            decisionsAfter.incrementAndGet();
                            if (allowed) {
                                violations.incrementAndGet();
                            }
                        } else if (allowed) {
                            allowsBefore.incrementAndGet();
                        }
                    }
                } finally {
                    done.countDown();
                }
            }));
        }
        while (allowsBefore.get() < 2_000) {
            Thread.onSpinWait();
        }
        sessions.revoke(root.session().id(), "race");
        revoked.set(true);
        while (decisionsAfter.get() < 20_000) {
            Thread.onSpinWait();
        }
        stop.set(true);
        done.await();

        assertThat(violations.get()).isZero();
        assertThat(sessions.get(child.id()).orElseThrow().state()).isEqualTo(SessionState.REVOKED);
        // every allow was counted, and none after the revocation
        long counted = sessions.get(root.session().id()).orElseThrow().actionCount();
        assertThat(counted).isGreaterThanOrEqualTo(allowsBefore.get());
    }

    @Test
    void limits_holdExactlyUnderConcurrency() throws Exception {
        Session s = sessions.create(
                        SessionRequest.of(Tokens.agent("bot", Clock.systemUTC().instant()))
                                .withLimits(Limits.maxActions(5_000)))
                .session();
        DecisionRequest req = request(s);
        AtomicLong allows = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2_000; i++) {
                    if (service.decide(req).allowed()) {
                        allows.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(allows.get()).isEqualTo(5_000);
        assertThat(sessions.get(s.id()).orElseThrow().actionCount()).isEqualTo(5_000);
    }
}
