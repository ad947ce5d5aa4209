package dev.portcullis.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.bench.NoLog;
import dev.portcullis.cedar.json.EntityJson;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.pdp.DecisionRequest;
import dev.portcullis.pdp.DecisionResult;
import dev.portcullis.pdp.DecisionService;
import dev.portcullis.pdp.authzen.AuthZenMapping;
import dev.portcullis.pdp.authzen.Mapping;
import dev.portcullis.pdp.entity.StaticEntityProvider;
import dev.portcullis.pdp.policy.PolicyBundle;
import dev.portcullis.pdp.policy.PolicyStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The HTTP load benchmark's decision work in a hot loop: the requests of {@code
 * bench/load/requests.tsv}, already parsed, mapped from AuthZEN to Cedar ({@code
 * AuthZenMapping}, as the server maps them for {@code examples/photoflash}) and decided ({@code
 * DecisionService}, with a decision log that keeps nothing), one after the other on one thread.
 * It prints the thread's CPU time per request for the mapping alone and for mapping and decision,
 * to set against what the same work costs inside the server under load (the JFR profile of
 * {@code JFR=1 bench/load/run.sh}, {@code bench/load/JfrCompare.java}): the difference is what
 * running among the network stack, the log writer and the load generator costs it, not its own
 * instructions.
 *
 * <p>Run from the repository root: {@code taskset -c 0 java -cp bench/target/benchmarks.jar
 * dev.portcullis.bench.load.HotLoop [REQUESTS_PER_ROUND]} (default 2,000,000; 8 rounds, the first
 * 3 are warm-up and not printed).
 */
public final class HotLoop {
    private HotLoop() {}

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        Path example = Path.of("examples/photoflash");
        Path requests = Path.of("bench/load/requests.tsv");
        if (!Files.isDirectory(example) || !Files.isRegularFile(requests)) {
            System.err.println(
                    "HotLoop: run it from the repository root (it reads " + example + " and " + requests + ")");
            System.exit(2);
        }
        PolicyStore policies = new PolicyStore();
        policies.update(PolicyBundle.fromDirectory(example));
        Schema schema = policies.current().schemaOrNull();
        DecisionService service = new DecisionService(
                policies,
                new StaticEntityProvider(EntityJson.parse(Files.readString(example.resolve("entities.json")), schema)),
                new NoLog()); // the writer's cost is bench/load/WriterBench.java's to measure
        // mapping.types of examples/photoflash/portcullis.yaml
        AuthZenMapping mapping = new AuthZenMapping(new Mapping(
                Map.of("user", "User", "group", "UserGroup", "album", "Album", "photo", "Photo"), "Action"));

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> bodies = new ArrayList<>();
        List<Boolean> expected = new ArrayList<>();
        for (String line : Files.readAllLines(requests)) {
            int tab = line.indexOf('\t');
            if (tab > 0 && !line.startsWith("#")) {
                expected.add(line.substring(0, tab).equals("allow"));
                bodies.add(json.readTree(line.substring(tab + 1)));
            }
        }
        for (int i = 0; i < bodies.size(); i++) { // a fast wrong answer must not pass unnoticed
            DecisionResult r = service.decide(map(mapping, bodies.get(i), schema));
            if (r.allowed() != expected.get(i)) {
                throw new IllegalStateException("request " + (i + 1) + " of " + requests + ": expected "
                        + (expected.get(i) ? "allow" : "deny") + ", got " + r);
            }
        }

        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 1; round <= 8; round++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                sink += map(mapping, bodies.get(i % bodies.size()), schema)
                        .facts()
                        .size();
            }
            long t1 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                sink += service.decide(map(mapping, bodies.get(i % bodies.size()), schema))
                                .allowed()
                        ? 1
                        : 0;
            }
            long t2 = cpu.getCurrentThreadCpuTime();
            if (round > 3) {
                System.out.printf(
                        "round %d: mapping %.2f us/req, mapping and decision %.2f us/req%n",
                        round - 3, (t1 - t0) / 1000.0 / n, (t2 - t1) / 1000.0 / n);
            }
        }
        if (sink == 42) {
            System.out.println(); // keeps the loops' results alive
        }
    }

    private static DecisionRequest map(AuthZenMapping mapping, JsonNode body, Schema schema) {
        return mapping.evaluation(
                        body.get("subject"),
                        body.get("action"),
                        body.get("resource"),
                        body.get("context"),
                        "",
                        schema,
                        "evaluation",
                        "anonymous")
                .request();
    }
}
