package dev.portcullis.pdp.session;

import dev.portcullis.cedar.Authorizer;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.pdp.DecisionRequest;
import dev.portcullis.pdp.SessionGuard;
import dev.portcullis.pdp.identity.VerifiedToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * Agent sessions: started from verified tokens, checked on every decision, ended by an
 * administrator, an identity-provider signal, their parent, or time. The Java API that
 * enforcement points and the server build on; also the {@link SessionGuard} of the {@link
 * dev.portcullis.pdp.DecisionService}.
 *
 * <pre>
 * Authority and persistence
 *   Every session lives in memory (a ConcurrentHashMap) and decisions read it from there only.
 *   Starting, renewing and ending a session write the store before the call returns; counters,
 *   labels and history are written behind, every flush_interval, by one background thread
 *   (sooner when labels grow). A crash loses at most that interval of counting. With a shared
 *   (PostgreSQL) store each node counts the decisions it makes itself; see docs/sessions.md.
 *
 * Revocation is visible to the very next decision
 *   revoke() sets the state (volatile) under the tree lock before it returns. A decision reads
 *   the state when it starts, and again under the same lock when it counts an allow, after the
 *   policies. So a decision that starts after revoke() returned sees the revocation, and one that
 *   was already past its first check but had not yet counted its allow is turned into a deny.
 * </pre>
 *
 * <p>Thread-safe.
 */
public final class SessionService implements SessionGuard, AutoCloseable {
    /** How long a revoked token id or identity-provider session id is remembered. */
    static final Duration SIGNAL_RETENTION = Duration.ofDays(30);

    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
    private static final int MAX_PURPOSE = 1000;

    private final SessionConfig config;
    private final SessionStore store;
    private final Clock clock;
    private final Map<String, LiveSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, LiveSession> byTokenHash = new ConcurrentHashMap<>();
    private final Map<String, IdentitySignal> signals = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<LiveSession> dirty = new ConcurrentLinkedQueue<>();
    private final SessionDecider decider;
    private final WriteBehind writeBehind;
    /** The store's announcements of other nodes' changes (nothing for a store of one process). */
    private final AutoCloseable changes;

    public SessionService(SessionConfig config, SessionStore store) {
        this(config, store, Clock.systemUTC());
    }

    /** Loads the stored sessions and signals and starts writing behind. */
    public SessionService(SessionConfig config, SessionStore store, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (IdentitySignal s : store.loadSignals()) {
            signals.put(signalKey(s.kind(), s.issuer(), s.key()), s);
        }
        load(store.loadAll());
        this.decider = new SessionDecider(config, this);
        this.writeBehind =
                new WriteBehind("session-write-behind", config.flushInterval(), this::flush, this::sweep, SWEEP_EVERY);
        this.changes = store.subscribe(this::changed);
    }

    // ---- starting ----

    /**
     * Starts a session. The tokens must be unexpired and not refused by an identity signal; a
     * sub-agent's parent must be active and {@code parentToken} its current session token.
     *
     * @throws SessionException {@code INVALID_REQUEST} (bad boundary, limits, duration, token
     *     mapping), {@code FORBIDDEN} (a token may not start a session), {@code NOT_FOUND} (no such
     *     parent), {@code CONFLICT} (the parent is not active), {@code UNAVAILABLE} (the store)
     */
    public CreatedSession create(SessionRequest req) {
        Instant now = clock.instant();
        TokenMapping who = TokenMapping.of(config, req.agentToken(), req.userToken());
        checkTokens(who.tokens(), now);
        if (req.purpose().length() > MAX_PURPOSE) {
            throw Names.invalid("purpose", "longer than " + MAX_PURPOSE + " characters");
        }
        Duration expiresIn = req.expiresIn() == null ? config.defaultExpiresIn() : req.expiresIn();
        if (expiresIn.isNegative() || expiresIn.isZero()) {
            throw Names.invalid("expires_in", "`" + expiresIn + "` is not positive");
        }
        if (expiresIn.compareTo(config.maxExpiresIn()) > 0) {
            throw Names.invalid(
                    "expires_in", "`" + expiresIn + "` is longer than the allowed " + config.maxExpiresIn());
        }
        LiveSession parent = null;
        EntityUid user = who.user();
        if (req.parentId() != null) {
            parent = live(req.parentId());
            if (parent == null) {
                throw new SessionException(
                        SessionException.Kind.NOT_FOUND, "parent session `" + req.parentId() + "` does not exist");
            }
            requireCurrentToken(parent, req.parentToken(), now);
            if (user == null) {
                user = parent.onBehalfOf;
            } else if (parent.onBehalfOf != null && !parent.onBehalfOf.equals(user)) {
                throw Names.invalid(
                        "user_token",
                        "the session would act for " + user + " but its parent acts for " + parent.onBehalfOf);
            }
        }
        Instant expiresAt = now.plus(expiresIn);
        if (parent != null && parent.expiresAt.isBefore(expiresAt)) {
            expiresAt = parent.expiresAt;
        }
        String id = SessionSecrets.newId();
        CompiledBoundary compiled = CompiledBoundary.compile(
                id,
                req.boundary(),
                parent == null ? CompiledBoundary.NONE : parent.compiled,
                config.datasetAttribute());
        LiveSession s = new LiveSession(
                id,
                who.agent(),
                user,
                req.purpose(),
                req.boundary(),
                req.limits(),
                parent,
                now,
                expiresAt,
                compiled,
                who.tokens());
        String token = SessionSecrets.newToken();
        StoredSession stored;
        synchronized (s.tree.lock) {
            if (parent != null) {
                String problem = parent.chainProblem(now.toEpochMilli());
                if (problem != null) {
                    throw new SessionException(SessionException.Kind.CONFLICT, "parent " + problem);
                }
                parent.children.add(s);
            }
            issueToken(s, token, now);
            s.version = 1;
            stored = s.stored();
        }
        try {
            store.save(List.of(stored));
        } catch (RuntimeException e) {
            if (parent != null) {
                parent.children.remove(s);
            }
            throw e;
        }
        sessions.put(id, s);
        byTokenHash.put(s.tokenHash, s);
        return new CreatedSession(snapshot(s), token, s.tokenExpiresAt);
    }

    /**
     * Binds fresh tokens to an active session (its agent's, and its user's when it acts for one)
     * and issues a new session token; the previous session token stops working.
     */
    public CreatedSession renew(String id, VerifiedToken agentToken, VerifiedToken userToken) {
        Instant now = clock.instant();
        LiveSession s = require(id);
        TokenMapping who = TokenMapping.of(config, agentToken, userToken);
        if (!who.agent().equals(s.agent)) {
            throw new SessionException(
                    SessionException.Kind.FORBIDDEN,
                    "the agent token is for " + who.agent() + ", but session `" + id + "` is " + s.agent + "'s");
        }
        boolean ownUser = s.tokens().stream().anyMatch(t -> t.role() == TokenRef.Role.USER || t.actor() != null);
        if (ownUser && !Objects.equals(who.user(), s.onBehalfOf)) {
            throw new SessionException(
                    SessionException.Kind.FORBIDDEN,
                    "session `" + id + "` acts for " + s.onBehalfOf + "; renew it with a token for that user");
        }
        checkTokens(who.tokens(), now);
        String token = SessionSecrets.newToken();
        StoredSession stored;
        synchronized (s.tree.lock) {
            // an expired token is what renewal is for; an ended or overdue session stays ended
            if (s.state != SessionState.ACTIVE || !now.isBefore(s.expiresAt)) {
                throw new SessionException(
                        SessionException.Kind.CONFLICT,
                        "session `" + id + "` is " + s.visibleState(now).wireName() + " and cannot be renewed");
            }
            s.setTokens(who.tokens());
            issueToken(s, token, now);
            s.version++;
            stored = s.stored();
        }
        persist(List.of(stored), List.of(s));
        return new CreatedSession(snapshot(s), token, s.tokenExpiresAt);
    }

    /** Replaces the session token. Called under the tree lock. */
    private void issueToken(LiveSession s, String token, Instant now) {
        if (s.tokenHash != null) {
            byTokenHash.remove(s.tokenHash);
        }
        s.tokenHash = SessionSecrets.hash(token);
        Instant ttl = now.plus(config.tokenTtl());
        s.tokenExpiresAt = ttl.isBefore(s.expiresAt) ? ttl : s.expiresAt;
        byTokenHash.put(s.tokenHash, s);
    }

    private void requireCurrentToken(LiveSession s, String token, Instant now) {
        if (token == null || token.isEmpty()) {
            throw Names.invalid("parent_token", "a sub-agent session needs its parent's session token");
        }
        if (s.tokenHash == null
                || !SessionSecrets.sameHash(s.tokenHash, SessionSecrets.hash(token))
                || !now.isBefore(s.tokenExpiresAt)) {
            throw new SessionException(
                    SessionException.Kind.FORBIDDEN,
                    "parent_token: not the current session token of session `" + s.id + "` (or it expired)");
        }
    }

    /** Refuses tokens that expired or that an identity signal concerns. */
    private void checkTokens(List<TokenRef> tokens, Instant now) {
        for (TokenRef t : tokens) {
            String which = t.role().name().toLowerCase(java.util.Locale.ROOT) + " token";
            if (!now.isBefore(t.expiresAt())) {
                throw new SessionException(SessionException.Kind.FORBIDDEN, which + " expired at " + t.expiresAt());
            }
            for (IdentitySignal s : signals.values()) {
                if (s.refuses(t)) {
                    throw new SessionException(SessionException.Kind.FORBIDDEN, which + " refused: " + s.describe());
                }
            }
        }
    }

    // ---- reading ----

    /** The session, if it exists (an ended one too, until it is purged). */
    public Optional<Session> get(String id) {
        LiveSession s = live(id);
        return s == null ? Optional.empty() : Optional.of(snapshot(s));
    }

    /** The sessions the filter selects, oldest first. */
    public List<Session> list(SessionFilter filter) {
        Instant now = clock.instant();
        Map<String, Session> out = new LinkedHashMap<>();
        for (LiveSession s : sessions.values()) {
            out.put(s.id, snapshot(s, now));
        }
        if (store.shared()) {
            // sessions other nodes started and this one never needed
            for (StoredSession st : store.loadAll()) {
                out.putIfAbsent(st.id(), st.session());
            }
        }
        return out.values().stream()
                .filter(filter::matches)
                .sorted(Comparator.comparing(Session::createdAt).thenComparing(Session::id))
                .toList();
    }

    /**
     * The session a session token belongs to, while the token is current and unexpired (the
     * session may have ended: check its state).
     */
    public Optional<Session> authenticate(String sessionToken) {
        LiveSession s = byToken(sessionToken);
        return s == null ? Optional.empty() : Optional.of(snapshot(s));
    }

    /**
     * The id of the session {@code sessionToken} belongs to, as {@link #authenticate} finds it, or
     * {@code null}: for the decision path, which needs the id and not a snapshot.
     */
    public String sessionIdFor(String sessionToken) {
        LiveSession s = byToken(sessionToken);
        return s == null ? null : s.id;
    }

    /**
     * Whether the session is active and not past its expiry, without building a snapshot: for
     * enforcement points that keep a session per client and must know when to start a new one.
     */
    public boolean isActive(String id) {
        LiveSession s = live(id);
        return s != null && s.state == SessionState.ACTIVE && clock.millis() < s.expiresAtMillis;
    }

    private LiveSession byToken(String sessionToken) {
        if (sessionToken == null || sessionToken.isEmpty()) {
            return null;
        }
        String h = SessionSecrets.hash(sessionToken);
        LiveSession s = byTokenHash.get(h);
        if (s == null && store.shared()) {
            StoredSession st = store.loadByTokenHash(h);
            s = st == null ? null : live(st.id());
        }
        if (s == null || !h.equals(s.tokenHash) || !clock.instant().isBefore(s.tokenExpiresAt)) {
            return null;
        }
        return s;
    }

    /**
     * The Cedar policies the session's boundary compiled to, its ancestors' included (empty when
     * nothing restricts it): what a decision's {@code boundary:} reasons refer to.
     */
    public String boundaryPolicies(String id) {
        return require(id).compiled.text();
    }

    // ---- ending ----

    /** Ends the session and its sub-agents' sessions; idempotent. Returns the session. */
    public Session revoke(String id, String reason) {
        LiveSession s = require(id);
        endAll(List.of(s), reasonOr(reason, "revoked"));
        return snapshot(s);
    }

    /** Revokes every active session of {@code agent}; returns the ids of the sessions ended. */
    public List<String> revokeAllForAgent(EntityUid agent, String reason) {
        return revokeWhere(s -> s.agent.equals(agent), reasonOr(reason, "all sessions of " + agent + " revoked"));
    }

    /** Revokes every active session acting for {@code user}; returns the ids of the sessions ended. */
    public List<String> revokeAllForUser(EntityUid user, String reason) {
        return revokeWhere(s -> user.equals(s.onBehalfOf), reasonOr(reason, "all sessions for " + user + " revoked"));
    }

    /**
     * Revokes every active session started with a token whose subject (or acting party) is {@code
     * subject} at {@code issuer} ({@code null}: any issuer). For identity-provider events that end
     * sessions without refusing new ones (e.g. a claims or assurance-level change).
     */
    public List<String> revokeAllForSubject(String issuer, String subject, String reason) {
        Objects.requireNonNull(subject, "subject");
        return revokeWhere(
                s -> s.tokens().stream().anyMatch(t -> t.concerns(issuer, subject)),
                reasonOr(reason, "sessions of subject `" + subject + "` revoked"));
    }

    // ---- identity signals (what an OpenID Shared Signals receiver calls) ----

    /**
     * The account {@code subject} was disabled (RISC {@code account-disabled}): its sessions end and
     * its tokens start none until {@link #userEnabled}.
     */
    public List<String> userDisabled(String issuer, String subject) {
        Instant now = clock.instant();
        saveSignal(new IdentitySignal(IdentitySignal.Kind.ACCOUNT_DISABLED, issuer, subject, now, null));
        return revokeWhere(
                s -> s.tokens().stream().anyMatch(t -> t.concerns(issuer, subject)),
                "account `" + subject + "` disabled");
    }

    /** The account is enabled again: its tokens may start sessions (ended ones stay ended). */
    public void userEnabled(String issuer, String subject) {
        store.deleteSignal(IdentitySignal.Kind.ACCOUNT_DISABLED, issuer, subject);
        signals.remove(signalKey(IdentitySignal.Kind.ACCOUNT_DISABLED, issuer, subject));
        store.announce(List.of(SessionStore.SIGNALS));
    }

    /**
     * The credentials of {@code subject} changed at {@code changedAt} (CAEP {@code
     * credential-change}): sessions started with its tokens issued before then end, and such tokens
     * start none.
     */
    public List<String> credentialChanged(String issuer, String subject, Instant changedAt) {
        Instant at = changedAt == null ? clock.instant() : changedAt;
        IdentitySignal signal = new IdentitySignal(IdentitySignal.Kind.CREDENTIAL_CHANGED, issuer, subject, at, null);
        saveSignal(signal);
        return revokeWhere(
                s -> s.tokens().stream().anyMatch(signal::refuses), "credentials of `" + subject + "` changed");
    }

    /** The token with id {@code tokenId} ({@code jti}) was revoked: its sessions end, it starts none. */
    public List<String> tokenRevoked(String issuer, String tokenId) {
        Instant now = clock.instant();
        IdentitySignal signal =
                new IdentitySignal(IdentitySignal.Kind.TOKEN_REVOKED, issuer, tokenId, now, now.plus(SIGNAL_RETENTION));
        saveSignal(signal);
        return revokeWhere(s -> s.tokens().stream().anyMatch(signal::refuses), "token `" + tokenId + "` revoked");
    }

    /**
     * The identity provider ended a session of {@code subject} (CAEP {@code session-revoked}). With
     * {@code idpSessionId} (the tokens' {@code sid}) the sessions started with that session's tokens
     * end; without, every session of the subject's tokens issued until now.
     */
    public List<String> idpSessionRevoked(String issuer, String subject, String idpSessionId) {
        Instant now = clock.instant();
        if (idpSessionId == null) {
            IdentitySignal signal =
                    new IdentitySignal(IdentitySignal.Kind.CREDENTIAL_CHANGED, issuer, subject, now, null);
            saveSignal(signal);
            return revokeWhere(
                    s -> s.tokens().stream().anyMatch(signal::refuses),
                    "identity-provider session of `" + subject + "` revoked");
        }
        IdentitySignal signal = new IdentitySignal(
                IdentitySignal.Kind.IDP_SESSION_REVOKED, issuer, idpSessionId, now, now.plus(SIGNAL_RETENTION));
        saveSignal(signal);
        return revokeWhere(
                s -> s.tokens().stream().anyMatch(signal::refuses),
                "identity-provider session `" + idpSessionId + "` revoked");
    }

    /** The identity signals in force. */
    public List<IdentitySignal> signals() {
        return List.copyOf(signals.values());
    }

    private void saveSignal(IdentitySignal s) {
        store.saveSignal(s);
        signals.put(signalKey(s.kind(), s.issuer(), s.key()), s);
        store.announce(List.of(SessionStore.SIGNALS));
    }

    private static String signalKey(IdentitySignal.Kind kind, String issuer, String key) {
        return kind + "\u0000" + (issuer == null ? "" : issuer) + "\u0000" + key;
    }

    private List<String> revokeWhere(Predicate<LiveSession> which, String reason) {
        if (store.shared()) {
            // sessions only other nodes hold: load them, so that ending them here reaches the store
            // and, through the announcement, the nodes that hold them
            for (StoredSession st : store.loadAll()) {
                if (st.session().state() == SessionState.ACTIVE && !sessions.containsKey(st.id())) {
                    live(st.id());
                }
            }
        }
        return revokeHeld(which, reason);
    }

    /** Revokes the matching sessions this node holds. */
    private List<String> revokeHeld(Predicate<LiveSession> which, String reason) {
        List<LiveSession> hit = new ArrayList<>();
        for (LiveSession s : sessions.values()) {
            if (s.state == SessionState.ACTIVE && which.test(s)) {
                hit.add(s);
            }
        }
        return endAll(hit, reason);
    }

    /**
     * Revokes these sessions and their descendants, then writes them to the store before
     * returning. Returns the ids of the sessions that ended.
     */
    private List<String> endAll(List<LiveSession> roots, String reason) {
        Instant now = clock.instant();
        List<LiveSession> changed = new ArrayList<>();
        List<StoredSession> snapshots = new ArrayList<>();
        for (LiveSession s : roots) {
            synchronized (s.tree.lock) {
                int from = changed.size();
                s.endTree(SessionState.REVOKED, reason, now, changed);
                for (LiveSession c : changed.subList(from, changed.size())) {
                    snapshots.add(c.stored());
                }
            }
        }
        persist(snapshots, changed);
        return changed.stream().map(s -> s.id).toList();
    }

    // ---- other nodes (a shared store) ----

    /**
     * A change announced through the store (see {@link SessionStore#announce}), by another node or
     * this one: a session's new state or tokens, the identity signals, or everything after a gap.
     */
    private void changed(String what) {
        switch (what) {
            case SessionStore.SIGNALS -> reloadSignals();
            case SessionStore.RESYNC -> {
                reloadSignals();
                for (StoredSession st : store.loadAll()) {
                    adopt(st);
                }
            }
            default -> {
                StoredSession st = sessions.containsKey(what) ? store.load(what) : null;
                if (st != null) {
                    adopt(st);
                }
            }
        }
    }

    /** The signals as the store has them now; the sessions this node holds that they refuse end. */
    private void reloadSignals() {
        Map<String, IdentitySignal> current = new HashMap<>();
        for (IdentitySignal s : store.loadSignals()) {
            current.put(signalKey(s.kind(), s.issuer(), s.key()), s);
        }
        signals.putAll(current);
        signals.keySet().retainAll(current.keySet());
        for (IdentitySignal signal : current.values()) {
            revokeHeld(s -> s.tokens().stream().anyMatch(signal::refuses), signal.describe());
        }
    }

    /**
     * Takes over what another node changed in a session this node holds: an end (with its
     * sub-agents' sessions here), a renewal's tokens. Counters stay each node's own.
     */
    private void adopt(StoredSession st) {
        LiveSession s = sessions.get(st.id());
        if (s == null) {
            return;
        }
        Session v = st.session();
        List<LiveSession> ended = new ArrayList<>();
        List<StoredSession> snapshots = new ArrayList<>();
        synchronized (s.tree.lock) {
            if (s.state != SessionState.ACTIVE) {
                return;
            }
            if (v.state() != SessionState.ACTIVE) {
                Instant at = v.endedAt() == null ? clock.instant() : v.endedAt();
                s.endTree(v.state(), reasonOr(v.endReason(), v.state().wireName()), at, ended);
                for (LiveSession c : ended) {
                    if (c != s) {
                        snapshots.add(c.stored());
                    }
                }
            } else if (st.tokenHash() != null && !st.tokenHash().equals(s.tokenHash)) {
                if (s.tokenHash != null) {
                    byTokenHash.remove(s.tokenHash, s);
                }
                s.setTokens(v.tokens());
                s.tokenHash = st.tokenHash();
                s.tokenExpiresAt = st.tokenExpiresAt();
                byTokenHash.put(st.tokenHash(), s);
            }
        }
        if (!snapshots.isEmpty()) {
            persist(snapshots, ended.subList(1, ended.size()));
        }
    }

    /** Ends overdue sessions in {@code s}'s chain as expired (written behind). */
    void expireIfDue(LiveSession s, Instant now) {
        for (LiveSession x = s; x != null; x = x.parent) {
            if (x.state == SessionState.ACTIVE && !now.isBefore(x.expiresAt)) {
                List<LiveSession> changed = new ArrayList<>();
                synchronized (x.tree.lock) {
                    x.endTree(SessionState.EXPIRED, "expired", x.expiresAt, changed);
                    changed.forEach(this::markDirty);
                }
            }
        }
    }

    private static String reasonOr(String reason, String otherwise) {
        return reason == null || reason.isBlank() ? otherwise : reason.strip();
    }

    // ---- deciding ----

    @Override
    public Outcome decide(DecisionRequest request, Entities entities, Authorizer policies, Instant now) {
        return decider.decide(request, entities, policies, now);
    }

    /** After a counted allow: the session has state to write behind. Called under the tree lock. */
    void markDirty(LiveSession s) {
        if (!s.dirty) {
            s.dirty = true;
            dirty.add(s);
        }
    }

    /** Labels grew: write them soon rather than at the next interval. */
    void labelsGrew() {
        writeBehind.nudge();
    }

    // ---- the session map ----

    /** The session, from memory or (shared stores) the store; {@code null} when unknown. */
    LiveSession live(String id) {
        if (id == null) {
            return null;
        }
        LiveSession s = sessions.get(id);
        if (s != null || !store.shared()) {
            return s;
        }
        return loadShared(id);
    }

    private LiveSession require(String id) {
        LiveSession s = live(id);
        if (s == null) {
            throw new SessionException(SessionException.Kind.NOT_FOUND, "session `" + id + "` does not exist");
        }
        return s;
    }

    /** Loads a session another node started, with its ancestors. */
    private synchronized LiveSession loadShared(String id) {
        LiveSession known = sessions.get(id);
        if (known != null) {
            return known;
        }
        List<StoredSession> chain = new ArrayList<>();
        for (String at = id; at != null && !sessions.containsKey(at); ) {
            StoredSession st = store.load(at);
            if (st == null) {
                if (chain.isEmpty()) {
                    return null;
                }
                break;
            }
            chain.add(st);
            at = st.session().parentId();
        }
        load(chain);
        return sessions.get(id);
    }

    /** Rebuilds stored sessions, parents before children. */
    private void load(List<StoredSession> stored) {
        List<StoredSession> ordered = new ArrayList<>(stored);
        ordered.sort(Comparator.comparingInt(s -> s.session().parents().size()));
        for (StoredSession st : ordered) {
            String parentId = st.session().parentId();
            LiveSession parent = parentId == null ? null : sessions.get(parentId);
            LiveSession.Restored restored = LiveSession.restored(st, parent, config.datasetAttribute());
            LiveSession s = restored.session();
            String broken = restored.broken();
            if (broken != null) {
                // fail closed: a session that cannot be checked as it was declared does not decide
                synchronized (s.tree.lock) {
                    if (s.end(SessionState.REVOKED, broken, clock.instant())) {
                        markDirty(s);
                    }
                }
            }
            if (parent != null) {
                parent.children.add(s);
            }
            sessions.put(s.id, s);
            if (s.tokenHash != null) {
                byTokenHash.put(s.tokenHash, s);
            }
        }
    }

    private Session snapshot(LiveSession s) {
        return snapshot(s, clock.instant());
    }

    private static Session snapshot(LiveSession s, Instant now) {
        synchronized (s.tree.lock) {
            return s.snapshot(now);
        }
    }

    // ---- writing ----

    /** Writes state changes now; on failure keeps them for the write-behind and reports. */
    private void persist(List<StoredSession> snapshots, List<LiveSession> changed) {
        try {
            store.save(snapshots);
            store.announce(snapshots.stream().map(StoredSession::id).toList());
        } catch (RuntimeException e) {
            for (LiveSession s : changed) {
                synchronized (s.tree.lock) {
                    markDirty(s);
                }
            }
            writeBehind.nudge();
            throw new SessionException(
                    SessionException.Kind.UNAVAILABLE,
                    "the change is in effect, but the session store could not record it yet: " + e.getMessage(),
                    e);
        }
    }

    /** Writes what the decisions changed since the last flush (counters, labels, history, expiry). */
    public void flush() {
        List<LiveSession> taken = new ArrayList<>();
        List<StoredSession> batch = new ArrayList<>();
        for (LiveSession s; (s = dirty.poll()) != null; ) {
            synchronized (s.tree.lock) {
                s.dirty = false;
                batch.add(s.stored());
            }
            taken.add(s);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            store.save(batch);
        } catch (RuntimeException e) {
            for (LiveSession s : taken) {
                synchronized (s.tree.lock) {
                    markDirty(s);
                }
            }
            throw e;
        }
    }

    /**
     * Marks overdue sessions expired, and forgets sessions that ended more than {@code retention}
     * ago and signals past their time. Runs in the background every minute.
     */
    public void sweep() {
        Instant now = clock.instant();
        Instant horizon = now.minus(config.retention());
        Map<String, LiveSession> gone = new HashMap<>();
        for (LiveSession s : sessions.values()) {
            expireIfDue(s, now);
            Instant ended = s.endedAt;
            if (s.state != SessionState.ACTIVE && ended != null && ended.isBefore(horizon)) {
                gone.put(s.id, s);
            }
        }
        flush();
        for (LiveSession s : gone.values()) {
            sessions.remove(s.id);
            if (s.tokenHash != null) {
                byTokenHash.remove(s.tokenHash, s);
            }
            if (s.parent != null) {
                s.parent.children.remove(s);
            }
        }
        store.deleteEndedBefore(horizon);
        store.deleteSignalsBefore(now);
        signals.values().removeIf(sig -> sig.until() != null && sig.until().isBefore(now));
    }

    /** The last failure of a background write to the store, or {@code null} (for health checks). */
    public String lastStoreError() {
        return writeBehind.lastError();
    }

    /** Writes what is pending and stops the background thread; does not close the store. */
    @Override
    public void close() {
        try {
            changes.close();
        } catch (Exception e) {
            // stopping to listen cannot fail in a way that matters at shutdown
        }
        writeBehind.close();
        flush();
    }
}
