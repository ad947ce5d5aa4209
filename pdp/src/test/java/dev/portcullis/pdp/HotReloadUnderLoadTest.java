package dev.portcullis.pdp;

import static dev.portcullis.pdp.TestFiles.await;
import static dev.portcullis.pdp.TestFiles.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.json.EntityJson;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.pdp.entity.StaticEntityProvider;
import dev.portcullis.pdp.policy.DirectoryPolicySource;
import dev.portcullis.pdp.policy.PolicyBundle;
import dev.portcullis.pdp.policy.PolicyStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threads decide continuously while the policy directory is rewritten with valid versions (A
 * allows the request, B denies it) and invalid ones (a syntax error, a schema violation). No
 * decision may fail, and every decision's outcome must be the one its reported version dictates:
 * a torn read (new version, old policies) or a refused version going live would show up here.
 */
class HotReloadUnderLoadTest {
    static final String SCHEMA = """
            entity User { level: Long };
            entity Doc;
            action view appliesTo { principal: User, resource: Doc };
            """;
    static final String ALLOWS = """
            @id("rule") permit(principal, action == Action::"view", resource) when { principal.level > 1 };
            """;
    static final String DENIES = """
            @id("base") permit(principal, action, resource);
            @id("rule") forbid(principal, action == Action::"view", resource) when { principal.level > 1 };
            """;
    static final String SYNTAX_ERROR = "permit(principal, action resource);";
    static final String SCHEMA_VIOLATION = "permit(principal, action, resource) when { principal.levle > 1 };";

    @TempDir
    Path dir;

    @Test
    void decisionsStayConsistentWhileTheDirectoryIsRewritten() throws Exception {
        writeAtomically(dir.resolve("schema.cedarschema"), SCHEMA);
        writeAtomically(dir.resolve("main.cedar"), ALLOWS);
        Map<String, Boolean> expected = new ConcurrentHashMap<>();
        expected.put(version(ALLOWS), true);
        expected.put(version(DENIES), false);

        PolicyStore store = new PolicyStore();
        Entities entities = EntityJson.parse(
                "[{\"uid\": {\"type\": \"User\", \"id\": \"u\"}, \"attrs\": {\"level\": 5}, \"parents\": []}]",
                Schema.parseCedar(SCHEMA));
        InMemoryDecisionLog log = new InMemoryDecisionLog();
        log.keeping(false); // this test checks results, not the log
        DecisionService service = new DecisionService(store, new StaticEntityProvider(entities), log);
        DecisionRequest request = DecisionRequest.of(
                EntityUid.of("User", "u"), EntityUid.of("Action", "view"), EntityUid.of("Doc", "d"), RecordValue.EMPTY);

        AtomicBoolean stop = new AtomicBoolean();
        Queue<String> violations = new ConcurrentLinkedQueue<>();
        Map<String, AtomicLong> seen = new ConcurrentHashMap<>();
        AtomicLong total = new AtomicLong();
        try (DirectoryPolicySource source = new DirectoryPolicySource(dir, store)) {
            source.load();
            source.watch(Duration.ofMillis(30), Duration.ofMillis(500));
            List<Thread> deciders = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                deciders.add(Thread.ofPlatform().start(() -> {
                    while (!stop.get()) {
                        DecisionResult r = service.decide(request);
                        total.incrementAndGet();
                        Boolean want = expected.get(String.valueOf(r.policyVersion()));
                        if (r.failedClosed()) {
                            violations.add("failed: " + r.failure());
                        } else if (want == null) {
                            violations.add("unknown version " + r.policyVersion());
                        } else if (want != r.allowed()) {
                            violations.add("version " + r.policyVersion() + " gave " + r.allowed());
                        } else {
                            seen.computeIfAbsent(r.policyVersion(), v -> new AtomicLong())
                                    .incrementAndGet();
                        }
                    }
                }));
            }

            String[] sequence = {DENIES, SYNTAX_ERROR, ALLOWS, SCHEMA_VIOLATION, DENIES, ALLOWS, SYNTAX_ERROR};
            for (int round = 0; round < 3; round++) {
                for (String text : sequence) {
                    long refusals = store.refusals();
                    writeAtomically(dir.resolve("main.cedar"), text);
                    if (expected.containsKey(version(text))) {
                        String v = version(text);
                        await(Duration.ofSeconds(10), "activation", () -> store.current()
                                .version()
                                .equals(v));
                    } else {
                        String before = store.current().version();
                        await(Duration.ofSeconds(10), "refusal", () -> store.refusals() > refusals);
                        assertThat(store.current().version()).isEqualTo(before);
                    }
                    long mark = total.get();
                    // let the deciders run against this state for a while
                    await(Duration.ofSeconds(10), "decisions", () -> total.get() > mark + 200);
                }
            }
            stop.set(true);
            for (Thread t : deciders) {
                t.join();
            }
        }
        assertThat(violations).isEmpty();
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(store.refusals()).isEqualTo(9);
    }

    private static String version(String policies) {
        return PolicyBundle.of(Map.of("schema.cedarschema", SCHEMA, "main.cedar", policies))
                .version();
    }
}
