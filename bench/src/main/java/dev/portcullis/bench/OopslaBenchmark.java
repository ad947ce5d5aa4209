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
 * How long does one authorization decision take on the OOPSLA 2024 Cedar paper's workloads
 * (gdrive, github, tinytodo), for Portcullis and for cedar-java, in the same run?
 *
 * <p>Each workload's policies and schema are read from the shared conformance data (see {@link
 * SharedData}); {@link OopslaWorkload} generates {@value #SAMPLES} requests, each with its own slice
 * of 5–50 entities, from a fixed seed. Each benchmark invocation is one decision on the next sample,
 * round robin, with everything else prepared ahead: our {@link Authorizer} built once from the
 * parsed {@link PolicySet}, our {@link Entities} built once per sample; cedar-java's policy set
 * parsed and cached on the Rust side, its entities and requests converted once. Average time gives
 * the mean per decision, sample time its median (p50) and tail.
 *
 * <p>At set-up the two engines' decisions on all samples are compared and the allow rate printed,
 * so that a fast wrong answer cannot pass unnoticed.
 *
 * <p>Run from the repository root with a JDK 21 or newer ({@code bench/run.sh} does this):
 *
 * <pre>
 * ./mvnw -q -B -pl bench -am -DskipTests package
 * java -jar bench/target/benchmarks.jar OopslaBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s \
 *     -rf json -rff bench/results/oopsla.json
 * </pre>
 *
 * Add {@code -Dportcullis.shared=/path/to/shared} (before {@code -jar}) when the data is not at
 * {@code ../shared}.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class OopslaBenchmark {
    static final int SAMPLES = 256; // a power of two: the round robin is a mask
    static final long SEED = 20240601L;

    @State(Scope.Thread)
    public static class Ours {
        @Param({"gdrive", "github", "tinytodo"})
        public String workload;

        Authorizer authorizer;
        Request[] requests;
        Entities[] entities;
        int next;

        @Setup
        public void setup() {
            OopslaWorkload w = OopslaWorkload.load(workload);
            List<Sample> samples = w.generate(SAMPLES, SEED);
            authorizer = new Authorizer(PolicySet.parse(w.policyText));
            requests = samples.stream().map(Sample::request).toArray(Request[]::new);
            entities = samples.stream().map(Sample::entities).toArray(Entities[]::new);
            Agreement.check(workload, w.policyText, samples, authorizer);
        }
    }

    @State(Scope.Thread)
    public static class CedarJava {
        @Param({"gdrive", "github", "tinytodo"})
        public String workload;

        CedarJavaBridge engine;
        CedarJavaBridge.Call[] calls;
        int next;

        @Setup
        public void setup() {
            OopslaWorkload w = OopslaWorkload.load(workload);
            List<Sample> samples = w.generate(SAMPLES, SEED);
            engine = new CedarJavaBridge(w.policyText);
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
