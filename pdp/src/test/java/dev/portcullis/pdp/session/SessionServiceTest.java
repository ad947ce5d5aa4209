package dev.portcullis.pdp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.pdp.TestClock;
import dev.portcullis.pdp.identity.VerifiedToken;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionServiceTest {
    static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    static final EntityUid BOT = EntityUid.of("Agent", "bot");
    static final EntityUid HELPER = EntityUid.of("Agent", "helper");
    static final EntityUid ALICE = EntityUid.of("User", "alice");
    static final EntityUid BOB = EntityUid.of("User", "bob");

    TestClock clock;
    InMemorySessionStore store;
    SessionService sessions;

    @BeforeEach
    void setUp() {
        clock = new TestClock(T0);
        store = new InMemorySessionStore();
        sessions =
                open(SessionConfig.builder().flushInterval(Duration.ofHours(1)).build());
    }

    SessionService open(SessionConfig config) {
        return new SessionService(config, store, clock);
    }

    @AfterEach
    void tearDown() {
        sessions.close();
    }

    VerifiedToken agent(String name) {
        return Tokens.agent(name, clock.instant());
    }

    CreatedSession start(VerifiedToken agentToken) {
        return sessions.create(SessionRequest.of(agentToken));
    }

    static void refused(ThrowingCallable call, SessionException.Kind kind, String message) {
        assertThatThrownBy(call)
                .isInstanceOf(SessionException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((SessionException) e).kind())
                .isEqualTo(kind);
    }

    // ---- who ----

    @Test
    void create_agentFromSub() {
        CreatedSession c = sessions.create(SessionRequest.of(agent("bot")).withPurpose("triage"));
        Session s = c.session();
        assertThat(s.id()).matches("ses_[0-9a-f]{32}");
        assertThat(s.agent()).isEqualTo(BOT);
        assertThat(s.onBehalfOf()).isNull();
        assertThat(s.purpose()).isEqualTo("triage");
        assertThat(s.state()).isEqualTo(SessionState.ACTIVE);
        assertThat(s.createdAt()).isEqualTo(T0);
        assertThat(s.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(s.tokens()).singleElement().satisfies(t -> {
            assertThat(t.role()).isEqualTo(TokenRef.Role.AGENT);
            assertThat(t.subject()).isEqualTo("bot");
            assertThat(t.issuer()).isEqualTo(Tokens.ISSUER);
        });
        assertThat(store.load(s.id())).isNotNull();
    }

    @Test
    void create_agentIdFromAConfiguredClaim() {
        sessions.close();
        sessions = open(SessionConfig.builder().agent("Bot", "client_id").build());
        VerifiedToken t = Tokens.token(
                "svc-123", List.of(), Map.of("client_id", "mail-bot"), clock.instant(), Duration.ofHours(1));
        assertThat(start(t).session().agent()).isEqualTo(EntityUid.of("Bot", "mail-bot"));
        refused(() -> start(agent("x")), SessionException.Kind.INVALID_REQUEST, "has no string claim `client_id`");
    }

    @Test
    void create_delegatedToken_subIsTheUser_actSubTheAgent() {
        Session s = start(Tokens.delegated("alice", "bot", clock.instant())).session();
        assertThat(s.agent()).isEqualTo(BOT);
        assertThat(s.onBehalfOf()).isEqualTo(ALICE);
        assertThat(s.tokens().get(0).actor()).isEqualTo("bot");
    }

    @Test
    void create_userToken_namesTheUser_andMustAgreeWithTheActChain() {
        Session s = sessions.create(SessionRequest.of(agent("bot")).withUserToken(Tokens.user("alice", T0)))
                .session();
        assertThat(s.onBehalfOf()).isEqualTo(ALICE);
        assertThat(s.tokens()).extracting(TokenRef::role).containsExactly(TokenRef.Role.AGENT, TokenRef.Role.USER);

        refused(
                () -> sessions.create(
                        SessionRequest.of(Tokens.delegated("alice", "bot", T0)).withUserToken(Tokens.user("bob", T0))),
                SessionException.Kind.INVALID_REQUEST,
                "the user token is for User::\"bob\" but the agent token acts for User::\"alice\"");
        refused(
                () -> sessions.create(
                        SessionRequest.of(agent("bot")).withUserToken(Tokens.delegated("alice", "other", T0))),
                SessionException.Kind.INVALID_REQUEST,
                "the user token is itself delegated");
    }

    @Test
    void create_refusesExpiredTokensAndBadDurations() {
        VerifiedToken old =
                Tokens.token("bot", List.of(), Map.of(), T0.minus(Duration.ofHours(3)), Duration.ofHours(1));
        refused(() -> start(old), SessionException.Kind.FORBIDDEN, "agent token expired at");
        refused(
                () -> sessions.create(SessionRequest.of(agent("bot")).withExpiresIn(Duration.ofDays(2))),
                SessionException.Kind.INVALID_REQUEST,
                "expires_in: `PT48H` is longer than the allowed PT24H");
        refused(
                () -> sessions.create(SessionRequest.of(agent("bot")).withExpiresIn(Duration.ZERO)),
                SessionException.Kind.INVALID_REQUEST,
                "expires_in: `PT0S` is not positive");
        refused(
                () -> sessions.create(
                        SessionRequest.of(agent("bot")).withBoundary(Boundary.ofActions(List.of("User::\"x\"")))),
                SessionException.Kind.INVALID_REQUEST,
                "boundary.actions[0]");
        refused(
                () -> sessions.create(SessionRequest.of(agent("bot"))
                        .withLimits(Limits.none().withRate("", 1, Duration.ofMinutes(1)))),
                SessionException.Kind.INVALID_REQUEST,
                "limits.per_action");
        assertThat(sessions.list(SessionFilter.all())).isEmpty();
    }

    // ---- tokens ----

    @Test
    void sessionToken_isOpaque_storedAsHashOnly_andExpires() {
        CreatedSession c = start(agent("bot"));
        assertThat(c.token()).matches("pst_[A-Za-z0-9_-]{43}");
        assertThat(c.tokenExpiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
        StoredSession st = store.load(c.session().id());
        assertThat(st.tokenHash()).isEqualTo(SessionSecrets.hash(c.token())).doesNotContain(c.token());
        assertThat(SessionJson.stored(st)).doesNotContain(c.token());

        assertThat(sessions.authenticate(c.token()))
                .map(Session::id)
                .contains(c.session().id());
        assertThat(sessions.authenticate(c.token() + "x")).isEmpty();
        assertThat(sessions.authenticate(null)).isEmpty();
        assertThat(sessions.sessionIdFor(c.token())).isEqualTo(c.session().id());
        assertThat(sessions.sessionIdFor(c.token() + "x")).isNull();
        clock.advance(Duration.ofMinutes(15));
        assertThat(sessions.authenticate(c.token())).isEmpty();
        assertThat(sessions.sessionIdFor(c.token())).isNull();
    }

    @Test
    void isActive_followsRevocationAndExpiry() {
        String revoked = start(agent("bot")).session().id();
        String expiring = start(agent("bot")).session().id();
        assertThat(sessions.isActive(revoked)).isTrue();
        assertThat(sessions.isActive("ses_unknown")).isFalse();

        sessions.revoke(revoked, "done");
        assertThat(sessions.isActive(revoked)).isFalse();
        assertThat(sessions.isActive(expiring)).isTrue();
        clock.advance(Duration.ofHours(1));
        assertThat(sessions.isActive(expiring)).isFalse();
    }

    @Test
    void renew_bindsFreshTokensAndReplacesTheSessionToken() {
        CreatedSession c = start(agent("bot"));
        clock.advance(Duration.ofMinutes(30));
        CreatedSession r = sessions.renew(c.session().id(), agent("bot"), null);
        assertThat(r.session().id()).isEqualTo(c.session().id());
        assertThat(r.token()).isNotEqualTo(c.token());
        assertThat(sessions.authenticate(c.token())).isEmpty();
        assertThat(sessions.authenticate(r.token())).isPresent();
        assertThat(r.session().tokens().get(0).issuedAt()).isAfter(T0);

        refused(
                () -> sessions.renew(c.session().id(), agent("other"), null),
                SessionException.Kind.FORBIDDEN,
                "the agent token is for Agent::\"other\"");
        sessions.revoke(c.session().id(), "done");
        refused(
                () -> sessions.renew(c.session().id(), agent("bot"), null),
                SessionException.Kind.CONFLICT,
                "is revoked and cannot be renewed");
    }

    @Test
    void renew_ofASessionForAUser_needsThatUser() {
        CreatedSession c = start(Tokens.delegated("alice", "bot", T0));
        refused(
                () -> sessions.renew(c.session().id(), agent("bot"), null),
                SessionException.Kind.FORBIDDEN,
                "acts for User::\"alice\"");
        assertThat(sessions.renew(c.session().id(), Tokens.delegated("alice", "bot", T0), null)
                        .session()
                        .onBehalfOf())
                .isEqualTo(ALICE);
    }

    // ---- reading ----

    @Test
    void list_filtersByAgentUserAndState() {
        Session a = start(agent("bot")).session();
        Session b = start(Tokens.delegated("alice", "bot", T0)).session();
        Session c = start(Tokens.delegated("bob", "helper", T0)).session();
        sessions.revoke(c.id(), "done");

        assertThat(sessions.list(SessionFilter.all()))
                .extracting(Session::id)
                .containsExactlyInAnyOrder(a.id(), b.id(), c.id());
        assertThat(sessions.list(new SessionFilter(BOT, null, null)))
                .extracting(Session::id)
                .containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(sessions.list(new SessionFilter(null, ALICE, null)))
                .extracting(Session::id)
                .containsExactly(b.id());
        assertThat(sessions.list(new SessionFilter(null, null, SessionState.REVOKED)))
                .extracting(Session::id)
                .containsExactly(c.id());
        assertThat(sessions.get("ses_nope")).isEmpty();
    }

    @Test
    void expiry_showsAsExpired() {
        Session s = sessions.create(SessionRequest.of(agent("bot")).withExpiresIn(Duration.ofMinutes(5)))
                .session();
        clock.advance(Duration.ofMinutes(5));
        Session now = sessions.get(s.id()).orElseThrow();
        assertThat(now.state()).isEqualTo(SessionState.EXPIRED);
        assertThat(now.endedAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(sessions.list(new SessionFilter(null, null, SessionState.EXPIRED)))
                .hasSize(1);
    }

    // ---- ending ----

    @Test
    void revoke_endsTheSessionAndItsSubAgents_andIsIdempotent() {
        CreatedSession root = start(agent("bot"));
        CreatedSession child = sessions.create(
                SessionRequest.of(agent("helper")).withParent(root.session().id(), root.token()));
        CreatedSession grandchild = sessions.create(
                SessionRequest.of(agent("helper")).withParent(child.session().id(), child.token()));

        Session r = sessions.revoke(root.session().id(), "operator stop");
        assertThat(r.state()).isEqualTo(SessionState.REVOKED);
        assertThat(r.endReason()).isEqualTo("operator stop");
        assertThat(r.endedAt()).isEqualTo(T0);
        Session g = sessions.get(grandchild.session().id()).orElseThrow();
        assertThat(g.state()).isEqualTo(SessionState.REVOKED);
        assertThat(g.endReason()).contains("parent session `" + child.session().id() + "` revoked");
        assertThat(store.load(grandchild.session().id()).session().state()).isEqualTo(SessionState.REVOKED);

        clock.advance(Duration.ofMinutes(1));
        assertThat(sessions.revoke(root.session().id(), "again").endReason()).isEqualTo("operator stop");
        refused(() -> sessions.revoke("ses_nope", null), SessionException.Kind.NOT_FOUND, "`ses_nope` does not exist");
    }

    @Test
    void revokeAllForAgentAndForUser() {
        Session a = start(agent("bot")).session();
        Session b = start(Tokens.delegated("alice", "bot", T0)).session();
        Session c = start(Tokens.delegated("alice", "helper", T0)).session();
        Session d = start(agent("helper")).session();

        assertThat(sessions.revokeAllForUser(ALICE, null)).containsExactlyInAnyOrder(b.id(), c.id());
        assertThat(sessions.revokeAllForAgent(BOT, "bot retired")).containsExactly(a.id());
        assertThat(sessions.get(a.id()).orElseThrow().endReason()).isEqualTo("bot retired");
        assertThat(sessions.get(c.id()).orElseThrow().endReason())
                .isEqualTo("all sessions for User::\"alice\" revoked");
        assertThat(sessions.get(d.id()).orElseThrow().state()).isEqualTo(SessionState.ACTIVE);
    }

    // ---- sub-agents ----

    @Test
    void subAgent_needsTheParentsCurrentToken() {
        CreatedSession root = start(Tokens.delegated("alice", "bot", T0));
        refused(
                () -> sessions.create(SessionRequest.of(agent("helper"))
                        .withParent(root.session().id(), null)),
                SessionException.Kind.INVALID_REQUEST,
                "parent_token");
        refused(
                () -> sessions.create(SessionRequest.of(agent("helper"))
                        .withParent(root.session().id(), "pst_forged")),
                SessionException.Kind.FORBIDDEN,
                "not the current session token");
        refused(
                () -> sessions.create(SessionRequest.of(agent("helper")).withParent("ses_nope", root.token())),
                SessionException.Kind.NOT_FOUND,
                "parent session `ses_nope` does not exist");

        Session child = sessions.create(SessionRequest.of(agent("helper"))
                        .withExpiresIn(Duration.ofHours(5))
                        .withParent(root.session().id(), root.token()))
                .session();
        assertThat(child.parentId()).isEqualTo(root.session().id());
        assertThat(child.parents()).containsExactly(root.session().id());
        assertThat(child.onBehalfOf()).isEqualTo(ALICE); // inherited
        assertThat(child.expiresAt()).isEqualTo(root.session().expiresAt()); // never outlives the parent

        refused(
                () -> sessions.create(SessionRequest.of(Tokens.delegated("bob", "helper", T0))
                        .withParent(root.session().id(), root.token())),
                SessionException.Kind.INVALID_REQUEST,
                "its parent acts for User::\"alice\"");

        sessions.revoke(root.session().id(), null);
        refused(
                () -> sessions.create(SessionRequest.of(agent("helper"))
                        .withParent(root.session().id(), root.token())),
                SessionException.Kind.CONFLICT,
                "parent session `" + root.session().id() + "` is revoked");
    }

    // ---- identity signals ----

    @Test
    void userDisabled_revokesAndRefusesNewSessions_untilEnabled() {
        Session forAlice = start(Tokens.delegated("alice", "bot", T0)).session();
        Session aliceToken = sessions.create(SessionRequest.of(agent("helper")).withUserToken(Tokens.user("alice", T0)))
                .session();
        Session other = start(Tokens.delegated("bob", "bot", T0)).session();

        assertThat(sessions.userDisabled(Tokens.ISSUER, "alice"))
                .containsExactlyInAnyOrder(forAlice.id(), aliceToken.id());
        assertThat(sessions.get(forAlice.id()).orElseThrow().endReason()).isEqualTo("account `alice` disabled");
        assertThat(sessions.get(other.id()).orElseThrow().isActive()).isTrue();
        refused(
                () -> start(Tokens.delegated("alice", "bot", T0)),
                SessionException.Kind.FORBIDDEN,
                "agent token refused: account `alice` at `" + Tokens.ISSUER + "` is disabled");

        // a disabled agent (the acting party of a delegated token) counts too
        assertThat(sessions.userDisabled(null, "bot")).containsExactly(other.id());

        sessions.userEnabled(Tokens.ISSUER, "alice");
        sessions.userEnabled(null, "bot");
        assertThat(start(Tokens.delegated("alice", "bot", T0)).session().isActive())
                .isTrue();
    }

    @Test
    void credentialChanged_refusesTokensIssuedBefore() {
        Session s = start(Tokens.delegated("alice", "bot", T0)).session();
        clock.advance(Duration.ofMinutes(1));
        assertThat(sessions.credentialChanged(Tokens.ISSUER, "alice", clock.instant()))
                .containsExactly(s.id());
        refused(() -> start(Tokens.delegated("alice", "bot", T0)), SessionException.Kind.FORBIDDEN, "changed at");
        clock.advance(Duration.ofMinutes(1));
        assertThat(start(Tokens.delegated("alice", "bot", clock.instant()))
                        .session()
                        .isActive())
                .isTrue();
    }

    @Test
    void tokenRevoked_endsItsSessionsAndRefusesIt() {
        VerifiedToken t = agent("bot");
        Session s = start(t).session();
        Session other = start(agent("bot")).session();
        assertThat(sessions.tokenRevoked(Tokens.ISSUER, t.tokenId())).containsExactly(s.id());
        assertThat(sessions.get(other.id()).orElseThrow().isActive()).isTrue();
        refused(() -> start(t), SessionException.Kind.FORBIDDEN, "token `" + t.tokenId());
        assertThat(sessions.signals())
                .extracting(IdentitySignal::kind)
                .containsExactly(IdentitySignal.Kind.TOKEN_REVOKED);
    }

    @Test
    void idpSessionRevoked_bySidOrWholeSubject() {
        VerifiedToken withSid = Tokens.token(
                "alice",
                List.of(new VerifiedToken.Actor("bot", null)),
                Map.of("sid", "idp-1"),
                T0,
                Duration.ofHours(1));
        Session s1 = start(withSid).session();
        Session s2 = start(Tokens.delegated("alice", "bot", T0)).session();
        assertThat(sessions.idpSessionRevoked(Tokens.ISSUER, "alice", "idp-1")).containsExactly(s1.id());
        assertThat(sessions.get(s2.id()).orElseThrow().isActive()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(sessions.idpSessionRevoked(Tokens.ISSUER, "alice", null)).containsExactly(s2.id());
    }

    @Test
    void signals_survivePurgingOnlyUntilTheirTime() {
        sessions.tokenRevoked(null, "jti-1");
        sessions.userDisabled(null, "carol");
        clock.advance(SessionService.SIGNAL_RETENTION.plusSeconds(1));
        sessions.sweep();
        assertThat(sessions.signals())
                .extracting(IdentitySignal::kind)
                .containsExactly(IdentitySignal.Kind.ACCOUNT_DISABLED);
        assertThat(store.loadSignals()).hasSize(1);
    }

    @Test
    void sweep_purgesSessionsEndedLongerAgoThanTheRetention() {
        Session old = start(agent("bot")).session();
        sessions.revoke(old.id(), null);
        clock.advance(Duration.ofHours(23));
        Session recent = start(agent("bot")).session();
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        sessions.sweep();
        assertThat(sessions.get(old.id())).isEmpty();
        assertThat(store.load(old.id())).isNull();
        // expired a second ago: kept, and the sweep recorded the expiry
        assertThat(sessions.get(recent.id()).orElseThrow().state()).isEqualTo(SessionState.EXPIRED);
        assertThat(store.load(recent.id()).session().state()).isEqualTo(SessionState.EXPIRED);
    }
}
