package dev.portcullis.pdp.session;

import java.time.Duration;

/**
 * The background thread that writes counters, labels and history behind the decisions, and now and
 * then expires overdue sessions and purges old ones. A nudge makes it write at once (a session's
 * labels grew: worth saving before the next interval).
 */
final class WriteBehind implements AutoCloseable {
    private final Thread thread;
    private final Object signal = new Object();
    private final Duration interval;
    private final Runnable flush;
    private final Runnable sweep;
    private final Duration sweepEvery;
    private volatile boolean closed;
    private boolean nudged; // guarded by signal
    private volatile String lastError;

    WriteBehind(String name, Duration interval, Runnable flush, Runnable sweep, Duration sweepEvery) {
        this.interval = interval;
        this.flush = flush;
        this.sweep = sweep;
        this.sweepEvery = sweepEvery;
        this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
        thread.start();
    }

    void nudge() {
        synchronized (signal) {
            nudged = true;
            signal.notifyAll();
        }
    }

    /** The last failure of a background write, or {@code null} once a write succeeds again. */
    String lastError() {
        return lastError;
    }

    private void run() {
        long lastSweep = System.nanoTime();
        while (!closed) {
            synchronized (signal) {
                long deadline = System.nanoTime() + interval.toNanos();
                while (!nudged && !closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        signal.wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                nudged = false;
            }
            if (closed) {
                return;
            }
            attempt(flush);
            if (System.nanoTime() - lastSweep >= sweepEvery.toNanos()) {
                lastSweep = System.nanoTime();
                attempt(sweep);
            }
        }
    }

    private void attempt(Runnable work) {
        try {
            work.run();
            lastError = null;
        } catch (RuntimeException e) {
            // retried at the next interval: the sessions stay marked for writing
            lastError = String.valueOf(e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        nudge();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
