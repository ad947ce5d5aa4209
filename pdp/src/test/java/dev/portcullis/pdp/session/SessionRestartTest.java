package dev.portcullis.pdp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.json.EntityJson;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.pdp.DecisionRequest;
import dev.portcullis.pdp.DecisionResult;
import dev.portcullis.pdp.DecisionService;
import dev.portcullis.pdp.InMemoryDecisionLog;
import dev.portcullis.pdp.TestClock;
import dev.portcullis.pdp.entity.StaticEntityProvider;
import dev.portcullis.pdp.policy.PolicyBundle;
import dev.portcullis.pdp.policy.PolicyStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions in the SQLite file survive a restart of the service: state, counters, labels, signals. */
class SessionRestartTest {
    static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    static final Entities ENTITIES = EntityJson.parse("""
            [{"uid": {"type": "Doc", "id": "secret"}, "attrs": {"classification": "confidential"}, "parents": []}]
            """, null);
    static final EntityUid SECRET = EntityUid.of("Doc", "secret");

    @TempDir
    Path dir;

    final TestClock clock = new TestClock(T0);
    SqliteSessionStore store;
    SessionService sessions;
    DecisionService service;

    void open(Duration flushInterval) {
        store = new SqliteSessionStore(dir.resolve("portcullis.db"));
        sessions = new SessionService(
                SessionConfig.builder()
                        .labels(List.of("classification"), List.of("read"))
                        .flushInterval(flushInterval)
                        .build(),
                store,
                clock);
        PolicyStore policies = new PolicyStore();
        policies.update(PolicyBundle.of(Map.of("p.cedar", "permit (principal, action, resource);")));
        service = new DecisionService(
                policies::current, new StaticEntityProvider(ENTITIES), new InMemoryDecisionLog(), clock, sessions);
    }

    void restart() {
        sessions.close();
        store.close();
        open(Duration.ofHours(1));
    }

    @AfterEach
    void tearDown() {
        sessions.close();
        store.close();
    }

    DecisionResult decide(Session s, String action) {
        return service.decide(DecisionRequest.of(s.agent(), EntityUid.of("Action", action), SECRET, RecordValue.EMPTY)
                .withSessionId(s.id()));
    }

    @Test
    void everythingASessionKnowsSurvivesARestart() {
        open(Duration.ofHours(1));
        CreatedSession root = sessions.create(SessionRequest.of(Tokens.agent("bot", T0))
                .withBoundary(Boundary.ofActions(List.of("read", "send_email")))
                .withLimits(Limits.none().withRate("send_email", 1, Duration.ofHours(1))));
        Session child = sessions.create(SessionRequest.of(Tokens.agent("helper", T0))
                        .withParent(root.session().id(), root.token()))
                .session();
        Session other =
                sessions.create(SessionRequest.of(Tokens.agent("bot", T0))).session();
        assertThat(decide(root.session(), "read").allowed()).isTrue();
        assertThat(decide(root.session(), "send_email").allowed()).isTrue();
        sessions.revoke(other.id(), "done");
        sessions.userDisabled(null, "carol");
        Session before = sessions.get(root.session().id()).orElseThrow();

        restart();

        assertThat(sessions.get(root.session().id())).contains(before);
        assertThat(sessions.get(other.id()).orElseThrow().endReason()).isEqualTo("done");
        assertThat(sessions.authenticate(root.token()))
                .map(Session::id)
                .contains(root.session().id());
        // the rate limit's window and the boundary are still in force
        assertThat(decide(root.session(), "send_email").failure()).contains("reached its limit of 1 `send_email`");
        assertThat(decide(root.session(), "delete").reasons())
                .containsExactly("boundary:" + root.session().id() + "/actions");
        // the child is still the parent's: under its boundary, ended with it
        assertThat(decide(child, "delete").reasons())
                .containsExactly("boundary:" + root.session().id() + "/actions");
        sessions.revoke(root.session().id(), "stop");
        assertThat(sessions.get(child.id()).orElseThrow().state()).isEqualTo(SessionState.REVOKED);
        // the signal too
        assertThatThrownBy(() -> sessions.create(SessionRequest.of(Tokens.agent("carol", T0))))
                .hasMessageContaining("account `carol` is disabled");
    }

    @Test
    void countersAreWrittenBehind_notPerDecision() {
        open(Duration.ofHours(1));
        Session s = sessions.create(SessionRequest.of(Tokens.agent("bot", T0))).session();
        assertThat(decide(s, "delete").allowed()).isTrue();
        assertThat(store.load(s.id()).session().actionCount()).isZero();
        sessions.flush();
        assertThat(store.load(s.id()).session().actionCount()).isEqualTo(1);
    }

    @Test
    void newLabelsAreWrittenWithoutWaitingForTheInterval() throws InterruptedException {
        open(Duration.ofHours(1));
        Session s = sessions.create(SessionRequest.of(Tokens.agent("bot", T0))).session();
        assertThat(decide(s, "read").allowed()).isTrue();
        // the background writer was nudged; wait for it (bounded), the interval is an hour
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (store.load(s.id()).session().labels().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(store.load(s.id()).session().labels()).containsExactly("confidential");
    }
}
