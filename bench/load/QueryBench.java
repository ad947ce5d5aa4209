// Query times of the SQLite decision log over a large log: fills a log with ENTRIES entries
// (default 1,000,000; 1,000 principals, 5 actions, one entry per ms of time), times the
// GET /v1/decisions kinds of filters (newest 100 matching, as the admin API asks) and a verify.
// A log in the row layout (builds before 2026-11-30, or LAYOUT=rows on later ones) is then given
// the (principal, seq) and (action, seq) indexes that logs before 2026-11-29 had, and timed again.
// Wall time, median of 5 (verify: once): run it on a quiet machine.
//
//   [LAYOUT=rows] java --enable-native-access=ALL-UNNAMED -cp server/target/portcullis.jar \
//       bench/load/QueryBench.java [ENTRIES]
import dev.portcullis.pdp.log.DecisionLog;
import dev.portcullis.pdp.log.DecisionLogs;
import dev.portcullis.pdp.log.DecisionRecord;
import dev.portcullis.pdp.log.LogQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

public class QueryBench {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path db = Files.createTempDirectory("query-bench").resolve("decisions.db");
        DecisionLogs.Options options = DecisionLogs.Options.defaults()
                .withQueueCapacity(100_000)
                .withTimeouts(java.time.Duration.ofMinutes(5), java.time.Duration.ofMinutes(5));
        if ("rows".equals(System.getenv("LAYOUT"))) {
            // a log created in the row layout, as before 2026-11-30 (the table makes it keep that)
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE decision_log (seq INTEGER PRIMARY KEY, decision_id TEXT, time_ns BIGINT NOT NULL,"
                        + " kind TEXT, caller TEXT, principal TEXT, action TEXT, resource TEXT, request_json TEXT,"
                        + " allowed BOOLEAN NOT NULL, reasons TEXT NOT NULL, errors TEXT NOT NULL, policy_version TEXT,"
                        + " latency_us BIGINT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, session_id TEXT,"
                        + " session_parents TEXT)");
            }
        }
        boolean rows;
        try (DecisionLog log = DecisionLogs.open("sqlite:" + db, options)) {
            for (int i = 0; i < n; i++) {
                log.append(new DecisionRecord("d-" + i, T0.plusMillis(i), "evaluation", "anonymous",
                        "User::\"u" + (i % 1000) + "\"", "Action::\"a" + (i % 5) + "\"", "Photo::\"p" + (i % 777) + ".jpg\"",
                        "{\"subject\":{\"type\":\"user\",\"id\":\"u" + (i % 1000) + "\"},\"action\":{\"name\":\"a" + (i % 5)
                                + "\"},\"resource\":{\"type\":\"photo\",\"id\":\"p" + (i % 777) + ".jpg\"}}",
                        i % 3 != 0, List.of("policy" + (i % 7)), List.of(), "sha256:" + "0123456789abcdef".repeat(4), 12));
            }
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                    Statement st = c.createStatement()) {
                rows = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'decision_log'").getInt(1) == 1;
            }
            run((rows ? "row layout" : "batch layout") + ", without principal/action indexes", log);
            long t = System.nanoTime();
            var result = log.verify();
            System.out.printf("  %-36s %6d ms  (%s)%n", "verify", (System.nanoTime() - t) / 1_000_000, result);
        }
        if (!rows) {
            System.out.printf("file: %d MB for %d entries%n", Files.size(db) >> 20, n);
            return;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement st = c.createStatement()) {
            st.execute("CREATE INDEX decision_log_principal ON decision_log (principal, seq)");
            st.execute("CREATE INDEX decision_log_action ON decision_log (action, seq)");
        }
        try (DecisionLog log = DecisionLogs.open("sqlite:" + db, options.withCreate(false))) {
            run("with principal/action indexes", log);
        }
        System.out.printf("file: %d MB for %d entries%n", Files.size(db) >> 20, n);
    }

    static void run(String label, DecisionLog log) {
        Instant mid = T0.plusSeconds(400);
        System.out.println(label + " (ms, median of 5, newest 100 matching):");
        time("no filter", () -> log.latest(q(null, null, null, null, null, null)));
        time("principal (1 in 1000)", () -> log.latest(q(null, null, "User::\"u42\"", null, null, null)));
        time("principal absent", () -> log.latest(q(null, null, "User::\"nobody\"", null, null, null)));
        time("action (1 in 5)", () -> log.latest(q(null, null, null, "Action::\"a3\"", null, null)));
        time("action absent", () -> log.latest(q(null, null, null, "Action::\"none\"", null, null)));
        time("deny", () -> log.latest(q(null, null, null, null, false, null)));
        time("policy id (1 in 7)", () -> log.latest(q(null, null, null, null, null, "policy3")));
        time("1 min of time", () -> log.latest(q(mid, mid.plusSeconds(60), null, null, null, null)));
        time("1 min of time + principal", () -> log.latest(q(mid, mid.plusSeconds(60), "User::\"u42\"", null, null, null)));
        time("1 min of time + principal absent", () -> log.latest(q(mid, mid.plusSeconds(60), "User::\"nobody\"", null, null, null)));
    }

    static LogQuery q(Instant from, Instant to, String principal, String action, Boolean allowed, String policy) {
        return new LogQuery(from, to, principal, action, allowed, policy, 0, 100);
    }

    static void time(String what, Supplier<List<?>> query) {
        long[] ms = new long[5];
        int size = 0;
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            size = query.get().size();
            ms[i] = (System.nanoTime() - t) / 1_000_000;
        }
        Arrays.sort(ms);
        System.out.printf("  %-36s %6d ms  (%d entries)%n", what, ms[2], size);
    }
}
