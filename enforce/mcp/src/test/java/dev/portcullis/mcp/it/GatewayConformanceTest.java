package dev.portcullis.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.mcp.McpAuthorizer;
import dev.portcullis.mcp.McpGateway;
import dev.portcullis.mcp.McpGatewayConfig;
import dev.portcullis.mcp.McpGatewayConfig.Upstream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The MCP conformance suite through the gateway: the fixture behind the gateway (Streamable HTTP
 * upstream, allow-all authorizer, one upstream so names are not prefixed), the suite's server
 * scenarios against the gateway's endpoint. The gateway must pass every scenario the fixture passes
 * directly, and {@code dns-rebinding-protection} is then the gateway's own Host/Origin check.
 */
class GatewayConformanceTest {

    @Test
    void theGatewayPassesEveryScenarioTheFixturePasses() throws Exception {
        NodeTools tools = NodeTools.get();
        try (ConformanceFixture fixture = ConformanceFixture.start();
                McpGateway gateway = new McpGateway(
                                McpGatewayConfig.of(List.of(Upstream.http("fixture", URI.create(fixture.url)))),
                                McpAuthorizer.allowAll())
                        .start()) {
            Map<String, ConformanceSuite.Result> direct = ConformanceSuite.run(tools, fixture.url, null);
            Map<String, ConformanceSuite.Result> through =
                    ConformanceSuite.run(tools, "http://localhost:" + gateway.port() + "/mcp", null);
            String table = sideBySide(direct, through);
            System.out.println("conformance " + tools.version(ConformanceSuite.PACKAGE) + ":\n" + table);
            Files.writeString(Path.of("target", "conformance-gateway.md"), table);

            Set<String> lost = passing(direct);
            lost.removeAll(passing(through));
            assertThat(lost)
                    .as(
                            "scenarios the fixture passes directly but not through the gateway: %s",
                            through.values().stream()
                                    .filter(r -> lost.contains(r.scenario()))
                                    .map(ConformanceSuite.Result::toString)
                                    .collect(Collectors.joining("\n  ", "\n  ", "")))
                    .isEmpty();
            assertThat(through.get("dns-rebinding-protection"))
                    .as("the gateway's own DNS rebinding protection")
                    .isNotNull()
                    .matches(ConformanceSuite.Result::passes, "passes");
        }
    }

    private static Set<String> passing(Map<String, ConformanceSuite.Result> results) {
        return results.values().stream()
                .filter(ConformanceSuite.Result::passes)
                .map(ConformanceSuite.Result::scenario)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String sideBySide(
            Map<String, ConformanceSuite.Result> direct, Map<String, ConformanceSuite.Result> through)
            throws IOException {
        Set<String> names = new TreeSet<>(direct.keySet());
        names.addAll(through.keySet());
        StringBuilder sb = new StringBuilder("| scenario | fixture directly | through the gateway |\n|---|---|---|\n");
        for (String n : names) {
            sb.append("| ")
                    .append(n)
                    .append(" | ")
                    .append(cell(direct.get(n)))
                    .append(" | ")
                    .append(cell(through.get(n)))
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static String cell(ConformanceSuite.Result r) {
        if (r == null) {
            return "not run";
        }
        if (r.passed() == 0 && r.failed() == 0) {
            return "no verdict (" + r.warnings() + " warnings)";
        }
        return (r.passes() ? "pass" : "FAIL") + " (" + r.passed() + "/" + (r.passed() + r.failed()) + ")";
    }
}
