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
import dev.portcullis.pdp.log.DecisionLog;
import dev.portcullis.pdp.log.DecisionRecord;
import dev.portcullis.pdp.log.LogEntry;
import dev.portcullis.pdp.log.LogQuery;
import dev.portcullis.pdp.log.VerifyResult;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
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

/**
 * What does the session step cost a decision? (Target: at most 20 % over the same decision without
 * a session.)
 *
 * <p>{@code DecisionService.decide} on the same policies, entities and request, once without a
 * session ({@code noSession}) and once in a session ({@code inSession}). The session kinds:
 *
 * <ul>
 *   <li>{@code plain}: an agent's own session, no boundary: the session checks, {@code
 *       context.session}, one policy evaluation, the counting of the allow;
 *   <li>{@code boundary}: the same with a boundary (actions, a wildcard resource pattern, a
 *       dataset): one more, small, Cedar evaluation;
 *   <li>{@code user}: a boundary and a user the agent acts for: two policy evaluations (agent and
 *       user), which is what acting for a user means, so expect about twice the plain cost there.
 * </ul>
 *
 * The decision log is a no-op, so that the figures are the decision path's own (the log's cost is
 * the same with or without a session, apart from one more column). The session counts every allow
 * in memory; nothing is written to a store during the measurement.
 *
 * <p>Run from the repository root with a JDK 21 or newer:
 *
 * <pre>
 * ./mvnw -q -B -pl bench -am -DskipTests package
 * java -jar bench/target/benchmarks.jar SessionBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s \
 *     -rf json -rff bench/results/sessions.json
 * </pre>
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

    /** A decision log that keeps nothing. */
    static final class NoLog implements DecisionLog {
        @Override
        public void append(DecisionRecord record) {}

        @Override
        public List<LogEntry> query(LogQuery query) {
            return List.of();
        }

        @Override
        public VerifyResult verify() {
            return VerifyResult.ok(0);
        }

        @Override
        public void close() {}
    }
}
