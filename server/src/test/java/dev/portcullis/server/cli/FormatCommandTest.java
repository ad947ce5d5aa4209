package dev.portcullis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.server.cli.MainTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portcullis format} keeps comments, and {@code --check} accepts formatted files that have them. */
class FormatCommandTest {
    private static final String MESSY = """
            // Header comment.

            // About the policy.
            @id("a")
            permit(principal == User::"alice", // only alice
              action, resource) when {
              // never on weekends
              context.weekday
            };
            // trailing comment""";

    @Test
    void writeKeepsCommentsAndCheckThenPasses(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("p.cedar");
        Files.writeString(f, MESSY);
        assertThat(MainTest.run("format", "--check", f.toString()).code()).isEqualTo(1);
        Run w = MainTest.run("format", "-w", f.toString());
        assertThat(w.code()).as(w.toString()).isZero();
        String written = Files.readString(f);
        for (String comment : MESSY.lines()
                .filter(l -> l.contains("//"))
                .map(l -> l.substring(l.indexOf("//")))
                .toList()) {
            assertThat(written).contains(comment);
        }
        Run check = MainTest.run("format", "--check", f.toString());
        assertThat(check.code()).as(check.toString()).isZero();
        assertThat(MainTest.runWithStdin(written, "format").out()).isEqualTo(written);
    }

    @Test
    void checkPassesOnTheRepositoryExamples() throws IOException {
        Path examples = Path.of(System.getProperty("user.dir")).resolveSibling("examples");
        Path policies = examples.resolve("photoflash/policies.cedar");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(policies), "examples not found");
        assertThat(Files.readString(policies)).contains("//");
        Run check = MainTest.run("format", "--check", policies.toString());
        assertThat(check.code()).as(check.toString()).isZero();
    }
}
