package dev.portcullis.pdp.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
}
