package dev.portcullis.bench;

import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.json.EntityJson;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.pdp.DecisionRequest;
import dev.portcullis.pdp.DecisionResult;
import dev.portcullis.pdp.DecisionService;
import dev.portcullis.pdp.entity.StaticEntityProvider;
import dev.portcullis.pdp.identity.VerifiedToken;
import dev.portcullis.pdp.policy.PolicyBundle;
import dev.portcullis.pdp.policy.PolicyStore;
import dev.portcullis.pdp.session.Boundary;
import dev.portcullis.pdp.session.InMemorySessionStore;
import dev.portcullis.pdp.session.SessionConfig;
import dev.portcullis.pdp.session.SessionRequest;
import dev.portcullis.pdp.session.SessionService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What does the session step cost a decision? (Target: at most 20 % over the same decision without
 * a session.)
 *
 * <p>{@code DecisionService.decide} on the same policies, entities and request, once without a
 * session ({@code noSession}) and once in a session ({@code inSession}). The session kinds:
 *
 * <ul>
 *   <li>{@code plain}: an agent's own session, no boundary: the session checks, {@code
 *       context.session} (built only if an applicable policy reads it, which here none does: only the
 *       {@code send_email} forbid reads it), one policy evaluation, the counting of the allow;
 *   <li>{@code boundary}: the same with a boundary (actions, a wildcard resource pattern, a
 *       dataset): one more, small, Cedar evaluation the first time, then the answer the session
 *       remembers for this request and entity store;
 *   <li>{@code user}: a boundary and a user the agent acts for: two policy evaluations (agent and
 *       user), which is what acting for a user means, so expect about twice the plain cost there.
 * </ul>
 *
 * The decision log is a no-op, so that the figures are the decision path's own (the log's cost is
 * the same with or without a session, apart from one more column). The session counts every allow
 * in memory; nothing is written to a store during the measurement.
 *
 * <p><b>The figure the target asks for</b> is the ratio {@code inSession / noSession} of one JMH
 * run (same policies, entities and request; both in the same JVM, one after the other), per
 * session kind. {@link #main} runs the benchmark with the JMH options it is given and prints those
 * ratios; run from the repository root with a JDK 21 or newer:
 *
 * <pre>
 * ./mvnw -q -B -pl bench -am -DskipTests package
 * java -cp bench/target/benchmarks.jar dev.portcullis.bench.SessionBenchmark \
 *     -f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc -rf json -rff bench/results/sessions.json
 * </pre>
 *
 * On a machine whose speed drifts (or that is busy with other work), {@code --cpu-time} instead of
 * JMH options times both in the benchmark thread's CPU time, interleaved in one JVM (see {@link
 * #cpuTime}): JMH's forks run one after the other and see the drift as a difference; on the
 * project's 2-core machine the interleaved medians were the steadier figure (docs/performance.md).
 *
 * <p>The target (at most 20 %) is about {@code plain} and {@code boundary}: a session's own checks.
 * {@code user} asks the policies twice by design (agent and user); its ratio is printed too, with
 * the ratio to two decisions without a session next to it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class SessionBenchmark {
    static final String POLICIES = """
            @id("agents-read")
            permit (principal is Agent, action == Action::"read", resource) when { resource.classification != "secret" };
            @id("users-read")
            permit (principal is User, action == Action::"read", resource) when { resource.owner == principal };
            @id("agents-send")
            permit (principal is Agent, action == Action::"send_email", resource);
            @id("no-exfiltration")
            forbid (principal, action == Action::"send_email", resource)
            when { resource.external && context has session && context.session.labels.contains("confidential") };
            @id("no-interns")
            forbid (principal, action, resource) when { principal has dept && principal.dept == "intern" };
            @id("admins")
            permit (principal in Group::"admins", action, resource);
            """;

    static final String ENTITIES = """
            [
              {"uid": {"type": "User", "id": "alice"}, "attrs": {"dept": "sales"}, "parents": []},
              {"uid": {"type": "Agent", "id": "bot"}, "attrs": {}, "parents": []},
              {"uid": {"type": "Group", "id": "admins"}, "attrs": {}, "parents": []},
              {"uid": {"type": "Doc", "id": "report-7"},
               "attrs": {"classification": "internal", "owner": {"__entity": {"type": "User", "id": "alice"}}, "dataset": "sales"},
               "parents": []}
            ]
            """;

    static final EntityUid BOT = EntityUid.of("Agent", "bot");
    static final EntityUid READ = EntityUid.of("Action", "read");
    static final EntityUid DOC = EntityUid.of("Doc", "report-7");

    @Param({"plain", "boundary", "user"})
    public String session;

    SessionService sessions;
    DecisionService service;
    DecisionRequest withoutSession;
    DecisionRequest withSession;

    @Setup(Level.Trial)
    public void setUp() {
        PolicyStore policies = new PolicyStore();
        policies.update(PolicyBundle.of(Map.of("main.cedar", POLICIES)));
        Entities entities = EntityJson.parse(ENTITIES, null);
        sessions = new SessionService(
                SessionConfig.builder()
                        .labels(List.of("classification"), List.of("read"))
                        .flushInterval(Duration.ofHours(1))
                        .build(),
                new InMemorySessionStore());
        service = new DecisionService(
                policies::current, new StaticEntityProvider(entities), new NoLog(), Clock.systemUTC(), sessions);

        Instant now = Instant.now();
        SessionRequest req =
                switch (session) {
                    case "plain" -> SessionRequest.of(token("bot", List.of(), now));
                    case "boundary" ->
                        SessionRequest.of(token("bot", List.of(), now)).withBoundary(boundary());
                    case "user" ->
                        SessionRequest.of(token("alice", List.of(new VerifiedToken.Actor("bot", null)), now))
                                .withBoundary(boundary());
                    default -> throw new IllegalArgumentException("unknown session kind `" + session + "`");
                };
        String id = sessions.create(req.withExpiresIn(Duration.ofHours(24)))
                .session()
                .id();
        withoutSession = DecisionRequest.of(BOT, READ, DOC, RecordValue.EMPTY);
        withSession = withoutSession.withSessionId(id);
        check(service.decide(withoutSession));
        check(service.decide(withSession));
    }

    static Boundary boundary() {
        return new Boundary(
                List.of("read", "send_email"), List.of("Doc::\"report-*\"", "Mailbox::*"), List.of("sales"));
    }

    static VerifiedToken token(String subject, List<VerifiedToken.Actor> actors, Instant now) {
        return new VerifiedToken(
                "https://idp.example",
                subject,
                Set.of("portcullis"),
                null,
                now,
                now.plus(Duration.ofDays(2)),
                actors,
                Map.of());
    }

    private static void check(DecisionResult r) {
        if (!r.allowed()) {
            throw new IllegalStateException("the benchmark request must be allowed: " + r);
        }
    }

    /**
     * Runs this benchmark with the JMH command-line options in {@code args} (name no benchmark
     * there: this class's are included) and prints {@code inSession / noSession} per session kind.
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--cpu-time")) {
            cpuTime();
            return;
        }
        CommandLineOptions cli = new CommandLineOptions(args);
        Options options = new OptionsBuilder()
                .parent(cli)
                .include(SessionBenchmark.class.getName() + "\\.")
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, double[]> byKind = new TreeMap<>();
        String unit = "";
        for (RunResult r : results) {
            String kind = r.getParams().getParam("session");
            String method = r.getParams().getBenchmark();
            double score = r.getPrimaryResult().getScore();
            unit = r.getPrimaryResult().getScoreUnit();
            double[] pair = byKind.computeIfAbsent(kind, k -> new double[2]);
            pair[method.endsWith(".inSession") ? 1 : 0] = score;
        }
        System.out.println();
        System.out.println("Session overhead: inSession / noSession (same policies, entities, request; one run)");
        for (Map.Entry<String, double[]> e : byKind.entrySet()) {
            double none = e.getValue()[0];
            double in = e.getValue()[1];
            String line = String.format(
                    java.util.Locale.ROOT,
                    "  %-9s %.2f  (inSession %.0f %s, noSession %.0f %s)",
                    e.getKey(),
                    in / none,
                    in,
                    unit,
                    none,
                    unit);
            if (e.getKey().equals("user")) {
                line += String.format(
                        java.util.Locale.ROOT, "; vs two decisions without a session: %.2f", in / (2 * none));
            }
            System.out.println(line);
        }
    }

    /**
     * A check for a busy machine, where JMH's wall-clock figures swing with the load: per session
     * kind, 25 rounds of 20,000 decisions without and 20,000 with the session, one after the
     * other in one thread, each timed in that thread's CPU time (time spent waiting for a core is
     * not counted); prints the median of the rounds' ratios. Not a substitute for the JMH run on a
     * quiet machine: a loaded machine also slows what does run (caches, frequency).
     */
    static void cpuTime() {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        System.out.println("Session overhead in thread CPU time: inSession / noSession, median of 25 rounds");
        for (String kind : List.of("plain", "boundary", "user")) {
            SessionBenchmark b = new SessionBenchmark();
            b.session = kind;
            b.setUp();
            int n = 20_000;
            for (int i = 0; i < 20 * n; i++) {
                b.noSession();
                b.inSession();
            }
            double[] ratios = new double[25];
            double[] none = new double[ratios.length];
            double[] in = new double[ratios.length];
            for (int round = 0; round < ratios.length; round++) {
                long t0 = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    b.noSession();
                }
                long t1 = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    b.inSession();
                }
                long t2 = cpu.getCurrentThreadCpuTime();
                none[round] = (t1 - t0) / (double) n;
                in[round] = (t2 - t1) / (double) n;
                ratios[round] = in[round] / none[round];
            }
            b.tearDown();
            java.util.Arrays.sort(ratios);
            java.util.Arrays.sort(none);
            java.util.Arrays.sort(in);
            int mid = ratios.length / 2;
            System.out.printf(
                    java.util.Locale.ROOT,
                    "  %-9s %.2f  (median inSession %.0f ns, noSession %.0f ns; ratios %.2f..%.2f)%n",
                    kind,
                    ratios[mid],
                    in[mid],
                    none[mid],
                    ratios[0],
                    ratios[ratios.length - 1]);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sessions.close();
    }

    @Benchmark
    public DecisionResult noSession() {
        return service.decide(withoutSession);
    }

    @Benchmark
    public DecisionResult inSession() {
        return service.decide(withSession);
    }
}
