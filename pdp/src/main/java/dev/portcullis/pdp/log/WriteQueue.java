package dev.portcullis.pdp.log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded queue between the decision path and the store, and the one thread that drains it.
 *
 * <pre>
 * Implementation notes
 *
 * One writer thread owns the store's write connection, so a batch is one transaction and the
 * chain is extended by exactly one thread per process (a multi-process store adds its own lock;
 * see PostgresDecisionLog). The writer takes the first waiting item, then whatever else is
 * queued (up to maxBatch), then lingers up to maxBatchDelay for more while the batch is not full:
 * it sleeps in slices of at most 1 ms and drains the queue after each, so that appends never have
 * to wake it while it lingers (only the first append after an idle spell does).
 *
 * Durable appends are group-committed: a durable item carries a future that the writer completes
 * after the transaction holding it commits; appends that arrive while a transaction is being
 * committed all wait in the queue and share the next one. A durable log does not linger: the
 * commit itself is the wait that gathers the next group.
 *
 * A failed write keeps the batch's buffered entries and retries them with backoff (every decision
 * is to be recorded; while the store is down the queue fills and appends fail closed), but fails
 * its durable entries at once: their callers are waiting to deny. When the store rejects the data
 * itself (not a transient failure) the batch is retried entry by entry and the entry it rejects
 * is dropped and reported, so that one bad entry cannot stall the log and deny every decision.
 *
 * Flush (for queries and close) puts a marker into the queue and waits for it: the queue is FIFO,
 * so when the marker is reached everything queued before it has been handled.
 *
 * The queue takes no lock. With one lock shared by the appending event loops and the draining
 * writer (an ArrayBlockingQueue, until 2026-11), a holder that lost its CPU made an appending
 * event loop park until the holder ran again, and every connection of that loop waited with it
 * (JFR, 10 s at 32 connections on 2 CPUs: 74 such parks, 10 of them of 1.5-3.8 ms). An append is
 * now a CAS on a counter (the bound) and one on the list's tail; the writer takes items one by one.
 *
 * INVARIANT: size counts the items in the queue plus the appends that have reserved room and not
 * yet linked their item, so size >= the items the writer can see, and an append never exceeds
 * capacity. Waking the idle writer is a Dekker handshake on two volatiles: an append increments
 * size, then reads writerIdle; the writer sets writerIdle, then reads size, and parks only if it
 * is 0. One of the two sees the other's write, so an append never sits unnoticed for the writer's
 * whole idle wait.
 * </pre>
 */
final class WriteQueue {
    /** Writes one batch as one transaction, or throws and writes nothing. */
    interface Sink {
        void write(List<DecisionRecord> batch) throws Exception;

        /** The store will never take the batch as it is (bad data), so retrying it is pointless. */
        default boolean rejects(Exception failure) {
            return false;
        }
    }

    /** A queued entry ({@code record} null for a flush marker); {@code done} null when nobody waits. */
    private record Item(DecisionRecord record, CompletableFuture<Void> done) {}

    private static final System.Logger LOG = System.getLogger(WriteQueue.class.getName());
    private static final long MAX_BACKOFF_MILLIS = 1000;

    private final Sink sink;
    private final DecisionLogs.Options options;
    private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
    /** Items queued or being queued; see the invariant above. */
    private final AtomicInteger size = new AtomicInteger();
    /** True while the writer waits for the first item of a batch (appends then wake it). */
    private volatile boolean writerIdle;

    private final Thread writer;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private volatile boolean closing;
    /** How long the lingering writer sleeps at a time (it notices a full batch or close() then). */
    private static final long LINGER_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** How long the idle writer sleeps at a time (it notices close() then). */
    private static final long IDLE_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How long an append waits at a time for room in a full queue. */
    private static final long FULL_SLICE_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private volatile long giveUpAtNanos = Long.MAX_VALUE;
    private volatile Exception lastFailure;
    // the failure of the most recent write attempt; null once a write succeeds (for health)
    private volatile Exception failing;
    private final AtomicLong lost = new AtomicLong();

    WriteQueue(String name, Sink sink, DecisionLogs.Options options) {
        this.sink = sink;
        this.options = options;
        this.writer = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
        writer.start();
    }

    /** Queues {@code record}; waits for its commit when the log is durable. */
    void submit(DecisionRecord record) {
        if (closing) {
            throw new DecisionLogException("decision log is closed");
        }
        CompletableFuture<Void> done = options.durable() ? new CompletableFuture<>() : null;
        offer(new Item(record, done), options.appendTimeout());
        if (done != null) {
            await(done, options.commitTimeout(), "commit");
        }
    }

    /** Waits until everything queued before this call has been written (or has failed). */
    void flush() {
        if (!writer.isAlive()) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        offer(new Item(null, done), options.commitTimeout());
        await(done, options.commitTimeout(), "flush");
    }

    int depth() {
        return size.get();
    }

    /** Why the queue cannot take writes now (closed, writer gone, store failing, full), or null. */
    String problem() {
        if (closing) {
            return "decision log is closed";
        }
        if (!writer.isAlive()) {
            return "decision log writer has stopped";
        }
        Exception f = failing;
        if (f != null) {
            return "the last decision log write failed: " + f.getMessage();
        }
        int waiting = size.get();
        if (waiting >= options.queueCapacity()) {
            return "decision log queue is full (" + waiting + " entries waiting)";
        }
        return null;
    }

    long batches() {
        return batches.get();
    }

    long written() {
        return written.get();
    }

    /** Drains the queue (waiting at most {@code timeout}) and stops the writer. */
    void close(Duration timeout) {
        closing = true;
        giveUpAtNanos = System.nanoTime() + timeout.toNanos();
        LockSupport.unpark(writer);
        try {
            writer.join(timeout.plusMillis(MAX_BACKOFF_MILLIS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            writer.interrupt();
        }
        long unwritten =
                lost.get() + queue.stream().filter(i -> i.record() != null).count();
        if (unwritten > 0) {
            Exception cause = lastFailure;
            throw new DecisionLogException(
                    "decision log closed with " + unwritten + " entries unwritten"
                            + (cause == null ? "" : ": " + cause.getMessage()),
                    cause);
        }
    }

    private void offer(Item item, Duration timeout) {
        int capacity = options.queueCapacity();
        long deadline = 0;
        while (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            long now = System.nanoTime();
            if (deadline == 0) {
                deadline = now + timeout.toNanos();
            }
            long left = deadline - now;
            if (left <= 0) {
                throw new DecisionLogException("decision log queue is full (" + size.get() + " entries waiting for "
                        + timeout.toMillis() + " ms)");
            }
            // only when the writer has fallen behind (or the store is down): poll for room
            LockSupport.parkNanos(this, Math.min(left, FULL_SLICE_NANOS));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new DecisionLogException("interrupted while queueing a decision log entry");
            }
        }
        queue.offer(item);
        if (writerIdle) {
            LockSupport.unpark(writer);
        }
    }

    private static void await(CompletableFuture<Void> done, Duration timeout, String what) {
        try {
            done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new DecisionLogException("decision log write failed: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new DecisionLogException(
                    "decision log " + what + " did not complete within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DecisionLogException("interrupted while waiting for the decision log", e);
        }
    }

    private void run() {
        List<Item> batch = new ArrayList<>(options.maxBatch());
        long lingerNanos = options.durable() ? 0 : options.maxBatchDelay().toNanos();
        try {
            while (true) {
                if (take(batch, 1) == 0) {
                    if (closing && size.get() == 0) {
                        return;
                    }
                    awaitFirst();
                    continue;
                }
                take(batch, options.maxBatch() - 1);
                long deadline = System.nanoTime() + lingerNanos;
                while (batch.size() < options.maxBatch() && !closing) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    // sleep rather than wait to be woken: a writer woken by appends costs a
                    // wake-up on the decision path and a context switch per entry, on the same
                    // cores as the event loops; asleep, it wakes a few times per batch and takes
                    // what has arrived meanwhile
                    LockSupport.parkNanos(this, Math.min(left, LINGER_SLICE_NANOS));
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    take(batch, options.maxBatch() - batch.size());
                }
                writeWithRetry(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            // close() gave up waiting; what is still queued is reported by close()
            lost.addAndGet(batch.stream().filter(i -> i.record() != null).count());
        }
    }

    /** Moves up to {@code max} queued items to {@code batch}; returns how many. */
    private int take(List<Item> batch, int max) {
        int n = 0;
        Item item;
        while (n < max && (item = queue.poll()) != null) {
            batch.add(item);
            n++;
        }
        if (n > 0) {
            size.addAndGet(-n);
        }
        return n;
    }

    /** Waits (a slice at most) until an append may have queued something; see the class comment. */
    private void awaitFirst() throws InterruptedException {
        writerIdle = true;
        try {
            if (size.get() == 0) {
                LockSupport.parkNanos(this, IDLE_SLICE_NANOS);
            } else {
                // an append has reserved room and is about to link its item
                Thread.yield();
            }
        } finally {
            writerIdle = false;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    private void writeWithRetry(List<Item> batch) throws InterruptedException {
        List<Item> records = new ArrayList<>(batch.size());
        for (Item i : batch) {
            if (i.record() != null) {
                records.add(i);
            }
        }
        write(records);
        // markers: everything queued before them has now been handled
        for (Item i : batch) {
            if (i.record() == null) {
                complete(i, null);
            }
        }
    }

    private void write(List<Item> items) throws InterruptedException {
        List<Item> pending = new ArrayList<>(items);
        long backoff = 20;
        while (!pending.isEmpty()) {
            try {
                sink.write(pending.stream().map(Item::record).toList());
                batches.incrementAndGet();
                written.addAndGet(pending.size());
                failing = null;
                pending.forEach(i -> complete(i, null));
                return;
            } catch (Exception e) {
                lastFailure = e;
                pending.removeIf(i -> {
                    if (i.done() != null) {
                        complete(i, e);
                        return true;
                    }
                    return false;
                });
                if (sink.rejects(e)) {
                    // the store works; one entry of this batch is bad data
                    // some entry cannot be stored at all: find it, so it cannot hold up the others
                    if (items.size() == 1) {
                        lost.addAndGet(pending.size());
                        LOG.log(System.Logger.Level.ERROR, "decision log entry dropped, the store rejects it: " + e);
                    } else {
                        for (Item i : pending) {
                            write(List.of(i));
                        }
                    }
                    return;
                }
                failing = e;
                LOG.log(
                        System.Logger.Level.WARNING,
                        "decision log write of " + pending.size() + " entries failed: " + e);
                if (!pending.isEmpty() && closing && System.nanoTime() > giveUpAtNanos) {
                    lost.addAndGet(pending.size());
                    return;
                }
                if (!pending.isEmpty()) {
                    Thread.sleep(backoff);
                    backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
                }
            }
        }
    }

    private static void complete(Item i, Exception failure) {
        if (i.done() == null) {
            return;
        }
        if (failure == null) {
            i.done().complete(null);
        } else {
            i.done().completeExceptionally(failure);
        }
    }
}
