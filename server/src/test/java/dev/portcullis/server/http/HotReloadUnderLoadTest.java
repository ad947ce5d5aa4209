package dev.portcullis.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.server.http.TempServer.Res;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4: decisions sent continuously over HTTP while the policies are replaced, through the
 * watched directory and through {@code PUT /v1/policies}, by valid versions and by invalid ones (a
 * parse error, a schema violation). No request may fail, and every decision must be the one its
 * reported version makes.
 *
 * <p>Version {@code k} permits alice to read d1 through a policy named {@code vk-permit}; odd
 * versions also forbid it through {@code vk-forbid}. So a response names its version twice, by
 * the content hash in {@code policy_version} and by the policy id in {@code reasons}, and the
 * decision follows from {@code k}: a response from a mixed or half-loaded set would disagree with
 * itself. Invalid versions carry policy ids of their own and would show in the same way.
 */
class HotReloadUnderLoadTest {
    static final int CLIENTS = 4;
    /** Responses to wait for after each step, more than the requests that can be in flight. */
    static final int PROGRESS = 3 * CLIENTS;
    /** Bounds the load however the test goes: clients stop after this many requests each. */
    static final int MAX_REQUESTS_PER_CLIENT = 50_000;

    @TempDir
    java.nio.file.Path dir;

    static String valid(int k) {
        String permit = "@id(\"v" + k + "-permit\")\npermit (principal, action == Action::\"read\", resource);\n";
        return k % 2 == 0
                ? permit
                : permit + "@id(\"v" + k + "-forbid\")\nforbid (principal, action == Action::\"read\", resource);\n";
    }

    static String parseError(int n) {
        return "@id(\"bad-parse-" + n + "\")\npermit (principal, action, resource) when { 1 + };\n";
    }

    static String schemaError(int n) {
        // Doc has no attribute `owner`: strict validation refuses it
        return "@id(\"bad-schema-" + n + "\")\n"
                + "permit (principal, action == Action::\"read\", resource) when { resource.owner == principal };\n";
    }

    /** One response as a client saw it; {@code seq} orders the responses of one client. */
    record Seen(int client, int seq, int status, JsonNode body, String failure) {}

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void decisionsDuringValidAndInvalidUpdatesAllSucceedAndEachComesFromOneVersion() throws Exception {
        Map<String, Integer> versions = new HashMap<>(); // hash -> k, every valid version
        Set<String> invalid = new HashSet<>();
        versions.put(TempServer.versionOf(valid(0)), 0);
        try (TempServer s = TempServer.start(dir, valid(0), true)) {
            List<Seen> seen = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger answered = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(Thread.ofPlatform().name("load-" + c).start(() -> {
                    for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && !stop.get(); i++) {
                        try {
                            Res r = s.evaluate(TempServer.READ);
                            seen.add(new Seen(client, i, r.status(), r.body(), null));
                        } catch (Exception e) {
                            seen.add(new Seen(client, i, -1, null, e.toString()));
                        }
                        answered.incrementAndGet();
                    }
                }));
            }
            Runnable progress = () -> {
                int target = answered.get() + PROGRESS;
                await(() -> answered.get() >= target || stop.get(), "clients to make progress");
            };
            int k = 0;
            for (int round = 0; round < 3; round++) {
                // valid, through the directory
                k++;
                versions.put(TempServer.versionOf(valid(k)), k);
                s.writePolicies(valid(k));
                awaitVersion(s, TempServer.versionOf(valid(k)));
                progress.run();

                // a parse error, through the directory: refused, v(k) keeps answering
                invalid.add(TempServer.versionOf(parseError(round)));
                long refusals = refusals(s);
                s.writePolicies(parseError(round));
                await(() -> refusals(s) > refusals, "the directory's parse error to be refused");
                progress.run();
                assertAnswers(s, k);

                // valid, uploaded
                k++;
                versions.put(TempServer.versionOf(valid(k)), k);
                Res put = s.admin("PUT", "/v1/policies", TempServer.bundleJson(valid(k)));
                assertThat(put.status()).isEqualTo(200);
                assertThat(put.body().get("version").asText()).isEqualTo(TempServer.versionOf(valid(k)));
                progress.run();

                // a schema violation, uploaded: 422, v(k) keeps answering
                invalid.add(TempServer.versionOf(schemaError(round)));
                Res refused = s.admin("PUT", "/v1/policies", TempServer.bundleJson(schemaError(round)));
                assertThat(refused.status()).isEqualTo(422);
                assertThat(refused.body().toString()).contains("owner");
                progress.run();
                assertAnswers(s, k);

                // valid, through the directory again (the uploaded version gives way to a change there)
                k++;
                versions.put(TempServer.versionOf(valid(k)), k);
                s.writePolicies(valid(k));
                awaitVersion(s, TempServer.versionOf(valid(k)));
                progress.run();

                // a schema violation through the directory, a parse error uploaded
                invalid.add(TempServer.versionOf(schemaError(100 + round)));
                long before = refusals(s);
                s.writePolicies(schemaError(100 + round));
                await(() -> refusals(s) > before, "the directory's schema violation to be refused");
                progress.run();
                invalid.add(TempServer.versionOf(parseError(100 + round)));
                assertThat(s.admin("PUT", "/v1/policies", TempServer.bundleJson(parseError(100 + round)))
                                .status())
                        .isEqualTo(422);
                progress.run();
                assertAnswers(s, k);
            }
            stop.set(true);
            for (Thread t : clients) {
                t.join();
            }

            assertThat(seen).hasSizeGreaterThan(9 * 3 * PROGRESS);
            assertThat(seen).filteredOn(x -> x.status() != 200).isEmpty();
            Map<Integer, Integer> lastK = new HashMap<>();
            Set<Integer> answeredBy = new HashSet<>();
            for (Seen x : seen.stream()
                    .sorted(java.util.Comparator.comparingInt(Seen::client).thenComparingInt(Seen::seq))
                    .toList()) {
                String version = x.body().at("/context/policy_version").asText();
                assertThat(invalid).as("an invalid version answered: %s", x).doesNotContain(version);
                assertThat(versions).as("an unknown version answered: %s", x).containsKey(version);
                int v = versions.get(version);
                assertConsistent(x.body(), v);
                // a client's next request is sent after its last answer: it never sees an older set
                assertThat(v)
                        .as("client %d went back in versions", x.client())
                        .isGreaterThanOrEqualTo(lastK.getOrDefault(x.client(), 0));
                lastK.put(x.client(), v);
                answeredBy.add(v);
            }
            // every valid version served the load for a while (each step waited for PROGRESS answers)
            assertThat(answeredBy).hasSize(versions.size());
        }
    }

    /** The decision and reasons are those of version {@code k}, and nothing failed closed. */
    static void assertConsistent(JsonNode body, int k) {
        assertThat(body.at("/context/error").isMissingNode())
                .as("failed closed: %s", body)
                .isTrue();
        boolean allow = k % 2 == 0;
        assertThat(body.get("decision").asBoolean())
                .as("decision of v%d: %s", k, body)
                .isEqualTo(allow);
        List<String> reasons = new ArrayList<>();
        body.at("/context/reasons").forEach(r -> reasons.add(r.asText()));
        assertThat(reasons).as("reasons of v%d", k).containsExactly("v" + k + (allow ? "-permit" : "-forbid"));
    }

    static void assertAnswers(TempServer s, int k) throws Exception {
        Res r = s.evaluate(TempServer.READ);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().at("/context/policy_version").asText()).isEqualTo(TempServer.versionOf(valid(k)));
        assertConsistent(r.body(), k);
    }

    static long refusals(TempServer s) {
        try {
            return s.admin("GET", "/v1/policies", null).body().get("refusals").asLong();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void awaitVersion(TempServer s, String version) {
        await(
                () -> {
                    try {
                        return version.equals(s.admin("GET", "/v1/policies", null)
                                .body()
                                .get("version")
                                .asText());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                },
                "version " + version + " to go live");
    }

    /** Waits for a condition (a bound against hanging, not a timing assertion). */
    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
