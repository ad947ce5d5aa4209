package dev.portcullis.pdp.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.json.EntityJson;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import dev.portcullis.pdp.DecisionRequest;
import dev.portcullis.pdp.DecisionResult;
import dev.portcullis.pdp.DecisionService;
import dev.portcullis.pdp.InMemoryDecisionLog;
import dev.portcullis.pdp.Obligation;
import dev.portcullis.pdp.SessionGuard;
import dev.portcullis.pdp.TestClock;
import dev.portcullis.pdp.approval.ApprovalService;
import dev.portcullis.pdp.approval.InMemoryApprovalStore;
import dev.portcullis.pdp.entity.StaticEntityProvider;
import dev.portcullis.pdp.identity.VerifiedToken;
import dev.portcullis.pdp.log.DecisionRecord;
import dev.portcullis.pdp.policy.PolicyBundle;
import dev.portcullis.pdp.policy.PolicyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The session step of the decision path, through {@link DecisionService}. */
class SessionDecisionTest {
    static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    static final String POLICIES = """
            @id("agents-read")
            permit (principal is Agent, action == Action::"read", resource);
            @id("alice-read")
            permit (principal == User::"alice", action == Action::"read", resource);
            @id("agents-send")
            permit (principal is Agent, action == Action::"send_email", resource);
            @id("users-send")
            permit (principal is User, action == Action::"send_email", resource);
            @id("bot-deletes")
            permit (principal == Agent::"bot", action == Action::"delete", resource);
            @id("bot-exports")
            @approval("required")
            permit (principal == Agent::"bot", action == Action::"export", resource);
            @id("no-exfiltration")
            forbid (principal, action == Action::"send_email", resource)
            when { resource.external && context has session && context.session.labels.contains("confidential") };
            @id("inspect")
            permit (principal, action == Action::"inspect", resource)
            when {
              context.session.purpose == "audit" &&
              context.session.id like "ses_*" &&
              context.session.agent == Agent::"bot" &&
              context.session has on_behalf_of && context.session.on_behalf_of == User::"alice" &&
              !(context.session has parent) && context.session.depth == 0 &&
              context.session.parents == [] &&
              context.session.action_count == 1 &&
              context.session.actions.read == 1 &&
              context.session.labels == ["public"] &&
              context.session.started_at == datetime("2025-06-01T12:00:00Z") &&
              context.session.expires_at == datetime("2025-06-01T13:00:00Z")
            };
            """;

    static final String ENTITIES = """
            [
              {"uid": {"type": "Doc", "id": "secret"}, "attrs": {"classification": "confidential"}, "parents": []},
              {"uid": {"type": "Doc", "id": "memo"}, "attrs": {"classification": "public"}, "parents": []},
              {"uid": {"type": "Doc", "id": "hr"}, "attrs": {"classification": ["confidential", "pii"]}, "parents": []},
              {"uid": {"type": "Mailbox", "id": "external"}, "attrs": {"external": true}, "parents": []},
              {"uid": {"type": "Mailbox", "id": "internal"}, "attrs": {"external": false}, "parents": []}
            ]
            """;

    static final EntityUid BOT = EntityUid.of("Agent", "bot");
    static final EntityUid HELPER = EntityUid.of("Agent", "helper");
    static final EntityUid ALICE = EntityUid.of("User", "alice");
    static final EntityUid BOB = EntityUid.of("User", "bob");
    static final EntityUid SECRET = EntityUid.of("Doc", "secret");
    static final EntityUid MEMO = EntityUid.of("Doc", "memo");
    static final EntityUid EXTERNAL = EntityUid.of("Mailbox", "external");
    static final EntityUid INTERNAL = EntityUid.of("Mailbox", "internal");

    TestClock clock;
    SessionService sessions;
    InMemoryDecisionLog log;
    DecisionService service;

    @BeforeEach
    void setUp() {
        clock = new TestClock(T0);
        SessionConfig config = SessionConfig.builder()
                .labels(List.of("classification"), List.of("read"))
                .flushInterval(Duration.ofHours(1))
                .build();
        sessions = new SessionService(config, new InMemorySessionStore(), clock);
        PolicyStore store = new PolicyStore();
        store.update(PolicyBundle.of(Map.of("main.cedar", POLICIES)));
        Entities entities = EntityJson.parse(ENTITIES, null);
        log = new InMemoryDecisionLog();
        service = new DecisionService(store::current, new StaticEntityProvider(entities), log, clock, sessions);
    }

    @AfterEach
    void tearDown() {
        sessions.close();
    }

    CreatedSession start(VerifiedToken agentToken) {
        return sessions.create(SessionRequest.of(agentToken));
    }

    CreatedSession start(SessionRequest req) {
        return sessions.create(req);
    }

    DecisionResult decide(Session s, EntityUid principal, String action, EntityUid resource) {
        return service.decide(DecisionRequest.of(principal, EntityUid.of("Action", action), resource, RecordValue.EMPTY)
                .withSessionId(s.id()));
    }

    DecisionResult decide(Session s, String action, EntityUid resource) {
        return decide(s, s.agent(), action, resource);
    }

    // ---- the happy path ----

    @Test
    void allow_reasonsNameTheCheck_theLogNamesTheSession_andTheSessionCounts() {
        Session s = start(Tokens.agent("bot", T0)).session();
        DecisionResult r = decide(s, "read", MEMO);
        assertThat(r.allowed()).isTrue();
        assertThat(r.failure()).isNull();
        assertThat(r.reasons()).containsExactly("agent:agents-read");

        DecisionRecord rec = log.records().get(0);
        assertThat(rec.sessionId()).isEqualTo(s.id());
        assertThat(rec.principal()).isEqualTo(BOT.toString());

        Session after = sessions.get(s.id()).orElseThrow();
        assertThat(after.actionCount()).isEqualTo(1);
        assertThat(after.actionCounts()).containsExactly(Map.entry("read", 1L));
        assertThat(after.history()).singleElement().isEqualTo(new ActionEvent(T0, "Action::\"read\"", MEMO.toString()));
    }

    @Test
    void history_keepsTheNewestActionsUpToItsSize_oldestFirst_andCountsStayExact() {
        sessions.close();
        sessions = new SessionService(
                SessionConfig.builder()
                        .labels(List.of("classification"), List.of("read"))
                        .flushInterval(Duration.ofHours(1))
                        .historySize(3)
                        .build(),
                new InMemorySessionStore(),
                clock);
        PolicyStore store = new PolicyStore();
        store.update(PolicyBundle.of(Map.of("main.cedar", POLICIES)));
        service = new DecisionService(
                store::current, new StaticEntityProvider(EntityJson.parse(ENTITIES, null)), log, clock, sessions);
        Session s = start(Tokens.agent("bot", T0)).session();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            assertThat(decide(s, "read", MEMO).allowed()).isTrue();
        }

        Session after = sessions.get(s.id()).orElseThrow();
        assertThat(after.actionCount()).isEqualTo(5);
        assertThat(after.actionCounts()).containsExactly(Map.entry("read", 5L));
        assertThat(after.history())
                .extracting(ActionEvent::at)
                .containsExactly(T0.plusSeconds(3), T0.plusSeconds(4), T0.plusSeconds(5));
    }

    // ---- counting: only a final allow ----

    @Test
    void anAllowThatStillNeedsApproval_isNotCounted_theApprovedRetryIsCountedOnce() {
        ApprovalService approvals =
                new ApprovalService(new InMemoryApprovalStore(), ApprovalService.Options.defaults(), clock);
        PolicyStore store = new PolicyStore();
        store.update(PolicyBundle.of(Map.of("main.cedar", POLICIES)));
        DecisionService withApprovals = new DecisionService(
                store::current,
                new StaticEntityProvider(EntityJson.parse(ENTITIES, null)),
                log,
                clock,
                sessions,
                approvals);
        Session s = start(Tokens.agent("bot", T0)).session();
        DecisionRequest export = DecisionRequest.of(BOT, EntityUid.of("Action", "export"), SECRET, RecordValue.EMPTY)
                .withSessionId(s.id());

        DecisionResult first = withApprovals.decide(export);
        assertThat(first.allowed()).isFalse();
        Obligation needed = first.obligation(Obligation.APPROVAL_REQUIRED);
        assertThat(needed).isNotNull();
        Session untouched = sessions.get(s.id()).orElseThrow();
        assertThat(untouched.actionCount()).isZero();
        assertThat(untouched.actionCounts()).isEmpty();
        assertThat(untouched.history()).isEmpty();

        approvals.grant(needed.attributes().get("approval_id"), "carol", null);
        DecisionResult retried = withApprovals.decide(export);
        assertThat(retried.allowed()).as("%s", retried).isTrue();
        assertThat(sessions.get(s.id()).orElseThrow().actionCounts()).containsExactly(Map.entry("export", 1L));

        // used up: the next attempt needs approval again and is not counted either
        assertThat(withApprovals.decide(export).allowed()).isFalse();
        assertThat(sessions.get(s.id()).orElseThrow().actionCount()).isEqualTo(1);
    }

    @Test
    void aRevocationBetweenTheChecksAndTheCount_turnsTheAllowIntoADeny_andCountsNothing() {
        Session s = start(Tokens.agent("bot", T0)).session();
        // a guard that lets the session step decide, then revokes before the decision service commits
        SessionGuard revokingMidway = (request, view, authorizer, now) -> {
            SessionGuard.Outcome decided = sessions.decide(request, view, authorizer, now);
            assertThat(decided.allowed()).isTrue();
            sessions.revoke(s.id(), "revoked mid-decision");
            return decided;
        };
        PolicyStore store = new PolicyStore();
        store.update(PolicyBundle.of(Map.of("main.cedar", POLICIES)));
        DecisionService racing = new DecisionService(
                store::current, new StaticEntityProvider(EntityJson.parse(ENTITIES, null)), log, clock, revokingMidway);

        DecisionResult r =
                racing.decide(DecisionRequest.of(BOT, EntityUid.of("Action", "read"), MEMO, RecordValue.EMPTY)
                        .withSessionId(s.id()));
        assertThat(r.allowed()).isFalse();
        assertThat(r.failure()).contains("was revoked during the decision").contains("revoked mid-decision");
        Session after = sessions.get(s.id()).orElseThrow();
        assertThat(after.actionCount()).isZero();
        assertThat(after.labels()).isEmpty();
        assertThat(log.records().get(log.records().size() - 1).allowed()).isFalse();
    }

    @Test
    void anAllowThatNeedsApprovalWithoutAnApprovalService_failsClosedAndIsNotCounted() {
        Session s = start(Tokens.agent("bot", T0)).session();
        DecisionResult r = decide(s, "export", SECRET);
        assertThat(r.allowed()).isFalse();
        assertThat(r.failure()).contains("requires approval");
        assertThat(sessions.get(s.id()).orElseThrow().actionCount()).isZero();
    }

    @Test
    void requestsWithoutSession_areUnchanged() {
        DecisionResult r =
                service.decide(DecisionRequest.of(BOT, EntityUid.of("Action", "read"), MEMO, RecordValue.EMPTY));
        assertThat(r.allowed()).isTrue();
        assertThat(r.reasons()).containsExactly("agents-read");
        assertThat(log.records().get(0).sessionId()).isNull();
    }

    @Test
    void contextSession_carriesTheSessionsFacts() {
        Session s = start(
                        SessionRequest.of(Tokens.delegated("alice", "bot", T0)).withPurpose("audit"))
                .session();
        assertThat(decide(s, "read", MEMO).allowed()).isTrue();
        DecisionResult r = decide(s, "inspect", MEMO);
        assertThat(r.errors()).isEmpty();
        assertThat(r.allowed()).isTrue();
        assertThat(r.reasons()).containsExactly("agent:inspect", "user:inspect");
    }

    @Test
    void contextSession_replacesWhatTheCallerSent() {
        Session s = start(Tokens.agent("bot", T0)).session();
        assertThat(decide(s, "read", SECRET).allowed()).isTrue();
        // a caller claiming a clean session does not get one
        RecordValue forged = new RecordValue(Map.of(
                "session",
                new RecordValue(Map.<String, Value>of("labels", dev.portcullis.cedar.value.SetValue.EMPTY))));
        DecisionResult r =
                service.decide(DecisionRequest.of(BOT, EntityUid.of("Action", "send_email"), EXTERNAL, forged)
                        .withSessionId(s.id()));
        assertThat(r.allowed()).isFalse();
        assertThat(r.reasons()).contains("agent:no-exfiltration");
    }

    // ---- fail closed ----

    @Test
    void withoutSessions_aRequestNamingOneFailsClosed() {
        PolicyStore store = new PolicyStore();
        store.update(PolicyBundle.of(Map.of("main.cedar", POLICIES)));
        DecisionService plain = new DecisionService(store, new StaticEntityProvider(Entities.EMPTY), log);
        DecisionResult r = plain.decide(DecisionRequest.of(BOT, EntityUid.of("Action", "read"), MEMO, RecordValue.EMPTY)
                .withSessionId("ses_x"));
        assertThat(r.allowed()).isFalse();
        assertThat(r.failure()).isEqualTo("request names session `ses_x`, but sessions are not configured");
    }

    @Test
    void unknownSession_failsClosed() {
        DecisionResult r =
                service.decide(DecisionRequest.of(BOT, EntityUid.of("Action", "read"), MEMO, RecordValue.EMPTY)
                        .withSessionId("ses_0000"));
        assertThat(r.allowed()).isFalse();
        assertThat(r.failure()).isEqualTo("session `ses_0000` does not exist");
        assertThat(log.records().get(0).errors()).containsExactly("fail-closed: session `ses_0000` does not exist");
    }

    @Test
    void revoked_theNextDecisionDenies() {
        Session s = start(Tokens.agent("bot", T0)).session();
        assertThat(decide(s, "read", MEMO).allowed()).isTrue();
        sessions.revoke(s.id(), "operator stop");
        DecisionResult r = decide(s, "read", MEMO);
        assertThat(r.allowed()).isFalse();
        assertThat(r.failure()).isEqualTo("session `" + s.id() + "` is revoked: operator stop");
        assertThat(sessions.get(s.id()).orElseThrow().actionCount()).isEqualTo(1);
    }

    @Test
    void identitySignal_theNextDecisionDenies() {
        Session s = start(Tokens.delegated("alice", "bot", T0)).session();
        assertThat(decide(s, "read", MEMO).allowed()).isTrue();
        sessions.userDisabled(Tokens.ISSUER, "alice");
        assertThat(decide(s, "read", MEMO).failure()).contains("is revoked: account `alice` disabled");
    }

    @Test
    void expired_deniesAndEndsTheSession() {
        Session s = start(SessionRequest.of(Tokens.agent("bot", T0)).withExpiresIn(Duration.ofMinutes(10)))
                .session();
        clock.advance(Duration.ofMinutes(10));
        DecisionResult r = decide(s, "read", MEMO);
        assertThat(r.failure()).isEqualTo("session `" + s.id() + "` expired at " + T0.plus(Duration.ofMinutes(10)));
        assertThat(sessions.get(s.id()).orElseThrow().state()).isEqualTo(SessionState.EXPIRED);
    }

    @Test
    void expiredToken_deniesUntilRenewed() {
        VerifiedToken shortLived = Tokens.token("bot", List.of(), Map.of(), T0, Duration.ofMinutes(5));
        Session s = start(shortLived).session();
        clock.advance(Duration.ofMinutes(5));
        assertThat(decide(s, "read", MEMO).failure())
                .isEqualTo("the agent token of session `" + s.id() + "` expired at " + T0.plus(Duration.ofMinutes(5)));
        sessions.renew(s.id(), Tokens.agent("bot", clock.instant()), null);
        assertThat(decide(s, "read", MEMO).allowed()).isTrue();
    }

    @Test
    void principalOutsideTheSession_failsClosed() {
        Session s = start(Tokens.agent("bot", T0)).session();
        DecisionResult r = decide(s, HELPER, "read", MEMO);
        assertThat(r.failure())
                .isEqualTo("principal Agent::\"helper\" is neither the agent nor the user of session `" + s.id() + "`");
    }

    // ---- boundary ----

    @Test
    void boundary_denyNamesTheDimension_andIsAPolicyDecision() {
        Session s = start(SessionRequest.of(Tokens.agent("bot", T0))
                        .withBoundary(Boundary.ofActions(List.of("read")).withResources(List.of("Doc::*"))))
                .session();
        DecisionResult in = decide(s, "read", MEMO);
        assertThat(in.allowed()).isTrue();
        assertThat(in.reasons()).containsExactly("boundary:" + s.id(), "agent:agents-read");

        DecisionResult out = decide(s, "send_email", INTERNAL);
        assertThat(out.allowed()).isFalse();
        assertThat(out.failedClosed()).isFalse();
        assertThat(out.reasons())
                .containsExactlyInAnyOrder("boundary:" + s.id() + "/actions", "boundary:" + s.id() + "/resources");
        assertThat(sessions.boundaryPolicies(s.id())).contains("@id(\"" + s.id() + "/actions\")");
    }

    // ---- acting for a user; delegation ----

    @Test
    void actingForAUser_bothMustBeAllowed() {
        Session forBob = start(Tokens.delegated("bob", "bot", T0)).session();
        DecisionResult denied = decide(forBob, "read", MEMO);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.failedClosed()).isFalse();
        assertThat(denied.reasons()).containsExactly("agent:agents-read", "user:default-deny");

        Session forAlice = start(Tokens.delegated("alice", "bot", T0)).session();
        DecisionResult allowed = decide(forAlice, "read", MEMO);
        assertThat(allowed.allowed()).isTrue();
        assertThat(allowed.reasons()).containsExactly("agent:agents-read", "user:alice-read");
        // the principal may also be the user: both are still checked
        assertThat(decide(forBob, BOB, "read", MEMO).reasons())
                .containsExactly("agent:agents-read", "user:default-deny");
    }

    @Test
    void subAgent_cannotReachBeyondItsParentsBoundary() {
        CreatedSession parent =
                start(SessionRequest.of(Tokens.agent("bot", T0)).withBoundary(Boundary.ofActions(List.of("read"))));
        Session child = start(SessionRequest.of(Tokens.agent("bot", T0))
                        .withBoundary(Boundary.ofActions(List.of("read", "send_email")))
                        .withParent(parent.session().id(), parent.token()))
                .session();
        DecisionResult r = decide(child, "send_email", INTERNAL);
        assertThat(r.allowed()).isFalse();
        assertThat(r.reasons()).containsExactly("boundary:" + parent.session().id() + "/actions");
        assertThat(decide(child, "read", MEMO).allowed()).isTrue();
    }

    @Test
    void subAgent_needsItsParentsAgentToBeAllowedToo() {
        CreatedSession byHelper = start(Tokens.agent("helper", T0));
        Session botUnderHelper = start(SessionRequest.of(Tokens.agent("bot", T0))
                        .withParent(byHelper.session().id(), byHelper.token()))
                .session();
        DecisionResult r = decide(botUnderHelper, "delete", MEMO);
        assertThat(r.allowed()).isFalse();
        assertThat(r.reasons()).containsExactly("agent:bot-deletes", "parent:default-deny");

        CreatedSession byBot = start(Tokens.agent("bot", T0));
        Session helperUnderBot = start(SessionRequest.of(Tokens.agent("helper", T0))
                        .withParent(byBot.session().id(), byBot.token()))
                .session();
        assertThat(decide(helperUnderBot, "delete", MEMO).reasons())
                .containsExactly("agent:default-deny", "parent:bot-deletes");
    }

    @Test
    void subAgent_isDeniedOnceItsParentEnds() {
        CreatedSession parent = start(Tokens.agent("bot", T0));
        Session child = start(SessionRequest.of(Tokens.agent("helper", T0))
                        .withParent(parent.session().id(), parent.token()))
                .session();
        sessions.revoke(parent.session().id(), "stop");
        assertThat(decide(child, "read", MEMO).failure())
                .contains("is revoked: parent session `" + parent.session().id());
    }

    // ---- labels ----

    @Test
    void exfiltration_readingConfidentialDataStopsSendingOutside() {
        Session s = start(Tokens.agent("bot", T0)).session();
        assertThat(decide(s, "send_email", EXTERNAL).allowed()).isTrue();
        assertThat(decide(s, "read", SECRET).allowed()).isTrue();
        assertThat(sessions.get(s.id()).orElseThrow().labels()).containsExactly("confidential");

        DecisionResult r = decide(s, "send_email", EXTERNAL);
        assertThat(r.allowed()).isFalse();
        assertThat(r.reasons()).containsExactly("agent:no-exfiltration");
        assertThat(decide(s, "send_email", INTERNAL).allowed()).isTrue();
    }

    @Test
    void labels_areSharedByTheDelegationTree() {
        CreatedSession parent = start(Tokens.agent("bot", T0));
        Session child = start(SessionRequest.of(Tokens.agent("helper", T0))
                        .withParent(parent.session().id(), parent.token()))
                .session();
        assertThat(decide(child, "read", EntityUid.of("Doc", "hr")).allowed()).isTrue();
        assertThat(sessions.get(parent.session().id()).orElseThrow().labels())
                .containsExactlyInAnyOrder("confidential", "pii");
        assertThat(decide(parent.session(), "send_email", EXTERNAL).reasons()).containsExactly("agent:no-exfiltration");
    }

    @Test
    void labels_onlyFromConfiguredActions_andFromRequestFacts() {
        Session s = start(Tokens.agent("bot", T0)).session();
        // send_email does not carry labels
        assertThat(decide(s, "send_email", INTERNAL).allowed()).isTrue();
        assertThat(decide(s, "delete", SECRET).allowed()).isTrue();
        assertThat(sessions.get(s.id()).orElseThrow().labels()).isEmpty();

        // a resource the store does not know, described by the caller
        EntityUid report = EntityUid.of("Doc", "q3-report");
        DecisionRequest read = DecisionRequest.of(BOT, EntityUid.of("Action", "read"), report, RecordValue.EMPTY)
                .withFact(new Entity(
                        report, Map.of("classification", new StringValue("confidential")), Set.of(), Map.of()))
                .withSessionId(s.id());
        assertThat(service.decide(read).allowed()).isTrue();
        assertThat(sessions.get(s.id()).orElseThrow().labels()).containsExactly("confidential");
    }

    @Test
    void labels_notAddedByDeniedActions() {
        Session s = start(Tokens.delegated("bob", "bot", T0)).session();
        assertThat(decide(s, "read", SECRET).allowed()).isFalse();
        assertThat(sessions.get(s.id()).orElseThrow().labels()).isEmpty();
        assertThat(sessions.get(s.id()).orElseThrow().actionCount()).isZero();
    }

    // ---- limits ----

    @Test
    void maxActions_deniesOnceReached() {
        Session s = start(SessionRequest.of(Tokens.agent("bot", T0)).withLimits(Limits.maxActions(2)))
                .session();
        assertThat(decide(s, "read", MEMO).allowed()).isTrue();
        assertThat(decide(s, "read", MEMO).allowed()).isTrue();
        DecisionResult third = decide(s, "read", MEMO);
        assertThat(third.allowed()).isFalse();
        assertThat(third.failure()).isEqualTo("session `" + s.id() + "` reached its limit of 2 actions");
    }

    @Test
    void perActionRate_isASlidingWindow() {
        Session s = start(SessionRequest.of(Tokens.agent("bot", T0))
                        .withLimits(Limits.none().withRate("send_email", 2, Duration.ofMinutes(1))))
                .session();
        assertThat(decide(s, "send_email", INTERNAL).allowed()).isTrue();
        clock.advance(Duration.ofSeconds(30));
        assertThat(decide(s, "send_email", INTERNAL).allowed()).isTrue();
        assertThat(decide(s, "send_email", INTERNAL).failure())
                .isEqualTo("session `" + s.id() + "` reached its limit of 2 `send_email` per PT1M");
        assertThat(decide(s, "read", MEMO).allowed()).isTrue(); // other actions are not limited
        clock.advance(Duration.ofSeconds(31)); // the first send left the window
        assertThat(decide(s, "send_email", INTERNAL).allowed()).isTrue();
        assertThat(decide(s, "send_email", INTERNAL).allowed()).isFalse();
    }

    @Test
    void subAgentActions_countTowardsTheParentsLimits() {
        CreatedSession parent = start(SessionRequest.of(Tokens.agent("bot", T0)).withLimits(Limits.maxActions(1)));
        Session child = start(SessionRequest.of(Tokens.agent("helper", T0))
                        .withParent(parent.session().id(), parent.token()))
                .session();
        assertThat(decide(child, "read", MEMO).allowed()).isTrue();
        assertThat(sessions.get(parent.session().id()).orElseThrow().actionCount())
                .isEqualTo(1);
        assertThat(decide(parent.session(), "read", MEMO).failure()).contains("reached its limit of 1 actions");
        assertThat(decide(child, "read", MEMO).failure())
                .isEqualTo("parent session `" + parent.session().id() + "` reached its limit of 1 actions");
    }

    @Test
    void deniedActions_doNotCount() {
        Session s = start(SessionRequest.of(Tokens.agent("bot", T0)).withLimits(Limits.maxActions(1)))
                .session();
        assertThat(decide(s, "fly", MEMO).allowed()).isFalse();
        assertThat(decide(s, "read", MEMO).allowed()).isTrue();
    }
}
