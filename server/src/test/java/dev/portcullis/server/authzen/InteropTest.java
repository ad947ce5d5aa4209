package dev.portcullis.server.authzen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AuthZEN interop scenarios of openid/authzen, over HTTP against the real server serving the
 * scenario's example ({@code examples/authzen-*}), compared the way the interop runners compare:
 *
 * <ul>
 *   <li>Todo ({@code decisions-authorization-api-1_0-01.json}, {@code -02.json}): an evaluation
 *       passes when {@code decision} equals the expected boolean (a missing decision counts as
 *       {@code false}, as in the runner); a batch passes when the response's {@code evaluations}
 *       is exactly the expected list of {@code {"decision": ..}} objects.
 *   <li>API gateway ({@code decisions.json}): evaluations, as above.
 *   <li>Search ({@code subject|resource|action/results.json}): {@code results} compared as sets.
 * </ul>
 *
 * Every mismatch is printed with its request, the expected and the actual answer; the case counts
 * are asserted so that a truncated data file cannot pass.
 */
class InteropTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static Path interopData() {
        String prop = System.getProperty("portcullis.shared");
        Path dir = prop == null ? null : Path.of(prop, "conformance", "authzen", "interop");
        Assumptions.assumeTrue(
                dir != null && Files.isDirectory(dir),
                "authzen interop data not found (expected ../shared/conformance/authzen/interop): skipped");
        return dir;
    }

    /** What one scenario file produced. */
    record Tally(String name, int cases, List<String> mismatches) {
        int passed() {
            return cases - mismatches.size();
        }

        @Override
        public String toString() {
            return name + ": " + passed() + "/" + cases + " pass";
        }
    }

    private static void report(Tally... tallies) {
        for (Tally t : tallies) {
            System.out.println("authzen interop " + t);
            t.mismatches().forEach(m -> System.out.println("  MISMATCH " + m));
        }
    }

    private static String mismatch(String endpoint, JsonNode request, Object expected, Object actual) {
        return "POST " + endpoint + " " + request + "\n    expected: " + expected + "\n    actual:   " + actual;
    }

    /** The evaluation cases of a decision file: {@code decision} compared with the expected boolean. */
    static Tally evaluations(String name, TestPdp pdp, JsonNode file) throws IOException, InterruptedException {
        List<String> bad = new ArrayList<>();
        int n = 0;
        for (JsonNode c : file.path("evaluation")) {
            n++;
            TestPdp.Res r = pdp.post("/access/v1/evaluation", c.get("request"));
            // the runner: `data.decision || false`
            boolean actual = r.body() != null && r.body().path("decision").asBoolean(false);
            boolean expected = c.get("expected").asBoolean();
            if (r.status() != 200 || actual != expected) {
                bad.add(mismatch("/access/v1/evaluation", c.get("request"), expected, r));
            }
        }
        return new Tally(name + " evaluation", n, bad);
    }

    /** The batch cases of a decision file: the {@code evaluations} array compared exactly. */
    static Tally batches(String name, TestPdp pdp, JsonNode file) throws IOException, InterruptedException {
        List<String> bad = new ArrayList<>();
        int n = 0;
        for (JsonNode c : file.path("evaluations")) {
            n++;
            TestPdp.Res r = pdp.post("/access/v1/evaluations", c.get("request"));
            JsonNode actual = r.body() == null ? null : r.body().get("evaluations");
            if (r.status() != 200 || !c.get("expected").equals(actual)) {
                bad.add(mismatch("/access/v1/evaluations", c.get("request"), c.get("expected"), r));
            }
        }
        return new Tally(name + " evaluations", n, bad);
    }

    /** The search cases of a results file: {@code results} compared as sets. */
    static Tally searches(String kind, TestPdp pdp, JsonNode file) throws IOException, InterruptedException {
        List<String> bad = new ArrayList<>();
        int n = 0;
        String endpoint = "/access/v1/search/" + kind;
        for (JsonNode c : file.path("evaluation")) {
            n++;
            TestPdp.Res r = pdp.post(endpoint, c.get("request"));
            Set<JsonNode> expected = asSet(c.path("expected").path("results"));
            Set<JsonNode> actual = r.body() == null ? null : asSet(r.body().path("results"));
            if (r.status() != 200 || !expected.equals(actual)) {
                bad.add(mismatch(endpoint, c.get("request"), expected, r));
            }
        }
        return new Tally("search " + kind, n, bad);
    }

    private static Set<JsonNode> asSet(JsonNode array) {
        Set<JsonNode> s = new HashSet<>();
        array.forEach(s::add);
        return s;
    }

    static JsonNode read(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    @Test
    void todo(@TempDir Path tmp) throws Exception {
        Path dir = interopData().resolve("authzen-todo-backend/test");
        JsonNode v01 = read(dir.resolve("decisions-authorization-api-1_0-01.json"));
        JsonNode v02 = read(dir.resolve("decisions-authorization-api-1_0-02.json"));
        try (TestPdp pdp = TestPdp.start("authzen-todo", tmp)) {
            Tally a = evaluations("todo -01", pdp, v01);
            Tally b = evaluations("todo -02", pdp, v02);
            Tally c = batches("todo -02", pdp, v02);
            report(a, b, c);
            assertThat(List.of(a.cases(), b.cases(), c.cases())).containsExactly(40, 40, 3);
            assertThat(a.mismatches()).isEmpty();
            assertThat(b.mismatches()).isEmpty();
            assertThat(c.mismatches()).isEmpty();
        }
    }

    @Test
    void apiGateway(@TempDir Path tmp) throws Exception {
        JsonNode file = read(interopData().resolve("authzen-api-gateways/test-harness/test/decisions.json"));
        try (TestPdp pdp = TestPdp.start("authzen-gateway", tmp)) {
            Tally t = evaluations("api gateway", pdp, file);
            report(t);
            assertThat(t.cases()).isEqualTo(25);
            assertThat(t.mismatches()).isEmpty();
        }
    }

    @Test
    void search(@TempDir Path tmp) throws Exception {
        Path dir = interopData().resolve("authzen-search-demo/test");
        try (TestPdp pdp = TestPdp.start("authzen-search", tmp)) {
            Tally s = searches("subject", pdp, read(dir.resolve("subject/results.json")));
            Tally r = searches("resource", pdp, read(dir.resolve("resource/results.json")));
            Tally a = searches("action", pdp, read(dir.resolve("action/results.json")));
            report(s, r, a);
            assertThat(List.of(s.cases(), r.cases(), a.cases())).containsExactly(60, 18, 120);
            assertThat(s.mismatches()).isEmpty();
            assertThat(r.mismatches()).isEmpty();
            assertThat(a.mismatches()).isEmpty();
        }
    }
}
