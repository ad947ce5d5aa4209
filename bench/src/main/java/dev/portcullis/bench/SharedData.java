package dev.portcullis.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the shared conformance data is: system property {@code portcullis.shared} if set, else
 * {@code ../shared} relative to the repository root (the benchmarks are normally started from the
 * root, by {@code bench/run.sh}; started from {@code bench/} works too). The data is never copied
 * into the repository.
 */
final class SharedData {
    static final String PROPERTY = "portcullis.shared";
    private static final String OOPSLA = "conformance/cedar-examples/oopsla2024-benchmarks";

    private SharedData() {}

    static Path oopslaDir() {
        String configured = System.getProperty(PROPERTY);
        List<Path> candidates = configured != null
                ? List.of(Path.of(configured))
                : List.of(Path.of("..", "shared"), Path.of("..", "..", "shared"));
        for (Path shared : candidates) {
            Path dir = shared.resolve(OOPSLA);
            if (Files.isDirectory(dir)) {
                return dir;
            }
        }
        throw new IllegalStateException("oopsla benchmark data not found: looked for `" + OOPSLA + "` under "
                + candidates.stream()
                        .map(p -> "`" + p.toAbsolutePath().normalize() + "`")
                        .toList()
                + "; set -D" + PROPERTY + "=<dir containing conformance/>");
    }
}
