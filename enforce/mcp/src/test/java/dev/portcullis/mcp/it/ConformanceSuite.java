package dev.portcullis.mcp.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the server scenarios of {@code @modelcontextprotocol/conformance} (its {@code server --url}
 * command, {@code --suite all}: the active scenarios and the pending ones) against a URL and reads each scenario's {@code checks.json}.
 */
final class ConformanceSuite {

    static final String PACKAGE = "@modelcontextprotocol/conformance";
    private static final Pattern RESULT_DIR = Pattern.compile("server-(.+)-\\d{4}-\\d{2}-\\d{2}T[\\d-]+Z");

    /** One scenario's outcome: its checks counted by status, and the messages of the failed ones. */
    record Result(String scenario, int passed, int failed, int warnings, List<String> failures) {
        boolean passes() {
            return failed == 0 && passed > 0;
        }

        @Override
        public String toString() {
            return scenario + ": " + passed + " passed, " + failed + " failed, " + warnings + " warnings"
                    + (failures.isEmpty() ? "" : " " + failures);
        }
    }

    private ConformanceSuite() {}

    /** Every server scenario (or just {@code scenario} when not null) against {@code url}. */
    static Map<String, Result> run(NodeTools tools, String url, String scenario) {
        try {
            Path out = Files.createTempDirectory(
                    Files.createDirectories(Path.of("target", "conformance").toAbsolutePath()), "run");
            List<String> cmd = new ArrayList<>(tools.nodeCommand(
                    tools.file(PACKAGE, "dist/index.js"),
                    "server",
                    "--url",
                    url,
                    "--suite",
                    "all",
                    "-o",
                    out.toString()));
            if (scenario != null) {
                cmd.add("--scenario");
                cmd.add(scenario);
            }
            Path log = out.resolve("run.log");
            Process p = NodeTools.runToEnd(cmd, tools.home, log, log, 150);
            Map<String, Result> results = new TreeMap<>();
            try (Stream<Path> dirs = Files.list(out)) {
                for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                    Matcher m = RESULT_DIR.matcher(dir.getFileName().toString());
                    Path checks = dir.resolve("checks.json");
                    if (m.matches() && Files.exists(checks)) {
                        results.put(m.group(1), read(m.group(1), NodeTools.JSON.readTree(checks.toFile())));
                    }
                }
            }
            if (results.isEmpty()) {
                throw new AssertionError("the conformance suite left no results (exit " + p.exitValue() + "):\n"
                        + Files.readString(log));
            }
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Result read(String scenario, JsonNode checks) {
        int passed = 0;
        int failed = 0;
        int warnings = 0;
        List<String> failures = new ArrayList<>();
        for (JsonNode c : checks) {
            switch (c.path("status").asText()) {
                case "SUCCESS" -> passed++;
                case "FAILURE" -> {
                    failed++;
                    failures.add(c.path("id").asText() + ": "
                            + c.path("errorMessage").asText());
                }
                case "WARNING" -> warnings++;
                default -> {
                    // INFO: a record of the exchange, not a verdict
                }
            }
        }
        return new Result(scenario, passed, failed, warnings, failures);
    }

    /** A Markdown table of results, for the test log and the docs. */
    static String table(Map<String, Result> results) {
        StringBuilder sb = new StringBuilder("| scenario | checks passed | failed | warnings |\n|---|---|---|---|\n");
        results.values().forEach(r -> sb.append("| ")
                .append(r.scenario())
                .append(" | ")
                .append(r.passed())
                .append(" | ")
                .append(r.failed())
                .append(" | ")
                .append(r.warnings())
                .append(" |\n"));
        return sb.toString();
    }
}
