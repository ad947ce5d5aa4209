package dev.portcullis.cedar.schema;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Locates the shared conformance data (never copied into the repository) and extracts the
 * generated corpus into {@code target/} once. Tests that need it are skipped when it is absent.
 */
public final class ConformanceData {
    private ConformanceData() {}

    public static Path shared() {
        String prop = System.getProperty("portcullis.shared");
        Path p = prop == null || prop.isEmpty() ? null : Path.of(prop, "conformance");
        assumeTrue(p != null && Files.isDirectory(p), "conformance data not found (system property portcullis.shared)");
        return p;
    }

    /** The folder that contains {@code corpus-tests/}, extracting the archive on first use. */
    public static synchronized Path corpusRoot() throws IOException, InterruptedException {
        Path archive = shared().resolve("cedar/corpus-tests.tar.gz");
        assumeTrue(Files.isRegularFile(archive), "corpus archive not found: " + archive);
        Path root = Path.of("target", "corpus");
        Path done = root.resolve(".extracted");
        if (!Files.exists(done)) {
            Files.createDirectories(root);
            Process p = new ProcessBuilder(
                            "tar", "xzf", archive.toAbsolutePath().toString(), "-C", root.toString())
                    .inheritIO()
                    .start();
            if (p.waitFor() != 0) {
                throw new IOException("tar failed to extract " + archive);
            }
            Files.writeString(done, "ok");
        }
        return root;
    }

    /** Files under {@code dir} whose name ends with {@code suffix}, sorted. */
    public static List<Path> find(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        }
    }
}
