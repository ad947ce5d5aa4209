package dev.portcullis.pdp.policy;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Objects;

/**
 * Calls a reload action when the files of one directory change: a {@link WatchService} reports
 * changes, and the action runs once the directory has been quiet for the debounce interval (an
 * editor's save or a {@code git checkout} is many events; reloading half-written files is
 * wasteful). Every poll interval the action also runs unprompted, the fallback for file systems
 * that report no events (network mounts, some containers); it must therefore be cheap when nothing
 * changed, as {@link PolicyStore#update} is for an unchanged version.
 *
 * <p>A burst that never goes quiet still reloads at least every ten debounce intervals.
 */
public final class DirectoryWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DirectoryWatcher.class.getName());

    private final Path dir;
    private final long debounceNanos;
    private final long pollNanos;
    private final Runnable action;
    private final Thread thread;
    private final WatchService service;
    private volatile boolean running = true;

    /**
     * Starts watching. {@code action} runs on the watcher's own daemon thread; its exceptions are
     * logged and do not stop the watcher.
     */
    public static DirectoryWatcher start(Path dir, Duration debounce, Duration pollInterval, Runnable action) {
        return new DirectoryWatcher(dir, debounce, pollInterval, action);
    }

    private DirectoryWatcher(Path dir, Duration debounce, Duration pollInterval, Runnable action) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.debounceNanos = debounce.toNanos();
        this.pollNanos = Math.max(pollInterval.toNanos(), 1_000_000L);
        this.action = Objects.requireNonNull(action, "action");
        WatchService ws = null;
        try {
            ws = dir.getFileSystem().newWatchService();
            dir.register(
                    ws,
                    StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE,
                    StandardWatchEventKinds.OVERFLOW);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.WARNING, "cannot watch {0} ({1}); polling only", dir, e.toString());
            ws = null;
        }
        this.service = ws;
        this.thread = Thread.ofPlatform()
                .daemon()
                .name("portcullis-watch-" + dir.getFileName())
                .unstarted(this::run);
        thread.start();
    }

    private void run() {
        long due = -1; // when to reload after the last event; -1: no change pending
        long firstPending = -1;
        long nextPoll = System.nanoTime() + pollNanos;
        while (running) {
            long now = System.nanoTime();
            long wakeAt = due >= 0 ? Math.min(due, nextPoll) : nextPoll;
            try {
                WatchKey key = service == null
                        ? sleep(wakeAt - now)
                        : service.poll(Math.max(1, wakeAt - now), java.util.concurrent.TimeUnit.NANOSECONDS);
                now = System.nanoTime();
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                    if (firstPending < 0) {
                        firstPending = now;
                    }
                    // trailing debounce, but a never-ending burst still reloads now and then
                    due = Math.min(now + debounceNanos, firstPending + 10 * debounceNanos);
                    if (now < due) {
                        continue;
                    }
                }
                if ((due >= 0 && now >= due) || now >= nextPoll) {
                    due = -1;
                    firstPending = -1;
                    nextPoll = now + pollNanos;
                    runAction();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
        }
    }

    private static WatchKey sleep(long nanos) throws InterruptedException {
        Thread.sleep(Duration.ofNanos(Math.max(1, nanos)));
        return null;
    }

    private void runAction() {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reload of {0} failed: {1}", dir, e.getMessage());
        }
    }

    /** Whether change events are delivered ({@code false}: polling only). */
    public boolean eventDriven() {
        return service != null;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
