package dev.portcullis.pdp.policy;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The current policy snapshot, swapped atomically on update. An update is compiled and, when the
 * bundle has a schema, validated in strict mode <em>before</em> it goes live; a bundle that fails
 * is refused with its problems and the previous snapshot keeps serving. Readers never block: they
 * read one volatile field.
 */
public final class PolicyStore {
    private static final System.Logger LOG = System.getLogger(PolicyStore.class.getName());

    /** Told about every activation and refusal, on the thread that called {@link #update}. */
    public interface Listener {
        default void activated(PolicySnapshot previous, PolicySnapshot current) {}

        default void refused(PolicyBundle bundle, PolicyLoadException problem) {}
    }

    private final Clock clock;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong activations = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private volatile PolicySnapshot current;
    // The version and problem of the last refused bundle: the same bytes offered again (a poll, a
    // duplicate watch event) are refused without compiling or counting again.
    private volatile String refusedVersion;
    private volatile PolicyLoadException lastRefusal;

    public PolicyStore() {
        this(Clock.systemUTC());
    }

    public PolicyStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The live snapshot, or {@code null} before the first successful update. */
    public PolicySnapshot current() {
        return current;
    }

    /**
     * Compiles, validates and activates {@code bundle}; returns the live snapshot afterwards. A
     * bundle with the current version is a no-op. Throws {@link PolicyLoadException} (and keeps
     * the previous snapshot) when the bundle is refused. Updates are serialized.
     */
    public synchronized PolicySnapshot update(PolicyBundle bundle) {
        String version = bundle.version();
        PolicySnapshot previous = current;
        if (previous != null && previous.version().equals(version)) {
            return previous;
        }
        if (version.equals(refusedVersion)) {
            throw lastRefusal;
        }
        PolicySnapshot next;
        try {
            next = PolicyCompiler.compile(bundle, clock.instant());
        } catch (PolicyLoadException e) {
            refuse(bundle, e);
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // a bug in a compiler stage must not take the store down: refuse like a bad bundle
            PolicyLoadException wrapped =
                    new PolicyLoadException(new PolicyProblem("(bundle)", 0, 0, "internal error: " + e));
            refuse(bundle, wrapped);
            throw wrapped;
        }
        current = next;
        refusedVersion = null;
        lastRefusal = null;
        activations.incrementAndGet();
        LOG.log(
                Level.INFO,
                "policy version {0} active ({1} policies)",
                version,
                next.policySet().policies().size());
        for (Listener l : listeners) {
            try {
                l.activated(previous, next);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "policy listener failed", e);
            }
        }
        return next;
    }

    /** Like {@link #update} but reports a refusal as {@code false} instead of throwing. */
    public boolean tryUpdate(PolicyBundle bundle) {
        try {
            update(bundle);
            return true;
        } catch (PolicyLoadException e) {
            return false;
        }
    }

    private void refuse(PolicyBundle bundle, PolicyLoadException e) {
        refusedVersion = bundle.version();
        lastRefusal = e;
        refusals.incrementAndGet();
        LOG.log(Level.WARNING, "policy bundle {0} refused: {1}", bundle.version(), e.getMessage());
        for (Listener l : listeners) {
            try {
                l.refused(bundle, e);
            } catch (RuntimeException x) {
                LOG.log(Level.WARNING, "policy listener failed", x);
            }
        }
    }

    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** How many bundles went live. */
    public long activations() {
        return activations.get();
    }

    /** How many bundles were refused (reload failures); a repeat of the same refused bundle counts once. */
    public long refusals() {
        return refusals.get();
    }

    /** The problem of the most recent refusal, if no bundle has gone live since; else {@code null}. */
    public PolicyLoadException lastRefusal() {
        return lastRefusal;
    }
}
