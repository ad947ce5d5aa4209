package dev.portcullis.server.cli;

import dev.portcullis.server.conformance.ConformanceRunner;
import dev.portcullis.server.input.InputException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portcullis conformance}: runs Cedar integration-test files. */
@Command(
        name = "conformance",
        mixinStandardHelpOptions = true,
        description = {
            "Run Cedar integration-test JSON files (directories are searched for them).",
            "Prints each failing request, then `N passed, M failed` (requests) and, for tests with a schema,",
            "how many `shouldValidate` verdicts the validator agreed with. Exit 1 on any failure.",
            "Paths inside a test are resolved against --root; without it, against the nearest directory "
                    + "(the test's own, or an ancestor) under which the test's `policies` path exists."
        })
final class ConformanceCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--root", paramLabel = "DIR", description = "directory the paths inside tests are relative to")
    Path root;

    @Option(names = "--summary", description = "also print the number of failures of each kind")
    boolean summary;

    @Option(names = "--max-failures", paramLabel = "N", description = "print at most N failures (default: all)")
    int maxFailures = Integer.MAX_VALUE;

    @Parameters(paramLabel = "FILE_OR_DIR", arity = "1..*")
    List<Path> paths;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new InputException(p + ": no such file or directory");
            }
        }
        int[] printed = {0};
        ConformanceRunner runner = new ConformanceRunner(root, f -> {
            if (printed[0]++ < maxFailures) {
                out.println("FAIL " + f);
            }
        });
        ConformanceRunner.Summary result = runner.run(paths);
        if (summary) {
            Map<ConformanceRunner.Kind, Integer> byKind = new TreeMap<>();
            for (ConformanceRunner.Failure f : result.failures()) {
                byKind.merge(f.kind(), 1, Integer::sum);
            }
            byKind.forEach((k, n) -> out.println("failures of kind " + k + ": " + n));
        }
        out.println(result);
        return result.failed() == 0 && result.validationFailed() == 0 ? 0 : 1;
    }
}
