package dev.portcullis.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The MCP conformance suite's server scenarios against the fixture directly, without the gateway:
 * the baseline the gateway is held to.
 */
class ConformanceFixtureTest {

    /** What the fixture (Java MCP SDK 2.1.0) passes; the gateway test requires the same through it. */
    static final Set<String> FIXTURE_PASSES = Set.of(
            "server-initialize",
            "ping",
            "logging-set-level",
            "completion-complete",
            "tools-list",
            "tools-call-simple-text",
            "tools-call-image",
            "tools-call-audio",
            "tools-call-embedded-resource",
            "tools-call-mixed-content",
            "tools-call-with-logging",
            "tools-call-error",
            "tools-call-with-progress",
            "tools-call-sampling",
            "tools-call-elicitation",
            "elicitation-sep1034-defaults",
            "elicitation-sep1330-enums",
            "resources-list",
            "resources-read-text",
            "resources-read-binary",
            "resources-templates-read",
            "resources-subscribe",
            "resources-unsubscribe",
            "prompts-list",
            "prompts-get-simple",
            "prompts-get-with-args",
            "prompts-get-embedded-resource",
            "prompts-get-with-image",
            "server-sse-multiple-streams",
            "json-schema-2020-12",
            "dns-rebinding-protection");

    @Test
    void theFixturePassesTheSuiteDirectly() throws Exception {
        NodeTools tools = NodeTools.get();
        try (ConformanceFixture fixture = ConformanceFixture.start()) {
            Map<String, ConformanceSuite.Result> results = ConformanceSuite.run(tools, fixture.url, null);
            System.out.println("conformance " + tools.version(ConformanceSuite.PACKAGE) + ", fixture directly:\n"
                    + ConformanceSuite.table(results));
            Set<String> passing = new TreeSet<>();
            results.values().stream().filter(ConformanceSuite.Result::passes).forEach(r -> passing.add(r.scenario()));
            assertThat(passing)
                    .as("scenarios the fixture passes; all results: %s", results.values())
                    .containsAll(FIXTURE_PASSES);
        }
    }
}
