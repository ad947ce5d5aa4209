package dev.portcullis.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Cedar's integration tests: the 74 hand-written requests and the 62,472 generated ones. Every
 * request must decide as the reference implementation did, with the same reasons and errors.
 */
class ConformanceTest {
    static Path shared() {
        String prop = System.getProperty("portcullis.shared");
        Path dir = prop == null ? null : Path.of(prop, "conformance", "cedar");
        assumeTrue(
                dir != null && Files.isDirectory(dir.resolve("tests")),
                "shared conformance data not found (system property portcullis.shared=" + prop + "); skipping");
        return dir;
    }

    @Test
    void handWrittenTests() {
        Path cedar = shared();
        ConformanceRunner.Summary s = new ConformanceRunner(null).run(List.of(cedar.resolve("tests")));
        assertThat(s.files()).isEqualTo(22);
        assertThat(s.total()).isEqualTo(74);
        assertThat(s.failed()).as(report(s)).isZero();
        assertThat(s.validationPassed()).isEqualTo(22);
        assertThat(s.validationFailed()).as(report(s)).isZero();
    }

    @Test
    void generatedCorpus() throws IOException {
        Path archive = shared().resolve("corpus-tests.tar.gz");
        assumeTrue(Files.isRegularFile(archive), archive + " not found; skipping");
        Path target = Path.of("target", "conformance-corpus");
        Path corpus = target.resolve("corpus-tests");
        Path done = target.resolve(".extracted");
        if (!Files.exists(done)) {
            int n = TarGz.extract(archive, target);
            Files.writeString(done, Integer.toString(n));
        }
        ConformanceRunner.Summary s = new ConformanceRunner(null).run(List.of(corpus));
        assertThat(s.files()).isEqualTo(7_809);
        assertThat(s.total()).isEqualTo(62_472);
        assertThat(s.failed()).as(report(s)).isZero();
        assertThat(s.validationPassed()).isEqualTo(7_809);
        assertThat(s.validationFailed()).as(report(s)).isZero();
    }

    /** The first failures and a count by kind, so that a red run says what is wrong. */
    static String report(ConformanceRunner.Summary s) {
        String byKind = s.failures().stream()
                .collect(Collectors.groupingBy(ConformanceRunner.Failure::kind, Collectors.counting()))
                .toString();
        return s + "; failures by kind " + byKind + "; first:\n"
                + s.failures().stream().limit(20).map(Object::toString).collect(Collectors.joining("\n"));
    }
}
