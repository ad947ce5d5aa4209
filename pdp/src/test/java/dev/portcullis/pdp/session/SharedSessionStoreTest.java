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
import dev.portcullis.pdp.TestPostgres;
import dev.portcullis.pdp.entity.StaticEntityProvider;
import dev.portcullis.pdp.policy.PolicyBundle;
import dev.portcullis.pdp.policy.PolicyStore;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes (two {@link SessionService}s, each with its own {@link PostgresSessionStore} on one
 * schema): what one node ends, revokes or renews reaches the other's decisions through the store's
 * announcements ({@code LISTEN/NOTIFY}), whichever node holds the session.
 */
class SharedSessionStoreTest {
    static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    static final EntityUid BOT = EntityUid.of("Agent", "bot");
    static final EntityUid READ = EntityUid.of("Action", "read");
    static final EntityUid MEMO = EntityUid.of("Doc", "memo");
    /** How long an announcement may take to reach the other node before the test fails. */
    static final Duration PROPAGATION = Duration.ofSeconds(10);

    String schema;
    TestClock clock;
    SessionService nodeA;
    SessionService nodeB;
    DecisionService decideOnA;
    DecisionService decideOnB;

    @BeforeEach
    void startTwoNodes() throws SQLException {
        schema = TestPostgres.createSchema("sesnodes_", "sessions shared by two nodes");
        clock = new TestClock(T0);
        SessionConfig config =
                SessionConfig.builder().flushInterval(Duration.ofHours(1)).build();
        nodeA = new SessionService(config, new PostgresSessionStore(TestPostgres.url(schema)), clock);
        nodeB = new SessionService(config, new PostgresSessionStore(TestPostgres.url(schema)), clock);
        decideOnA = decisions(nodeA);
        decideOnB = decisions(nodeB);
    }

    private DecisionService decisions(SessionService node) {
        PolicyStore policies = new PolicyStore();
        policies.update(PolicyBundle.of(Map.of("main.cedar", "permit (principal is Agent, action, resource);")));
        Entities entities = EntityJson.parse("[]", null);
        return new DecisionService(
                policies::current, new StaticEntityProvider(entities), new InMemoryDecisionLog(), clock, node);
    }

    @AfterEach
    void stopNodes() throws SQLException {
        if (nodeA != null) {
            nodeA.close();
        }
        if (nodeB != null) {
            nodeB.close();
        }
        if (schema != null) {
            TestPostgres.dropSchema(schema);
        }
    }

    private static DecisionResult read(DecisionService on, String sessionId) {
        return on.decide(DecisionRequest.of(BOT, READ, MEMO, RecordValue.EMPTY).withSessionId(sessionId));
    }

    /** Waits until {@code condition} holds, failing after {@link #PROPAGATION}. */
    private static void eventually(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + PROPAGATION.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + PROPAGATION + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aRevocationOnOneNode_deniesTheOthersDecisions() throws Exception {
        String id = nodeA.create(SessionRequest.of(Tokens.agent("bot", T0)))
                .session()
                .id();
        assertThat(read(decideOnB, id).allowed())
                .as("node B loads the session from the store")
                .isTrue();

        nodeA.revoke(id, "task done");

        eventually("node B denies", () -> !read(decideOnB, id).allowed());
        DecisionResult denied = read(decideOnB, id);
        assertThat(denied.failure()).contains("revoked").contains("task done");
        assertThat(nodeB.get(id).orElseThrow().state()).isEqualTo(SessionState.REVOKED);
    }

    @Test
    void aSignalOnOneNode_endsSessionsOnlyTheOtherHolds_andRefusesNewOnes() throws Exception {
        String id = nodeB.create(SessionRequest.of(Tokens.agent("bot", T0)))
                .session()
                .id();
        assertThat(read(decideOnB, id).allowed()).isTrue();

        nodeA.userDisabled(Tokens.ISSUER, "bot");

        eventually("node B denies", () -> !read(decideOnB, id).allowed());
        assertThat(read(decideOnB, id).failure()).contains("disabled");
        eventually("node B knows the signal", () -> !nodeB.signals().isEmpty());
        assertThatThrownBy(() -> nodeB.create(SessionRequest.of(Tokens.agent("bot", T0))))
                .isInstanceOf(SessionException.class)
                .hasMessageContaining("disabled");
    }

    @Test
    void revokingAllOfAnAgentOnOneNode_reachesTheSessionsOfTheOther() throws Exception {
        String onB = nodeB.create(SessionRequest.of(Tokens.agent("bot", T0)))
                .session()
                .id();
        String onA = nodeA.create(SessionRequest.of(Tokens.agent("bot", T0)))
                .session()
                .id();

        List<String> ended = nodeA.revokeAllForAgent(BOT, "agent retired");

        assertThat(ended).containsExactlyInAnyOrder(onA, onB);
        assertThat(read(decideOnA, onA).allowed()).isFalse();
        eventually("node B denies", () -> !read(decideOnB, onB).allowed());
        assertThat(read(decideOnB, onB).failure()).contains("agent retired");
    }

    @Test
    void aRenewalOnOneNode_movesTheOtherToTheNewToken() throws Exception {
        CreatedSession created = nodeA.create(SessionRequest.of(Tokens.agent("bot", T0)));
        String id = created.session().id();
        assertThat(nodeB.authenticate(created.token())).isPresent();

        CreatedSession renewed = nodeA.renew(id, Tokens.agent("bot", T0), null);

        eventually("node B takes the new token", () -> nodeB.authenticate(renewed.token())
                .isPresent());
        assertThat(nodeB.authenticate(created.token())).as("the old token").isEmpty();
        assertThat(read(decideOnB, id).allowed()).isTrue();
    }
}
