package dev.portcullis.pdp.policy;

import static dev.portcullis.pdp.TestFiles.await;
import static dev.portcullis.pdp.TestFiles.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryPolicySourceTest {
    @TempDir
    Path dir;

    @Test
    void loadReadsOnlyBundleFiles() throws IOException {
        Files.writeString(dir.resolve("p.cedar"), "permit(principal, action, resource);");
        Files.writeString(dir.resolve("notes.txt"), "not cedar (");
        PolicyStore store = new PolicyStore();
        PolicySnapshot s = new DirectoryPolicySource(dir, store).load();
        assertThat(s.sources()).containsOnlyKeys("p.cedar");
        assertThat(s.policySet().policies()).hasSize(1);
    }

    @Test
    void invalidUtf8IsRefused() throws IOException {
        Files.write(dir.resolve("p.cedar"), new byte[] {'p', (byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> new DirectoryPolicySource(dir, new PolicyStore()).load())
                .isInstanceOf(PolicyLoadException.class)
                .hasMessageContaining("p.cedar")
                .hasMessageContaining("utf-8");
    }

    @Test
    void watchPicksUpChangesAndRefusalsWithinBoundedTime() throws Exception {
        Path file = dir.resolve("p.cedar");
        writeAtomically(file, "permit(principal, action, resource);");
        PolicyStore store = new PolicyStore();
        try (DirectoryPolicySource source = new DirectoryPolicySource(dir, store)) {
            String first = source.load().version();
            source.watch(Duration.ofMillis(50), Duration.ofSeconds(30));

            writeAtomically(file, "forbid(principal, action, resource);");
            await(Duration.ofSeconds(10), "the new version", () -> !store.current()
                    .version()
                    .equals(first));
            String second = store.current().version();

            writeAtomically(file, "forbid(principal, action, resource"); // missing `);`
            await(Duration.ofSeconds(10), "the refusal", () -> store.refusals() == 1);
            assertThat(store.current().version()).isEqualTo(second);
            assertThat(store.lastRefusal().problems().get(0).file()).isEqualTo("p.cedar");

            // a new file is a change too
            writeAtomically(dir.resolve("q.cedar"), "permit(principal, action, resource);");
            writeAtomically(file, "forbid(principal, action, resource);");
            await(
                    Duration.ofSeconds(10),
                    "the two-file version",
                    () -> store.current().sources().size() == 2);
        }
    }
}
