package dev.portcullis.pdp.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.value.EntityUid;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SessionStore} must do; each implementation runs it through a subclass that
 * says how to open the store (the same store each time within a test).
 */
abstract class SessionStoreContract {
    static final Instant T0 = Instant.parse("2025-06-01T12:00:00.123Z");

    private final List<SessionStore> opened = new ArrayList<>();

    abstract SessionStore openStore();

    SessionStore open() {
        SessionStore s = openStore();
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(SessionStore::close);
    }

    /** A session with every field set, awkward characters included. */
    static StoredSession full(String id, long version, SessionState state) {
        Session s = new Session(
                id,
                EntityUid.of("Agent", "bot \"one\""),
                EntityUid.of("Ns::User", "alice"),
                "triage: ünïcødé\nand a newline",
                new Boundary(List.of("read", "Mail::Action::\"send\""), List.of("Tool::\"gh.*\""), List.of()),
                new Limits(10L, List.of(new Limits.RateLimit("send", 3, Duration.ofMinutes(5)))),
                "ses_parent",
                List.of("ses_parent", "ses_root"),
                T0,
                T0.plus(Duration.ofHours(1)),
                state,
                state == SessionState.ACTIVE ? null : "stopped",
                state == SessionState.ACTIVE ? null : T0.plusSeconds(60),
                List.of(
                        new TokenRef(
                                TokenRef.Role.AGENT,
                                "https://idp",
                                "alice",
                                "bot",
                                "jti-1",
                                "sid-1",
                                T0,
                                T0.plusSeconds(600)),
                        new TokenRef(
                                TokenRef.Role.USER,
                                "https://idp",
                                "alice",
                                null,
                                null,
                                null,
                                null,
                                T0.plusSeconds(900))),
                Set.of("confidential", "pii"),
                7,
                Map.of("read", 5L, "send", 2L),
                List.of(new ActionEvent(T0.plusMillis(5), "Action::\"read\"", "Doc::\"a\"")));
        return new StoredSession(
                s,
                version,
                "ab".repeat(32),
                T0.plusSeconds(300),
                List.of(List.of(T0.toEpochMilli(), T0.toEpochMilli() + 7)));
    }

    static StoredSession minimal(String id, long version) {
        Session s = new Session(
                id,
                EntityUid.of("Agent", "bot"),
                null,
                "",
                Boundary.unrestricted(),
                Limits.none(),
                null,
                List.of(),
                T0,
                T0.plusSeconds(60),
                SessionState.ACTIVE,
                null,
                null,
                List.of(new TokenRef(
                        TokenRef.Role.AGENT, "https://idp", "bot", null, null, null, null, T0.plusSeconds(60))),
                Set.of(),
                0,
                Map.of(),
                List.of());
        return new StoredSession(s, version, null, null, List.of());
    }

    @Test
    void save_thenLoad_returnsEveryField() {
        SessionStore store = open();
        StoredSession full = full("ses_1", 3, SessionState.REVOKED);
        StoredSession minimal = minimal("ses_2", 1);
        store.save(List.of(full, minimal));
        assertThat(store.load("ses_1")).isEqualTo(full);
        assertThat(store.load("ses_2")).isEqualTo(minimal);
        assertThat(store.load("ses_3")).isNull();
        assertThat(store.loadAll()).containsExactlyInAnyOrder(full, minimal);
    }

    @Test
    void save_neverReplacesANewerVersion() {
        SessionStore store = open();
        StoredSession revoked = full("ses_1", 5, SessionState.REVOKED);
        store.save(List.of(revoked));
        // a write-behind snapshot taken before the revocation arrives late
        store.save(List.of(full("ses_1", 4, SessionState.ACTIVE)));
        assertThat(store.load("ses_1")).isEqualTo(revoked);
        store.save(List.of(full("ses_1", 5, SessionState.ACTIVE)));
        assertThat(store.load("ses_1").session().state()).isEqualTo(SessionState.REVOKED);
        StoredSession newer = full("ses_1", 6, SessionState.EXPIRED);
        store.save(List.of(newer));
        assertThat(store.load("ses_1")).isEqualTo(newer);
    }

    @Test
    void loadByTokenHash_findsTheCurrentToken() {
        SessionStore store = open();
        store.save(List.of(full("ses_1", 1, SessionState.ACTIVE), minimal("ses_2", 1)));
        assertThat(store.loadByTokenHash("ab".repeat(32)).id()).isEqualTo("ses_1");
        assertThat(store.loadByTokenHash("cd".repeat(32))).isNull();
    }

    @Test
    void persistsAcrossReopening() {
        open().save(List.of(full("ses_1", 1, SessionState.ACTIVE)));
        assertThat(open().load("ses_1")).isEqualTo(full("ses_1", 1, SessionState.ACTIVE));
    }

    @Test
    void deleteEndedBefore_keepsActiveAndRecentlyEnded() {
        SessionStore store = open();
        store.save(List.of(
                full("ses_old", 1, SessionState.REVOKED), // ended at T0 + 60 s
                minimal("ses_live", 1)));
        assertThat(store.deleteEndedBefore(T0.plusSeconds(60))).isZero();
        assertThat(store.deleteEndedBefore(T0.plusSeconds(61))).isEqualTo(1);
        assertThat(store.loadAll()).extracting(StoredSession::id).containsExactly("ses_live");
    }

    @Test
    void signals_saveReplaceDeleteAndExpire() {
        SessionStore store = open();
        IdentitySignal disabled = new IdentitySignal(IdentitySignal.Kind.ACCOUNT_DISABLED, null, "alice", T0, null);
        IdentitySignal revoked =
                new IdentitySignal(IdentitySignal.Kind.TOKEN_REVOKED, "https://idp", "jti-1", T0, T0.plusSeconds(10));
        IdentitySignal changed =
                new IdentitySignal(IdentitySignal.Kind.CREDENTIAL_CHANGED, "https://idp", "bob", T0, null);
        store.saveSignal(disabled);
        store.saveSignal(revoked);
        store.saveSignal(changed);
        IdentitySignal changedAgain = new IdentitySignal(
                IdentitySignal.Kind.CREDENTIAL_CHANGED, "https://idp", "bob", T0.plusSeconds(5), null);
        store.saveSignal(changedAgain);
        assertThat(store.loadSignals()).containsExactlyInAnyOrder(disabled, revoked, changedAgain);

        // the issuer is part of the key: the signal for every issuer is another one
        store.deleteSignal(IdentitySignal.Kind.ACCOUNT_DISABLED, "https://idp", "alice");
        assertThat(store.loadSignals()).contains(disabled);
        store.deleteSignal(IdentitySignal.Kind.ACCOUNT_DISABLED, null, "alice");
        assertThat(store.loadSignals()).doesNotContain(disabled);

        assertThat(store.deleteSignalsBefore(T0.plusSeconds(10))).isZero();
        assertThat(store.deleteSignalsBefore(T0.plusSeconds(11))).isEqualTo(1);
        assertThat(store.loadSignals()).containsExactly(changedAgain);
    }
}
