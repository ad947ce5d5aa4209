package dev.portcullis.pdp.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The writer's failure handling, against a store that fails on purpose. */
class WriteQueueTest {
    static final DecisionLogs.Options FAST = DecisionLogs.Options.defaults()
            .withMaxBatch(50, Duration.ofMillis(2))
            .withTimeouts(Duration.ofMillis(100), Duration.ofSeconds(10));

    /** Stores records; fails {@code transientFailures} times first, and rejects the record "poison". */
    static final class FlakySink implements WriteQueue.Sink {
        final List<DecisionRecord> stored = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger transientFailures;

        FlakySink(int transientFailures) {
            this.transientFailures = new AtomicInteger(transientFailures);
        }

        @Override
        public void write(List<DecisionRecord> batch) throws Exception {
            if (transientFailures.getAndDecrement() > 0) {
                throw new IllegalStateException("connection refused");
            }
            if (batch.stream().anyMatch(r -> r.decisionId().equals("poison"))) {
                throw new IllegalArgumentException("bad data");
            }
            stored.addAll(batch);
        }

        @Override
        public boolean rejects(Exception failure) {
            return failure instanceof IllegalArgumentException;
        }
    }

    static DecisionRecord named(String id) {
        return new DecisionRecord(
                id,
                DecisionLogContract.T0,
                "evaluation",
                null,
                "p",
                "a",
                "r",
                "{}",
                true,
                List.of(),
                List.of(),
                "v",
                0);
    }

    @Test
    void transientFailures_areRetriedUntilTheBatchIsStored() {
        FlakySink sink = new FlakySink(3);
        WriteQueue q = new WriteQueue("test-writer", sink, FAST);
        for (int i = 0; i < 20; i++) {
            q.submit(named("d" + i));
        }
        q.flush();
        assertThat(sink.stored)
                .extracting(DecisionRecord::decisionId)
                .hasSize(20)
                .startsWith("d0", "d1");
        q.close(Duration.ofSeconds(5));
    }

    @Test
    void aRejectedEntry_isDroppedAloneAndReportedOnClose() {
        FlakySink sink = new FlakySink(0);
        WriteQueue q = new WriteQueue("test-writer", sink, FAST);
        q.submit(named("a"));
        q.submit(named("poison"));
        q.submit(named("b"));
        q.flush();
        assertThat(sink.stored).extracting(DecisionRecord::decisionId).containsExactly("a", "b");
        assertThatThrownBy(() -> q.close(Duration.ofSeconds(5)))
                .isInstanceOf(DecisionLogException.class)
                .hasMessageContaining("1 entries unwritten");
    }

    @Test
    void durableEntries_failAtOnceWhenTheirBatchFails() {
        FlakySink sink = new FlakySink(1);
        WriteQueue q = new WriteQueue("test-writer", sink, FAST.withDurable(true));
        assertThatThrownBy(() -> q.submit(named("x")))
                .isInstanceOf(DecisionLogException.class)
                .hasMessageContaining("connection refused");
        q.submit(named("y"));
        assertThat(sink.stored).extracting(DecisionRecord::decisionId).containsExactly("y");
        q.close(Duration.ofSeconds(5));
    }

    /**
     * Appenders race each other and the writer through a queue much smaller than what they send,
     * so that appends wait for room, and pause now and then, so that the writer goes idle and
     * must be woken: every entry is written exactly once, each appender's in its order.
     */
    @Test
    void concurrentAppends_throughASmallQueue_areEachWrittenOnceInOrder() throws Exception {
        FlakySink sink = new FlakySink(0);
        WriteQueue q = new WriteQueue(
                "test-writer",
                sink,
                FAST.withQueueCapacity(16)
                        .withMaxBatch(7, Duration.ofMillis(1))
                        .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30)));
        int appenders = 4;
        int each = 5_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < appenders; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    q.submit(named(id + ":" + i));
                    if (i % 1_000 == 999) {
                        q.flush(); // the writer empties the queue and waits for the next append
                    }
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        q.close(Duration.ofSeconds(10));
        assertThat(sink.stored).hasSize(appenders * each);
        Map<String, Integer> next = new HashMap<>();
        for (DecisionRecord r : sink.stored) {
            String[] parts = r.decisionId().split(":");
            int expected = next.getOrDefault(parts[0], 0);
            assertThat(Integer.parseInt(parts[1]))
                    .as("entry of appender %s", parts[0])
                    .isEqualTo(expected);
            next.put(parts[0], expected + 1);
        }
        assertThat(next).hasSize(appenders).allSatisfy((k, v) -> assertThat(v).isEqualTo(each));
        assertThat(q.depth()).isZero();
    }

    @Test
    void anAppendToAFullQueue_failsAfterItsTimeout_andTheQueueRecovers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<DecisionRecord> stored = Collections.synchronizedList(new ArrayList<>());
        WriteQueue.Sink stuck = batch -> {
            release.await();
            stored.addAll(batch);
        };
        WriteQueue q = new WriteQueue(
                "test-writer",
                stuck,
                FAST.withQueueCapacity(2)
                        .withMaxBatch(1, Duration.ZERO)
                        .withTimeouts(Duration.ofMillis(50), Duration.ofSeconds(10)));
        q.submit(named("taken")); // the writer takes it and blocks in the sink
        while (q.depth() > 0) {
            Thread.onSpinWait();
        }
        q.submit(named("w1"));
        q.submit(named("w2"));
        assertThat(q.problem()).contains("queue is full (2 entries waiting)");
        assertThatThrownBy(() -> q.submit(named("refused")))
                .isInstanceOf(DecisionLogException.class)
                .hasMessageContaining("decision log queue is full")
                .hasMessageContaining("50 ms");
        release.countDown();
        q.flush();
        q.submit(named("after"));
        q.close(Duration.ofSeconds(5));
        assertThat(stored).extracting(DecisionRecord::decisionId).containsExactly("taken", "w1", "w2", "after");
    }
}
