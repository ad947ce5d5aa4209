package dev.portcullis.server.authzen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every case of the AuthZEN Authorization API 1.0 certification scenario (Basic, Batch, Search,
 * Discovery), over HTTP against the real server serving {@code examples/authzen-certification}
 * (the scenario's fixture). The cases are the requests and expectations the scenario's text lists,
 * transcribed in {@code src/test/resources/authzen/certification-1_0.json} (its {@code fields}
 * say what each key checks). The scenario needs no shared data, so this test always runs.
 */
class CertificationTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyCaseOfTheCertificationScenario(@TempDir Path tmp) throws Exception {
        JsonNode doc;
        try (InputStream in = CertificationTest.class.getResourceAsStream("/authzen/certification-1_0.json")) {
            doc = JSON.readTree(in);
        }
        Map<String, int[]> byLevel = new LinkedHashMap<>(); // level -> {passed, total}
        List<String> failures = new ArrayList<>();
        try (TestPdp pdp = TestPdp.start("authzen-certification", tmp)) {
            for (JsonNode c : doc.get("cases")) {
                List<String> problems = check(pdp, c);
                int[] t = byLevel.computeIfAbsent(c.get("level").asText(), k -> new int[2]);
                t[1]++;
                if (problems.isEmpty()) {
                    t[0]++;
                } else {
                    failures.add(c.get("id").asText() + " (" + c.get("endpoint").asText() + " " + c.path("request")
                            + "): " + String.join("; ", problems));
                }
            }
        }
        byLevel.forEach((level, t) -> System.out.println("authzen certification " + level + ": " + t[0] + "/" + t[1]));
        failures.forEach(f -> System.out.println("  MISMATCH " + f));
        assertThat(doc.get("cases")).hasSize(52);
        assertThat(failures).isEmpty();
    }

    private static List<String> check(TestPdp pdp, JsonNode c) throws Exception {
        List<String> p = new ArrayList<>();
        String endpoint = c.get("endpoint").asText();
        int repeat = c.path("repeat").asInt(1);
        TestPdp.Res first = null;
        for (int i = 0; i < repeat; i++) {
            TestPdp.Res r = send(pdp, c);
            if (first == null) {
                first = r;
            } else if (!java.util.Objects.equals(
                    r.body() == null ? null : r.body().get("decision"),
                    first.body() == null ? null : first.body().get("decision"))) {
                p.add("decision changed on repetition " + (i + 1) + ": " + r);
            }
        }
        TestPdp.Res r = first;
        int status = c.get("status").asInt();
        if (r.status() != status) {
            p.add("expected HTTP " + status + ", got " + r);
            return p;
        }
        if (status != 200) {
            return p;
        }
        if (!r.headers().firstValue("content-type").orElse("").startsWith("application/json") || r.body() == null) {
            p.add("not a json response: " + r);
            return p;
        }
        JsonNode body = r.body();
        if (c.has("requestId")
                && !c.get("requestId")
                        .asText()
                        .equals(r.headers().firstValue("x-request-id").orElse(null))) {
            p.add("x-request-id not echoed");
        }
        if (body.has("context") && !body.get("context").isObject()) {
            p.add("`context` is not an object: " + r);
        }
        if (c.has("decision")) {
            if (!body.path("decision").isBoolean()) {
                p.add("no boolean `decision`: " + r);
            } else if (body.get("decision").booleanValue() != c.get("decision").booleanValue()) {
                p.add("expected decision " + c.get("decision") + ", got " + r);
            }
        }
        if (c.has("evaluations") || c.has("count")) {
            checkBatch(c, body, p, r);
        }
        if (c.has("includes") || c.has("results") || c.has("paged")) {
            checkSearch(pdp, c, endpoint, body, p, r);
        }
        if (c.path("metadata").asBoolean()) {
            checkMetadata(pdp, body, p);
        }
        return p;
    }

    private static TestPdp.Res send(TestPdp pdp, JsonNode c) throws Exception {
        String endpoint = c.get("endpoint").asText();
        if (c.path("method").asText("POST").equals("GET")) {
            return pdp.get(endpoint);
        }
        String body = c.has("body") ? c.get("body").asText() : JSON.writeValueAsString(c.get("request"));
        return pdp.send(
                endpoint,
                body,
                c.path("contentType").asText("application/json"),
                c.has("requestId") ? c.get("requestId").asText() : null);
    }

    private static void checkBatch(JsonNode c, JsonNode body, List<String> p, TestPdp.Res r) {
        JsonNode items = body.get("evaluations");
        if (items == null || !items.isArray()) {
            p.add("no `evaluations` array: " + r);
            return;
        }
        int n = c.has("count") ? c.get("count").asInt() : c.get("evaluations").size();
        if (items.size() != n) {
            p.add("expected " + n + " evaluations, got " + r);
            return;
        }
        for (int i = 0; i < n; i++) {
            JsonNode d = items.get(i).get("decision");
            if (d == null || !d.isBoolean()) {
                p.add("evaluations[" + i + "] has no boolean decision: " + r);
            } else if (c.has("evaluations")
                    && d.booleanValue() != c.get("evaluations").get(i).booleanValue()) {
                p.add("evaluations[" + i + "]: expected " + c.get("evaluations").get(i) + ", got " + r);
            }
        }
    }

    private static void checkSearch(
            TestPdp pdp, JsonNode c, String endpoint, JsonNode body, List<String> p, TestPdp.Res r) throws Exception {
        List<JsonNode> results = new ArrayList<>();
        if (!body.path("results").isArray()) {
            p.add("no `results` array: " + r);
            return;
        }
        body.get("results").forEach(results::add);
        if (c.path("paged").asBoolean()) {
            // c-4-5-1 then c-4-5-2: follow the tokens; the last page says "" and the pages add up
            JsonNode page = body.get("page");
            int pages = 1;
            while (page != null
                    && page.path("next_token").isTextual()
                    && !page.get("next_token").asText().isEmpty()) {
                ObjectNode next = ((ObjectNode) c.get("request")).deepCopy();
                next.putObject("page").put("token", page.get("next_token").asText());
                TestPdp.Res more = pdp.post(endpoint, next);
                if (more.status() != 200
                        || more.body() == null
                        || !more.body().path("results").isArray()) {
                    p.add("page " + (pages + 1) + ": " + more);
                    return;
                }
                if (!more.body().path("page").path("next_token").isTextual()) {
                    p.add("page " + (pages + 1) + " has no string page.next_token: " + more);
                }
                more.body().get("results").forEach(results::add);
                page = more.body().get("page");
                pages++;
            }
            if (page != null && !page.isObject()) {
                p.add("`page` is not an object: " + r);
            }
            if (c.get("request").path("page").path("limit").asInt() == 1 && pages < 2) {
                p.add("limit 1 with two matching users returned a single page: " + r);
            }
            Set<JsonNode> all = new HashSet<>(results);
            if (all.size() != results.size()) {
                p.add("pages repeat a result: " + results);
            }
        }
        String type = c.path("resultType").asText(null);
        for (JsonNode x : results) {
            boolean shaped =
                    type == null ? x.path("name").isTextual() : x.path("id").isTextual();
            if (!shaped || (type != null && !type.equals(x.path("type").asText()))) {
                p.add("malformed result " + x + " in " + r);
            }
        }
        Set<JsonNode> got = new HashSet<>(results);
        if (c.has("results")) {
            Set<JsonNode> want = new HashSet<>();
            c.get("results").forEach(want::add);
            if (!want.equals(got)) {
                p.add("expected results " + c.get("results") + ", got " + r);
            }
        }
        if (c.has("includes")) {
            for (JsonNode want : c.get("includes")) {
                if (!got.contains(want)) {
                    p.add("missing " + want + " in " + r);
                }
            }
        }
    }

    private static void checkMetadata(TestPdp pdp, JsonNode body, List<String> p) {
        if (!pdp.base.equals(body.path("policy_decision_point").asText())) {
            p.add("policy_decision_point is not the base url " + pdp.base + ": " + body);
        }
        if (!body.path("access_evaluation_endpoint").isTextual()) {
            p.add("no access_evaluation_endpoint: " + body);
        }
        for (String k : List.of(
                "access_evaluation_endpoint",
                "access_evaluations_endpoint",
                "search_subject_endpoint",
                "search_resource_endpoint",
                "search_action_endpoint")) {
            JsonNode v = body.get(k);
            // the harness wants https; this test serves plain http on loopback, so the scheme is
            // whatever the base url's is, and the path the spec's default
            String path = "/access/v1/"
                    + k.replace("access_", "").replace("_endpoint", "").replace("search_", "search/");
            if (v != null && !(pdp.base + path).equals(v.asText())) {
                p.add(k + ": expected " + pdp.base + path + ", got " + v);
            }
        }
    }
}
