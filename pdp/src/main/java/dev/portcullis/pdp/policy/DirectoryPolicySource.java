package dev.portcullis.pdp.policy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Policies from a directory (see {@link PolicyBundle} for which files count): {@link #load()} once,
 * or {@link #watch} to reload whenever the directory changes. A reload that is refused leaves the
 * store serving its last good snapshot; the refusal reaches the store's listeners and counters.
 */
public final class DirectoryPolicySource implements AutoCloseable {
    /** Quiet time before a change is loaded. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(200);
    /** Fallback poll for file systems without change events. */
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(5);

    private final Path dir;
    private final PolicyStore store;
    private DirectoryWatcher watcher;

    public DirectoryPolicySource(Path dir, PolicyStore store) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Reads the directory and updates the store; throws {@link PolicyLoadException} when refused. */
    public PolicySnapshot load() {
        return store.update(PolicyBundle.fromDirectory(dir));
    }

    /** Starts watching with the default debounce and poll intervals. */
    public synchronized DirectoryPolicySource watch() {
        return watch(DEFAULT_DEBOUNCE, DEFAULT_POLL);
    }

    /** Starts watching; refusals are reported through the store, not thrown. */
    public synchronized DirectoryPolicySource watch(Duration debounce, Duration pollInterval) {
        if (watcher == null) {
            watcher = DirectoryWatcher.start(dir, debounce, pollInterval, this::reloadQuietly);
        }
        return this;
    }

    private void reloadQuietly() {
        try {
            load();
        } catch (PolicyLoadException e) {
            // already counted and reported by the store (or a transient read failure that the next
            // event or poll retries)
        }
    }

    public Path directory() {
        return dir;
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }
}
