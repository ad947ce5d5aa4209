package dev.portcullis.pdp.session;

import dev.portcullis.cedar.Response;
import dev.portcullis.cedar.value.DatetimeValue;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.RecordShape;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.SetValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A session as the service holds it while it runs: the immutable declaration, and the state that
 * changes with every allowed action.
 *
 * <pre>
 * Concurrency
 *   - state, endReason, endedAt, tokens, token hash/expiry and the total are volatile: a
 *     decision reads them without a lock;
 *   - every write to them, and every access to the mutable counting state (countKeys, counts,
 *     rateLogs, the history ring, version, dirty), happens under tree.lock; so does the building
 *     of context.session (contextValue), which reads the per-action counts;
 *   - INVARIANT: state only leaves ACTIVE, never returns to it.
 * </pre>
 */
final class LiveSession {
    /** One principal the policies are asked about: its role label, uid, and its reasons' prefixer. */
    record Party(String label, EntityUid uid, Tagger tagger) {
        Party(String label, EntityUid uid) {
            this(label, uid, new Tagger(label));
        }

        /** Adds the answer's reasons, prefixed with the label, to {@code out}. */
        void tag(Response answer, List<String> out) {
            tagger.tag(answer, out);
        }
    }

    /** context.session as built for a count of allowed actions and a set of labels. */
    private record CachedContext(long total, SetValue labels, RecordValue value) {}

    final String id;
    final EntityUid agent;
    final EntityUid onBehalfOf;
    final String purpose;
    final Boundary boundary;
    final Limits limits;
    final LiveSession parent;
    final List<String> parents;
    final Instant createdAt;
    final Instant expiresAt;
    /** {@link #expiresAt} in epoch milliseconds, as the decision path compares it. */
    final long expiresAtMillis;

    final CompiledBoundary compiled;
    final SessionTree tree;
    /** The action each rate limit counts, {@code null} for every action; parallel to limits.rates(). */
    final EntityUid[] rateActions;
    /** Who the policies must allow: the agent, the ancestors' agents, the user. */
    final List<Party> parties;

    final List<LiveSession> children = new CopyOnWriteArrayList<>();

    /** The names of context.session's entries, sorted and checked once for every value built. */
    private final RecordShape contextShape;
    /** context.session's values in key order, with the changing ones left to fill in. */
    private final Value[] contextTemplate;
    /** Where the changing entries go in {@link #contextTemplate}. */
    private final int countAt;

    private final int actionsAt;
    private final int labelsAt;

    volatile SessionState state = SessionState.ACTIVE;
    volatile String endReason;
    volatile Instant endedAt;
    private volatile List<TokenRef> tokens;
    /** The earliest expiry of {@link #tokens} in epoch milliseconds, set with them. */
    private volatile long tokensExpireAtMillis;

    volatile String tokenHash;
    volatile Instant tokenExpiresAt;
    /**
     * Allowed actions counted; written under tree.lock (with release semantics: the lock orders the
     * writers, readers only need the latest value), only ever grows (restore aside).
     */
    volatile long total;

    private static final VarHandle TOTAL;

    static {
        try {
            TOTAL = MethodHandles.lookup().findVarHandle(LiveSession.class, "total", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The entries of a context holding only {@code session}, computed when a policy reads it. */
    final Supplier<Value[]> sessionOnlyContext = () -> new Value[] {contextValue()};

    private volatile CachedContext cachedContext;
    /** The response of the last allow without errors, reused while the reasons stay the same. */
    volatile SessionDecider.AllowMemo lastAllow;
    /** The labels of the last allowed action's resource, reused when the next is the same. */
    volatile SessionDecider.LabelMemo lastLabels;

    // guarded by tree.lock
    long version;
    boolean dirty;
    /**
     * Allowed actions by action id: sorted keys and their counts, counted in place (no object per
     * action); turned into Cedar values only when a policy reads {@code context.session.actions}.
     */
    private String[] countKeys = new String[0];

    private long[] counts = new long[0];
    /** The names of {@link #countKeys} as a record shape, replaced when an action is new. */
    private RecordShape countShape = RecordShape.of();

    private final ArrayDeque<Long>[] rateLogs;
    /**
     * Recent allowed actions, a ring over three preallocated arrays (no object per action), oldest
     * at {@link #historyStart}; turned into {@link ActionEvent}s (strings) only for snapshots.
     */
    private long[] historyAt = new long[0];

    private EntityUid[] historyAction = new EntityUid[0];
    private EntityUid[] historyResource = new EntityUid[0];
    private int historyStart;
    private int historyLength;

    @SuppressWarnings("unchecked")
    LiveSession(
            String id,
            EntityUid agent,
            EntityUid onBehalfOf,
            String purpose,
            Boundary boundary,
            Limits limits,
            LiveSession parent,
            Instant createdAt,
            Instant expiresAt,
            CompiledBoundary compiled,
            List<TokenRef> tokens) {
        this.id = id;
        this.agent = agent;
        this.onBehalfOf = onBehalfOf;
        this.purpose = purpose;
        this.boundary = boundary;
        this.limits = limits;
        this.parent = parent;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
        this.compiled = compiled;
        this.expiresAtMillis = expiresAt.toEpochMilli();
        setTokens(tokens);
        this.tree = parent == null ? new SessionTree() : parent.tree;
        List<String> chain = new ArrayList<>();
        for (LiveSession p = parent; p != null; p = p.parent) {
            chain.add(p.id);
        }
        this.parents = List.copyOf(chain);
        this.rateActions = new EntityUid[limits.rates().size()];
        this.rateLogs = new ArrayDeque[limits.rates().size()];
        for (int i = 0; i < rateActions.length; i++) {
            String a = limits.rates().get(i).action();
            rateActions[i] = a.equals("*") ? null : Names.action(a, "limits.per_action[" + i + "].action");
            rateLogs[i] = new ArrayDeque<>();
        }
        this.parties = parties();
        TreeMap<String, Value> context = staticContext();
        this.contextShape = RecordShape.of(context.keySet().toArray(new String[0]));
        this.contextTemplate = context.values().toArray(new Value[0]);
        this.countAt = contextShape.indexOf("action_count");
        this.actionsAt = contextShape.indexOf("actions");
        this.labelsAt = contextShape.indexOf("labels");
    }

    private List<Party> parties() {
        List<Party> out = new ArrayList<>();
        out.add(new Party("agent", agent));
        int depth = 1;
        for (LiveSession p = parent; p != null; p = p.parent, depth++) {
            EntityUid a = p.agent;
            if (out.stream().noneMatch(x -> x.uid().equals(a))) {
                out.add(new Party(depth == 1 ? "parent" : "parent" + depth, a));
            }
        }
        if (onBehalfOf != null && out.stream().noneMatch(x -> x.uid().equals(onBehalfOf))) {
            out.add(new Party("user", onBehalfOf));
        }
        return List.copyOf(out);
    }

    /** context.session, with placeholders for the entries that change. */
    private TreeMap<String, Value> staticContext() {
        TreeMap<String, Value> m = new TreeMap<>();
        m.put("action_count", LongValue.of(0));
        m.put("actions", RecordValue.EMPTY);
        m.put("labels", SetValue.EMPTY);
        m.put("id", new StringValue(id));
        m.put("agent", agent);
        if (onBehalfOf != null) {
            m.put("on_behalf_of", onBehalfOf);
        }
        m.put("purpose", new StringValue(purpose));
        m.put("started_at", new DatetimeValue(createdAt.toEpochMilli()));
        m.put("expires_at", new DatetimeValue(expiresAt.toEpochMilli()));
        if (parent != null) {
            m.put("parent", new StringValue(parent.id));
        }
        List<Value> ps = new ArrayList<>();
        parents.forEach(p -> ps.add(new StringValue(p)));
        m.put("parents", SetValue.of(ps));
        m.put("depth", LongValue.of(parents.size()));
        return m;
    }

    /**
     * The value of {@code context.session}: built once per change, shared by the decisions between.
     * Built under the tree lock (the per-action counts are counted in place), so only when a
     * policy reads it: decisions hand it to Cedar as a lazily computed entry of the context.
     */
    RecordValue contextValue() {
        CachedContext cached = cachedContext;
        if (cached != null && cached.total() == total && cached.labels() == tree.labelsValue()) {
            return cached.value();
        }
        synchronized (tree.lock) {
            long t = total;
            SetValue labels = tree.labelsValue();
            Value[] actions = new Value[counts.length];
            for (int i = 0; i < actions.length; i++) {
                actions[i] = LongValue.of(counts[i]);
            }
            Value[] values = contextTemplate.clone();
            values[countAt] = LongValue.of(t);
            values[actionsAt] = countShape.record(actions);
            values[labelsAt] = labels;
            RecordValue value = contextShape.record(values);
            cachedContext = new CachedContext(t, labels, value);
            return value;
        }
    }

    /** The tokens the session is bound to. */
    List<TokenRef> tokens() {
        return tokens;
    }

    /** Binds the session to {@code tokens} (at creation, or when renewed under tree.lock). */
    void setTokens(List<TokenRef> tokens) {
        List<TokenRef> copy = List.copyOf(tokens);
        long earliest = Long.MAX_VALUE;
        for (TokenRef t : copy) {
            earliest = Math.min(earliest, t.expiresAt().toEpochMilli());
        }
        this.tokens = copy;
        this.tokensExpireAtMillis = earliest;
    }

    /**
     * Why the session cannot decide at {@code nowMillis} (epoch milliseconds), or {@code null}.
     * Reads volatile state only. Expiry instants are compared at millisecond precision, rounded
     * down: a session or token may end up to a millisecond early, never late.
     */
    String problem(long nowMillis) {
        SessionState s = state;
        if (s != SessionState.ACTIVE) {
            return "session `" + id + "` is " + s.wireName() + (endReason == null ? "" : ": " + endReason);
        }
        if (nowMillis >= expiresAtMillis) {
            return "session `" + id + "` expired at " + expiresAt;
        }
        if (nowMillis >= tokensExpireAtMillis) {
            for (TokenRef t : tokens) {
                if (nowMillis >= t.expiresAt().toEpochMilli()) {
                    return "the " + t.role().name().toLowerCase(java.util.Locale.ROOT) + " token of session `" + id
                            + "` expired at " + t.expiresAt();
                }
            }
        }
        Long max = limits.maxActions();
        if (max != null && total >= max) {
            return "session `" + id + "` reached its limit of " + max + " actions";
        }
        return null;
    }

    /** Why this session or an ancestor cannot decide at {@code nowMillis} (epoch ms), or {@code null}. */
    String chainProblem(long nowMillis) {
        for (LiveSession x = this; x != null; x = x.parent) {
            String p = x.problem(nowMillis);
            if (p != null) {
                return x == this ? p : "parent " + p;
            }
        }
        return null;
    }

    /** Ends this session and every active descendant, adding those that changed. Called under tree.lock. */
    void endTree(SessionState to, String reason, Instant now, List<LiveSession> changed) {
        if (end(to, reason, now)) {
            changed.add(this);
        }
        for (LiveSession c : children) {
            c.endTree(to, "parent session `" + id + "` " + to.wireName() + ": " + reason, now, changed);
        }
    }

    /** Why counting {@code action} now would exceed a limit, or {@code null}. Called under tree.lock. */
    String limitProblem(EntityUid action, long nowMs) {
        Long max = limits.maxActions();
        if (max != null && total >= max) {
            return "session `" + id + "` reached its limit of " + max + " actions";
        }
        for (int i = 0; i < rateActions.length; i++) {
            if (rateActions[i] != null && !rateActions[i].equals(action)) {
                continue;
            }
            Limits.RateLimit r = limits.rates().get(i);
            ArrayDeque<Long> log = rateLogs[i];
            long from = nowMs - r.window().toMillis();
            while (!log.isEmpty() && log.peekFirst() <= from) {
                log.pollFirst();
            }
            if (log.size() >= r.count()) {
                return "session `" + id + "` reached its limit of " + r.count() + " `" + r.action() + "` per "
                        + r.window();
            }
        }
        return null;
    }

    /** Counts an allowed action. Called under tree.lock, after {@link #limitProblem}. */
    void count(EntityUid action, EntityUid resource, long nowMs, int historySize) {
        for (int i = 0; i < rateActions.length; i++) {
            if (rateActions[i] == null || rateActions[i].equals(action)) {
                rateLogs[i].addLast(nowMs);
            }
        }
        addCount(Names.actionKey(action), 1);
        TOTAL.setRelease(this, total + 1);
        if (historySize > 0) {
            remember(nowMs, action, resource, historySize);
        }
        version++;
    }

    /** Adds an action to the history ring of {@code capacity} entries (oldest dropped when full). */
    private void remember(long at, EntityUid action, EntityUid resource, int capacity) {
        if (historyAt.length != capacity) {
            resizeHistory(capacity);
        }
        int slot;
        if (historyLength == capacity) {
            slot = historyStart;
            historyStart = (historyStart + 1) % capacity;
        } else {
            slot = (historyStart + historyLength) % historyAt.length;
            historyLength++;
        }
        historyAt[slot] = at;
        historyAction[slot] = action;
        historyResource[slot] = resource;
    }

    /** Keeps the newest {@code capacity} entries of the history, oldest first from index 0. */
    private void resizeHistory(int capacity) {
        int keep = Math.min(historyLength, capacity);
        long[] at = new long[capacity];
        EntityUid[] actions = new EntityUid[capacity];
        EntityUid[] resources = new EntityUid[capacity];
        for (int i = 0; i < keep; i++) {
            int from = (historyStart + historyLength - keep + i) % historyAt.length;
            at[i] = historyAt[from];
            actions[i] = historyAction[from];
            resources[i] = historyResource[from];
        }
        historyAt = at;
        historyAction = actions;
        historyResource = resources;
        historyStart = 0;
        historyLength = keep;
    }

    /** The history, oldest first. Called under tree.lock. */
    private List<ActionEvent> history() {
        List<ActionEvent> out = new ArrayList<>(historyLength);
        for (int i = 0; i < historyLength; i++) {
            int at = (historyStart + i) % historyAt.length;
            out.add(new ActionEvent(
                    Instant.ofEpochMilli(historyAt[at]), historyAction[at].toString(), historyResource[at].toString()));
        }
        return out;
    }

    /** Ends the session (if active). Called under tree.lock; returns whether it changed. */
    boolean end(SessionState to, String reason, Instant now) {
        if (state != SessionState.ACTIVE) {
            return false;
        }
        endReason = reason;
        endedAt = now;
        state = to;
        version++;
        return true;
    }

    /** The state a reader should see: an active session past its expiry shows as expired. */
    SessionState visibleState(Instant now) {
        SessionState s = state;
        return s == SessionState.ACTIVE && !now.isBefore(expiresAt) ? SessionState.EXPIRED : s;
    }

    /** A snapshot. Called under tree.lock. */
    StoredSession stored() {
        List<List<Long>> logs = new ArrayList<>(rateLogs.length);
        for (ArrayDeque<Long> log : rateLogs) {
            logs.add(List.copyOf(log));
        }
        return new StoredSession(snapshot(state, endedAt), version, tokenHash, tokenExpiresAt, logs);
    }

    /** A snapshot as a reader at {@code now} sees it. Called under tree.lock. */
    Session snapshot(Instant now) {
        SessionState s = visibleState(now);
        Instant ended = s == SessionState.EXPIRED && endedAt == null ? expiresAt : endedAt;
        return snapshot(s, ended);
    }

    private Session snapshot(SessionState s, Instant ended) {
        String reason = s == SessionState.EXPIRED && endReason == null ? "expired" : endReason;
        return new Session(
                id,
                agent,
                onBehalfOf,
                purpose,
                boundary,
                limits,
                parent == null ? null : parent.id,
                parents,
                createdAt,
                expiresAt,
                s,
                reason,
                ended,
                tokens,
                tree.labels(),
                total,
                countsAsLongs(),
                List.copyOf(history()));
    }

    /** Adds {@code n} to the count of {@code key}, in place. Called under tree.lock. */
    private void addCount(String key, long n) {
        int i = Arrays.binarySearch(countKeys, key);
        if (i >= 0) {
            counts[i] += n;
            return;
        }
        int at = -i - 1;
        String[] keys = new String[countKeys.length + 1];
        long[] values = new long[keys.length];
        System.arraycopy(countKeys, 0, keys, 0, at);
        System.arraycopy(counts, 0, values, 0, at);
        keys[at] = key;
        values[at] = n;
        System.arraycopy(countKeys, at, keys, at + 1, countKeys.length - at);
        System.arraycopy(counts, at, values, at + 1, counts.length - at);
        countKeys = keys;
        counts = values;
        countShape = RecordShape.of(keys);
    }

    private Map<String, Long> countsAsLongs() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < countKeys.length; i++) {
            out.put(countKeys[i], counts[i]);
        }
        return out;
    }

    /**
     * A stored session rebuilt, and why it can no longer decide ({@code null} when it can): its
     * boundary no longer compiles, or its parent ({@code null} here) is gone.
     */
    record Restored(LiveSession session, String broken) {}

    /** Rebuilds a stored session under {@code parent} (already rebuilt, or {@code null}). */
    static Restored restored(StoredSession st, LiveSession parent, String datasetAttribute) {
        Session v = st.session();
        CompiledBoundary compiled;
        String broken = null;
        try {
            compiled = CompiledBoundary.compile(
                    v.id(), v.boundary(), parent == null ? CompiledBoundary.NONE : parent.compiled, datasetAttribute);
        } catch (SessionException e) {
            compiled = CompiledBoundary.NONE;
            broken = "its boundary no longer compiles: " + e.getMessage();
        }
        if (v.parentId() != null && parent == null) {
            broken = "its parent session `" + v.parentId() + "` is gone";
        }
        LiveSession s = new LiveSession(
                v.id(),
                v.agent(),
                v.onBehalfOf(),
                v.purpose(),
                v.boundary(),
                v.limits(),
                parent,
                v.createdAt(),
                v.expiresAt(),
                compiled,
                v.tokens());
        s.restore(st);
        return new Restored(s, broken);
    }

    /** Restores the counting state of a stored session. Called before the session is published. */
    private void restore(StoredSession s) {
        Session v = s.session();
        state = v.state();
        endReason = v.endReason();
        endedAt = v.endedAt();
        tokenHash = s.tokenHash();
        tokenExpiresAt = s.tokenExpiresAt();
        version = s.version();
        v.actionCounts().forEach(this::addCount);
        total = v.actionCount();
        for (ActionEvent e : v.history()) {
            remember(
                    e.at().toEpochMilli(),
                    Names.uid(e.action(), "history.action"),
                    Names.uid(e.resource(), "history.resource"),
                    v.history().size());
        }
        for (int i = 0; i < rateLogs.length && i < s.rateLogs().size(); i++) {
            rateLogs[i].addAll(s.rateLogs().get(i));
        }
        synchronized (tree.lock) {
            tree.addLabels(v.labels());
        }
    }
}
