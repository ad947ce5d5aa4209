package dev.portcullis.bench;

import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.ast.SlotId;
import dev.portcullis.cedar.format.PolicyFormatter;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.validation.ValidationResult;
import dev.portcullis.cedar.validation.Validator;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * How long does strict validation of {@value #POLICIES} policies take against the OOPSLA 2024
 * Cedar paper's schemas (gdrive, github, tinytodo and the two template variants)?
 *
 * <p>The policies have the forms of each bench's own policy file: its static policies, and links
 * of its templates (as an application with per-user grants would have), cycled to {@value
 * #POLICIES} with distinct ids. Template slots are filled with entities of every type for which the
 * link validates, so the workload is mostly valid policies, as in production. The validator is
 * built once per iteration inside the measured method: building it is part of validating against a
 * schema.
 *
 * <p>Run from the repository root:
 *
 * <pre>
 * ./mvnw -q -B -pl bench -am -DskipTests package
 * java -jar bench/target/benchmarks.jar ValidationBenchmark -f 1 -wi 3 -i 5 -rf json \
 *     -rff bench/results/validation.json
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ValidationBenchmark {
    static final int POLICIES = 10_000;

    @State(Scope.Thread)
    public static class Workload {
        @Param({"gdrive", "github", "tinytodo", "gdrive-templates", "github-templates"})
        String bench;

        Schema schema;
        List<Policy> policies;
        com.cedarpolicy.model.ValidationRequest cedarRequest;

        @Setup
        public void setup() {
            Path dir = SharedData.oopslaDir().resolve("benches").resolve(bench).resolve("cedar");
            schema = Schema.parseJson(read(only(dir, ".cedarschema.json")));
            PolicySet source = PolicySet.parse(read(only(dir, ".cedar")));
            policies = generate(schema, source, POLICIES);
            ValidationResult r = new Validator(schema).validate(policies);
            // cedar-java gets the same policies as text (links written out as static policies)
            try {
                cedarRequest = new com.cedarpolicy.model.ValidationRequest(
                        com.cedarpolicy.model.schema.Schema.parse(
                                com.cedarpolicy.model.schema.Schema.JsonOrCedar.Json,
                                read(only(dir, ".cedarschema.json"))),
                        com.cedarpolicy.model.policy.PolicySet.parsePolicies(PolicyFormatter.format(policies)));
                var cr = ENGINE.validate(cedarRequest);
                System.out.printf(
                        "%n%s: %d policies, %d errors, %d warnings; cedar-java: %s%n",
                        bench,
                        policies.size(),
                        r.errors().size(),
                        r.warnings().size(),
                        cr.validationPassed() ? "valid" : "invalid");
            } catch (Exception e) {
                throw new IllegalStateException("cedar-java could not take the workload", e);
            }
        }
    }

    static final com.cedarpolicy.BasicAuthorizationEngine ENGINE = new com.cedarpolicy.BasicAuthorizationEngine();

    @Benchmark
    public ValidationResult validate(Workload w) {
        return new Validator(w.schema).validate(w.policies);
    }

    /**
     * cedar-java's validator on the same policies. Its API sends the schema and the policy text
     * over JNI and Rust parses both on every call, so this measures what a cedar-java user pays
     * to validate, parsing included; it is context for the figure above, not a like-for-like
     * comparison of type checkers.
     */
    @Benchmark
    public Object cedarJava(Workload w) throws Exception {
        return ENGINE.validate(w.cedarRequest);
    }

    /**
     * {@code n} policies: the static policies of {@code source} and links of its templates, in
     * turn. Each template is linked with, for each slot, entity types for which the single link
     * validates (so that links are not all errors), ids varying with the position.
     */
    static List<Policy> generate(Schema schema, PolicySet source, int n) {
        List<Policy> statics = new ArrayList<>(source.policies());
        List<Policy> templates = new ArrayList<>(source.templates());
        // per template, the slot typings for which a single link validates
        Map<String, List<Map<SlotId, EntityType>>> typings = new java.util.HashMap<>();
        for (Policy t : templates) {
            List<Map<SlotId, EntityType>> all = new ArrayList<>();
            all.add(new EnumMap<>(SlotId.class));
            for (SlotId slot : PolicySet.slotsOf(t)) {
                List<Map<SlotId, EntityType>> next = new ArrayList<>();
                for (Map<SlotId, EntityType> m : all) {
                    for (EntityType type : schema.entityTypeNames()) {
                        Map<SlotId, EntityType> more = new EnumMap<>(SlotId.class);
                        more.putAll(m);
                        more.put(slot, type);
                        next.add(more);
                    }
                }
                all = next;
            }
            List<Map<SlotId, EntityType>> ok = new ArrayList<>();
            for (Map<SlotId, EntityType> m : all) {
                PolicySet one = PolicySet.of(List.of(t)).link(t.id(), "probe", values(m, 0));
                if (new Validator(schema).validate(List.of(one.policy("probe"))).isValid()) {
                    ok.add(m);
                }
            }
            typings.put(t.id(), ok.isEmpty() ? all : ok);
        }
        int forms = statics.size() + templates.size();
        List<Policy> out = new ArrayList<>(n);
        PolicySet links = PolicySet.of(templates);
        List<PolicySet.TemplateLink> toLink = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int f = i % forms;
            if (f < statics.size()) {
                Policy p = statics.get(f);
                out.add(new Policy(
                        "p" + i,
                        p.effect(),
                        p.principal(),
                        p.action(),
                        p.resource(),
                        p.conditions(),
                        p.annotations(),
                        p.templateId(),
                        p.loc()));
            } else {
                Policy t = templates.get(f - statics.size());
                List<Map<SlotId, EntityType>> ok = typings.get(t.id());
                toLink.add(new PolicySet.TemplateLink(t.id(), "p" + i, values(ok.get((i / forms) % ok.size()), i)));
            }
        }
        if (!toLink.isEmpty()) {
            links = links.linkAll(toLink);
            for (PolicySet.TemplateLink l : toLink) {
                out.add(links.policy(l.linkId()));
            }
        }
        return out;
    }

    private static Map<SlotId, EntityUid> values(Map<SlotId, EntityType> types, int i) {
        Map<SlotId, EntityUid> m = new EnumMap<>(SlotId.class);
        types.forEach((slot, type) -> m.put(slot, new EntityUid(type, "e" + i)));
        return m;
    }

    private static Path only(Path dir, String suffix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .filter(p -> !suffix.equals(".cedar") || !p.toString().endsWith(".cedarschema"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no `*" + suffix + "` in `" + dir + "`"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
