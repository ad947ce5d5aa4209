// The decision log writer's CPU per entry, without HTTP: appends records like the load
// benchmark's (examples/photoflash, request JSON with the subject's and resource's properties) to
// a buffered SQLite log at a fixed rate and reads the writer thread's CPU time (ThreadMXBean).
// CPU time rather than wall time, so that it means something on a busy machine too.
//
// Run (a single-file program on the server jar's classpath, pinned to one CPU like the server):
//   taskset -c 0 java --enable-native-access=ALL-UNNAMED -cp server/target/portcullis.jar \
//       bench/load/WriterBench.java [ENTRIES [PER_MS [MAX_BATCH_DELAY_MS [MAX_BATCH]]]]
// defaults: 100000 entries per round, 30 appends per ms, the log's default batching (5 ms, 500).
// The logged request is the AuthZEN body of bench/load's requests, as the server logs it since
// 2026-11-29; WRITER_REQUEST=cedar logs the Cedar rendering it logged before (about twice as long).
// Three rounds; the first includes the JIT's warm-up. Each prints the CPU per entry of the writer
// and of the checkpointer thread, and the sizes of the WAL and database files.
import dev.portcullis.pdp.log.DecisionLog;
import dev.portcullis.pdp.log.DecisionLogs;
import dev.portcullis.pdp.log.DecisionRecord;
import dev.portcullis.pdp.log.LogQuery;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

public class WriterBench {
    private static final String AUTHZEN = "{\"subject\":{\"type\":\"user\",\"id\":\"alice\",\"properties\":"
            + "{\"roles\":[\"user\"],\"groups\":[\"family\"]}},\"action\":{\"name\":\"view\"},\"resource\":"
            + "{\"type\":\"photo\",\"id\":\"vacation.jpg\",\"properties\":{\"ownerId\":\"bob\",\"viewerGroup\":"
            + "\"family\",\"isPrivate\":false,\"isLocked\":false}}}";
    private static final String CEDAR = "{\"principal\":{\"type\":\"User\",\"id\":\"alice\"},"
            + "\"action\":{\"type\":\"Action\",\"id\":\"view\"},\"resource\":{\"type\":\"Photo\",\"id\":\"vacation.jpg\"},"
            + "\"context\":{},\"entities\":[{\"uid\":{\"type\":\"User\",\"id\":\"alice\"},"
            + "\"attrs\":{\"roles\":[\"user\"],\"groups\":[\"family\"]},\"parents\":[]},"
            + "{\"uid\":{\"type\":\"Photo\",\"id\":\"vacation.jpg\"},\"attrs\":{\"ownerId\":\"bob\","
            + "\"viewerGroup\":\"family\",\"isPrivate\":false,\"isLocked\":false},\"parents\":[]}]}";

    private static long size(Path file) throws IOException {
        return Files.exists(file) ? Files.size(file) : 0;
    }

    public static void main(String[] args) throws Exception {
        String request = "cedar".equals(System.getenv("WRITER_REQUEST")) ? CEDAR : AUTHZEN;
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int perMs = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        DecisionLogs.Options options = DecisionLogs.Options.defaults().withQueueCapacity(100_000);
        if (args.length > 2) {
            options = options.withMaxBatch(
                    args.length > 3 ? Integer.parseInt(args[3]) : options.maxBatch(),
                    Duration.ofMillis(Long.parseLong(args[2])));
        }
        Path dir = Files.createTempDirectory("writer-bench");
        DecisionLog log = DecisionLogs.open("sqlite:" + dir.resolve("decisions.db"), options);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Thread writer = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("decision-log-writer"))
                .findFirst()
                .orElseThrow();
        Thread checkpointer = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("decision-log-checkpointer"))
                .findFirst()
                .orElse(null);
        for (int round = 1; round <= 3; round++) {
            long cpu0 = mx.getThreadCpuTime(writer.threadId());
            long ck0 = checkpointer == null ? 0 : mx.getThreadCpuTime(checkpointer.threadId());
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                log.append(new DecisionRecord(
                        "d-" + round + "-" + i,
                        Instant.now(),
                        "evaluation",
                        "anonymous",
                        "User::\"alice\"",
                        "Action::\"view\"",
                        "Photo::\"vacation.jpg\"",
                        request,
                        i % 3 != 0,
                        List.of("policy0"),
                        List.of(),
                        "sha256:" + "0123456789abcdef".repeat(4),
                        12));
                if (perMs > 0 && i % perMs == 0) {
                    long until = t0 + (long) (i / perMs) * 1_000_000L;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
            }
            log.query(new LogQuery(null, null, null, null, null, null, Long.MAX_VALUE - 1, 1)); // waits for the writer
            long cpu = mx.getThreadCpuTime(writer.threadId()) - cpu0;
            long checkpointerCpu = checkpointer == null ? 0 : mx.getThreadCpuTime(checkpointer.threadId()) - ck0;
            System.out.printf(
                    "round %d: writer CPU %.2f us/entry, checkpointer %.2f (%d entries); WAL %.1f MB, database %.1f MB%n",
                    round,
                    cpu / 1000.0 / n,
                    checkpointerCpu / 1000.0 / n,
                    n,
                    size(dir.resolve("decisions.db-wal")) / 1e6,
                    size(dir.resolve("decisions.db")) / 1e6);
        }
        log.close();
        try (DecisionLog reopened = DecisionLogs.open("sqlite:" + dir.resolve("decisions.db"), options)) {
            System.out.println("verify: " + reopened.verify());
        }
    }
}
