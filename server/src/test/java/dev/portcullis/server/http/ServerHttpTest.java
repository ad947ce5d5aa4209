package dev.portcullis.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server on an ephemeral port, over HTTP, serving a copy of the photoflash example:
 * Alice is in the `family` group that may view Bob's `vacation` album; `diary.jpg` is private and
 * locked; Bob owns both photos.
 */
class ServerHttpTest {
    static final String PEP_KEY = "pep-key-0123456789abcdef";
    static final String ADMIN_KEY = "admin-key-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static PortcullisServer server;
    static HttpClient http;
    static String base;

    @BeforeAll
    static void start() throws IOException {
        server = ExampleServer.start(dir, "", """
                auth:
                  api_keys:
                    - {name: gateway, key: %s, roles: [pep]}
                    - {name: ops, key: %s, roles: [admin]}
                """.formatted(PEP_KEY, ADMIN_KEY));
        http = HttpClient.newHttpClient();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    record Res(int status, JsonNode body, HttpResponse<String> raw) {}

    static Res call(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = TempServer.request(method, base + path, body);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        if (r.headers().firstValue("content-type").orElse("").startsWith("application/json")) {
            json = JSON.readTree(r.body());
        }
        return new Res(r.statusCode(), json, r);
    }

    static Res pep(String path, String body) throws Exception {
        return call("POST", path, body, "Authorization", "Bearer " + PEP_KEY);
    }

    static Res admin(String method, String path, String body) throws Exception {
        return call(method, path, body, "X-API-Key", ADMIN_KEY);
    }

    static String eval(String user, String action, String photo) {
        return """
                {"subject": {"type": "user", "id": "%s"}, "action": {"name": "%s"},
                 "resource": {"type": "photo", "id": "%s"}, "unknown_field": [1, 2]}""".formatted(user, action, photo);
    }

    @Test
    void evaluationAllowsAndDenies() throws Exception {
        Res allow = pep("/access/v1/evaluation", eval("alice", "view", "vacation.jpg"));
        assertThat(allow.status()).isEqualTo(200);
        assertThat(allow.body().get("decision").asBoolean()).isTrue();
        assertThat(allow.body().at("/context/decision_id").asText()).isNotEmpty();

        // the diary is private: a family member may not view it; a deny is still HTTP 200
        Res deny = pep("/access/v1/evaluation", eval("alice", "view", "diary.jpg"));
        assertThat(deny.status()).isEqualTo(200);
        assertThat(deny.body().get("decision").asBoolean()).isFalse();
    }

    @Test
    void explainReturnsTheDeterminingPolicies() throws Exception {
        Res r = pep("/access/v1/evaluation", """
                {"subject": {"type": "user", "id": "bob"}, "action": {"name": "edit"},
                 "resource": {"type": "photo", "id": "diary.jpg"}, "context": {"portcullis": {"explain": true}}}""");
        assertThat(r.body().get("decision").asBoolean()).isFalse();
        assertThat(r.body().at("/context/reasons").toString()).contains("locked-photos-are-read-only");
    }

    @Test
    void propertiesOverlayTheEntityStore() throws Exception {
        // the caller says the diary is not locked and not private: its properties win for this decision
        Res r = pep("/access/v1/evaluation", """
                {"subject": {"type": "user", "id": "bob"}, "action": {"name": "edit"},
                 "resource": {"type": "photo", "id": "diary.jpg", "properties": {"locked": false}}}""");
        assertThat(r.body().get("decision").asBoolean()).isTrue();
    }

    @Test
    void requestIdIsEchoed() throws Exception {
        Res r = call(
                "POST",
                "/access/v1/evaluation",
                eval("alice", "view", "vacation.jpg"),
                "Authorization",
                "Bearer " + PEP_KEY,
                "X-Request-ID",
                "req-42");
        assertThat(r.raw().headers().firstValue("x-request-id")).hasValue("req-42");
    }

    @Test
    void batchWithDefaultsAndEachSemantic() throws Exception {
        // bob edits: vacation.jpg allowed (owner), diary.jpg denied (locked), vacation.jpg allowed
        String items = """
                "subject": {"type": "user", "id": "bob"}, "action": {"name": "edit"},
                "evaluations": [
                  {"resource": {"type": "photo", "id": "vacation.jpg"}},
                  {"resource": {"type": "photo", "id": "diary.jpg"}},
                  {"resource": {"type": "photo", "id": "vacation.jpg"}},
                  {"action": {"name": "view"}, "resource": {"type": "photo", "id": "diary.jpg"}}
                ]""";
        Res all = pep("/access/v1/evaluations", "{" + items + "}");
        assertThat(decisions(all)).containsExactly(true, false, true, true);
        Res explicitAll = pep(
                "/access/v1/evaluations", "{" + items + ", \"options\": {\"evaluations_semantic\": \"execute_all\"}}");
        assertThat(decisions(explicitAll)).containsExactly(true, false, true, true);
        Res denyFirst = pep(
                "/access/v1/evaluations",
                "{" + items + ", \"options\": {\"evaluations_semantic\": \"deny_on_first_deny\"}}");
        assertThat(decisions(denyFirst)).containsExactly(true, false);
        Res permitFirst = pep(
                "/access/v1/evaluations",
                "{" + items + ", \"options\": {\"evaluations_semantic\": \"permit_on_first_permit\"}}");
        assertThat(decisions(permitFirst)).containsExactly(true);
        Res bad = pep("/access/v1/evaluations", "{" + items + ", \"options\": {\"evaluations_semantic\": \"some\"}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get("message").asText()).contains("options.evaluations_semantic");
    }

    private static java.util.List<Boolean> decisions(Res r) {
        assertThat(r.status()).isEqualTo(200);
        java.util.List<Boolean> out = new java.util.ArrayList<>();
        r.body().get("evaluations").forEach(e -> out.add(e.get("decision").asBoolean()));
        return out;
    }

    @Test
    void subjectSearchPagesThroughEveryAllowedSubject() throws Exception {
        // who may view vacation.jpg: alice (family viewer) and bob (owner), not mallory
        Set<String> found = new HashSet<>();
        String token = "";
        int pages = 0;
        do {
            Res r = pep("/access/v1/search/subject", """
                    {"subject": {"type": "user"}, "action": {"name": "view"},
                     "resource": {"type": "photo", "id": "vacation.jpg"}, "page": {"token": "%s", "limit": 1}}""".formatted(token));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().get("results").size()).isLessThanOrEqualTo(1);
            r.body().get("results").forEach(n -> {
                assertThat(n.get("type").asText()).isEqualTo("user");
                found.add(n.get("id").asText());
            });
            token = r.body().at("/page/next_token").asText();
            pages++;
        } while (!token.isEmpty() && pages < 10);
        assertThat(found).containsExactlyInAnyOrder("alice", "bob");
        assertThat(pages).isGreaterThanOrEqualTo(2);
    }

    @Test
    void resourceAndActionSearch() throws Exception {
        Res res = pep("/access/v1/search/resource", """
                {"subject": {"type": "user", "id": "alice"}, "action": {"name": "view"}, "resource": {"type": "photo"}}""");
        assertThat(res.body().get("results").toString())
                .contains("vacation.jpg")
                .doesNotContain("diary.jpg");
        Res act = pep("/access/v1/search/action", """
                {"subject": {"type": "user", "id": "bob"}, "resource": {"type": "photo", "id": "diary.jpg"}}""");
        Set<String> names = new HashSet<>();
        act.body().get("results").forEach(n -> names.add(n.get("name").asText()));
        // the owner may do anything, but the locked diary cannot be edited or deleted
        assertThat(names).containsExactly("view");
        Res badToken = pep("/access/v1/search/resource", """
                {"subject": {"type": "user", "id": "alice"}, "action": {"name": "view"}, "resource": {"type": "photo"},
                 "page": {"token": "!!"}}""");
        assertThat(badToken.status()).isEqualTo(400);
        assertThat(badToken.body().get("message").asText()).contains("page.token");
    }

    @Test
    void wellKnownMetadata() throws Exception {
        Res r = call("GET", "/.well-known/authzen-configuration", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("access_evaluation_endpoint").asText()).endsWith("/access/v1/evaluation");
        assertThat(r.body().get("access_evaluations_endpoint").asText()).endsWith("/access/v1/evaluations");
        assertThat(r.body().get("search_subject_endpoint").asText()).endsWith("/access/v1/search/subject");
        // the advertised endpoint answers
        URI evaluation = URI.create(r.body().get("access_evaluation_endpoint").asText());
        assertThat(evaluation.getPort()).isEqualTo(server.port());
    }

    @Test
    void malformedRequestsGet400NamingTheField() throws Exception {
        Res json = pep("/access/v1/evaluation", "{\"subject\": ");
        assertThat(json.status()).isEqualTo(400);
        assertThat(json.body().get("message").asText()).contains("malformed json");

        Res noSubject = pep(
                "/access/v1/evaluation",
                "{\"action\": {\"name\": \"view\"}, \"resource\": {\"type\": \"photo\", \"id\": \"x\"}}");
        assertThat(noSubject.status()).isEqualTo(400);
        assertThat(noSubject.body().get("message").asText()).contains("`subject`");

        Res wrongType = pep("/access/v1/evaluation", eval("alice", "view", "x").replace("\"alice\"", "42"));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.body().get("message").asText())
                .contains("subject.id")
                .contains("string");

        Res badItem = pep("/access/v1/evaluations", "{\"evaluations\": [{\"subject\": {\"type\": \"user\"}}]}");
        // a batch item that cannot be mapped is that item's error (AuthZEN certification c-3-4-1)
        assertThat(badItem.status()).isEqualTo(200);
        JsonNode item = badItem.body().get("evaluations").get(0);
        assertThat(item.get("decision").asBoolean()).isFalse();
        assertThat(item.at("/context/error/message").asText()).contains("evaluations[0].subject.id");

        Res badContext =
                pep("/access/v1/evaluation", eval("alice", "view", "x").replace("\"unknown_field\"", "\"context\""));
        assertThat(badContext.status()).isEqualTo(400);
        assertThat(badContext.body().get("message").asText()).contains("context");
    }

    @Test
    void callersMustAuthenticateAndHaveTheRole() throws Exception {
        assertThat(call("POST", "/access/v1/evaluation", eval("alice", "view", "vacation.jpg"))
                        .status())
                .isEqualTo(401);
        assertThat(call(
                                "POST",
                                "/access/v1/evaluation",
                                eval("alice", "view", "vacation.jpg"),
                                "X-API-Key",
                                "wrong-key-0123456789")
                        .status())
                .isEqualTo(401);
        assertThat(call("GET", "/v1/policies", null, "Authorization", "Bearer " + PEP_KEY)
                        .status())
                .isEqualTo(403);
        assertThat(admin("POST", "/access/v1/evaluation", eval("alice", "view", "vacation.jpg"))
                        .status())
                .isEqualTo(403);
        assertThat(admin("GET", "/v1/policies", null).status()).isEqualTo(200);
    }

    @Test
    void adminUploadsValidBundleAndRefusesInvalidOne() throws Exception {
        Res before = admin("GET", "/v1/policies", null);
        ObjectNode files = (ObjectNode) before.body().get("sources").deepCopy();
        String policies = files.get("policies.cedar").asText();

        // invalid: a type error against the schema; refused with its problems, the old set keeps serving
        ObjectNode bad = JSON.createObjectNode();
        bad.set("files", files.deepCopy());
        ((ObjectNode) bad.get("files"))
                .put(
                        "policies.cedar",
                        policies + "\npermit (principal, action, resource) when { principal.nmae == 1 };\n");
        Res dry = admin("POST", "/v1/policies/validate", bad.toString());
        assertThat(dry.status()).isEqualTo(422);
        Res refused = admin("PUT", "/v1/policies", bad.toString());
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body().get("problems").get(0).get("file").asText()).isEqualTo("policies.cedar");
        assertThat(admin("GET", "/v1/policies", null).body().get("version"))
                .isEqualTo(before.body().get("version"));
        assertThat(pep("/access/v1/evaluation", eval("mallory", "view", "vacation.jpg"))
                        .body()
                        .get("decision")
                        .asBoolean())
                .isFalse();

        // valid: owners may also let mallory view; now mallory may view the vacation photo
        ObjectNode good = JSON.createObjectNode();
        good.set("files", files.deepCopy());
        ((ObjectNode) good.get("files"))
                .put(
                        "policies.cedar",
                        policies
                                + "\n@id(\"mallory-views\")\npermit (principal == User::\"mallory\", action == Action::\"view\", resource == Photo::\"vacation.jpg\");\n");
        assertThat(admin("POST", "/v1/policies/validate", good.toString()).status())
                .isEqualTo(200);
        Res accepted = admin("PUT", "/v1/policies", good.toString());
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.body().get("version").asText())
                .isNotEqualTo(before.body().get("version").asText());
        assertThat(pep("/access/v1/evaluation", eval("mallory", "view", "vacation.jpg"))
                        .body()
                        .get("decision")
                        .asBoolean())
                .isTrue();
        assertThat(admin("GET", "/v1/policies", null).body().get("policies").toString())
                .contains("mallory-views");

        Res noFiles = admin("PUT", "/v1/policies", "{}");
        assertThat(noFiles.status()).isEqualTo(400);
        assertThat(noFiles.body().get("message").asText()).contains("files");
    }

    @Test
    void metricsCountDecisions() throws Exception {
        pep("/access/v1/evaluation", eval("alice", "view", "vacation.jpg"));
        Res r = call("GET", "/metrics", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.raw().body())
                .contains("portcullis_decisions_total{outcome=\"allow\"}")
                .contains("portcullis_decision_latency_seconds_bucket")
                .contains("portcullis_policy_info{version=")
                .contains("portcullis_decision_log_queue_depth");
    }

    @Test
    void decisionsAppearInTheLog() throws Exception {
        Res made = pep("/access/v1/evaluation", eval("alice", "delete", "vacation.jpg"));
        String id = made.body().at("/context/decision_id").asText();
        String q = "/v1/decisions?principal=" + URLEncoder.encode("User::\"alice\"", StandardCharsets.UTF_8)
                + "&action=" + URLEncoder.encode("Action::\"delete\"", StandardCharsets.UTF_8) + "&decision=deny";
        Res log = admin("GET", q, null);
        assertThat(log.status()).isEqualTo(200);
        Set<String> ids = new HashSet<>();
        log.body().get("decisions").forEach(d -> {
            ids.add(d.get("decision_id").asText());
            assertThat(d.get("caller").asText()).isEqualTo("gateway");
        });
        assertThat(ids).contains(id);
        assertThat(admin("GET", "/v1/decisions?decision=maybe", null).status()).isEqualTo(400);
    }

    @Test
    void healthEndpoints() throws Exception {
        assertThat(call("GET", "/health/live", null).status()).isEqualTo(200);
        Res ready = call("GET", "/health/ready", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().get("status").asText()).isEqualTo("ready");
    }
}
