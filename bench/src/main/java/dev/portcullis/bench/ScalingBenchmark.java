package dev.portcullis.bench;

import dev.portcullis.bench.OopslaWorkload.Sample;
import dev.portcullis.cedar.Authorizer;
import dev.portcullis.cedar.Decision;
import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.entities.Entities;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Does the time per decision stay flat as the policy set grows from 10 to 1,000 to 10,000 policies?
 * (Target: at 10,000 at most 1.5× the time at 10.)
 *
 * <p>{@link ScalingWorkload} keeps the requests and entities fixed and grows the policy set with
 * filler policies of the forms real deployments accumulate, each pinned in its scope to a user,
 * group or document outside the request population; the requests hit a few hot policies. An engine
 * that evaluates every policy grows linearly; one that indexes policies by scope does not.
 * cedar-java runs on the same inputs for comparison (its policy set parsed and cached on the Rust
 * side, entities and requests converted ahead).
 *
 * <p>Run from the repository root with a JDK 21 or newer ({@code bench/run.sh} does this):
 *
 * <pre>
 * ./mvnw -q -B -pl bench -am -DskipTests package
 * java -jar bench/target/benchmarks.jar ScalingBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s \
 *     -rf json -rff bench/results/scaling.json
 * </pre>
 *
 * Restrict sizes with e.g. {@code -p policies=10,1000}.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ScalingBenchmark {
    static final int SAMPLES = 256; // a power of two: the round robin is a mask
    static final long SEED = 20240602L;

    @State(Scope.Thread)
    public static class Ours {
        @Param({"10", "1000", "10000"})
        public int policies;

        Authorizer authorizer;
        Request[] requests;
        Entities[] entities;
        int next;

        @Setup
        public void setup() {
            String text = ScalingWorkload.policies(policies);
            List<Sample> samples = new ScalingWorkload().requests(SAMPLES, SEED);
            long start = System.nanoTime();
            authorizer = new Authorizer(PolicySet.parse(text));
            System.out.printf(
                    "%n[setup] portcullis: %d policies parsed and indexed in %d ms%n",
                    policies, (System.nanoTime() - start) / 1_000_000);
            requests = samples.stream().map(Sample::request).toArray(Request[]::new);
            entities = samples.stream().map(Sample::entities).toArray(Entities[]::new);
            Agreement.check(policies + " policies", text, samples, authorizer, policies >= 10_000 ? 32 : SAMPLES);
        }
    }

    @State(Scope.Thread)
    public static class CedarJava {
        @Param({"10", "1000", "10000"})
        public int policies;

        CedarJavaBridge engine;
        CedarJavaBridge.Call[] calls;
        int next;

        @Setup
        public void setup() {
            String text = ScalingWorkload.policies(policies);
            List<Sample> samples = new ScalingWorkload().requests(SAMPLES, SEED);
            long start = System.nanoTime();
            engine = new CedarJavaBridge(text);
            System.out.printf(
                    "%n[setup] cedar-java: %d policies parsed and cached in %d ms%n",
                    engine.policyCount(), (System.nanoTime() - start) / 1_000_000);
            calls = samples.stream()
                    .map(s -> engine.prepare(s.request(), s.entityList()))
                    .toArray(CedarJavaBridge.Call[]::new);
        }
    }

    @Benchmark
    public Decision portcullis(Ours s) {
        int i = s.next = (s.next + 1) & (SAMPLES - 1);
        return s.authorizer.isAuthorized(s.requests[i], s.entities[i]).decision();
    }

    @Benchmark
    public boolean cedarJava(CedarJava s) {
        int i = s.next = (s.next + 1) & (SAMPLES - 1);
        return s.engine.isAllowed(s.calls[i]);
    }
}
