package dev.portcullis.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.pdp.policy.PolicyBundle;
import dev.portcullis.pdp.policy.PolicyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the policy directory watcher does on each change event and each unprompted poll. */
class DirectoryReloadTest {
    @TempDir
    Path dir;

    @Test
    void aPollOfAnUnchangedDirectoryKeepsAnUploadedBundle() throws Exception {
        Files.writeString(dir.resolve("p.cedar"), "permit (principal, action, resource);");
        PolicyBundleLoader loader = new PolicyBundleLoader(dir, null);
        PolicyStore store = new PolicyStore();
        store.update(loader.load());
        DirectoryReload reload = new DirectoryReload(loader, store);

        String uploaded = store.update(PolicyBundle.of(Map.of("up.cedar", "forbid (principal, action, resource);")))
                .version();
        reload.run(); // the poll: nothing changed on disk
        assertThat(store.current().version()).isEqualTo(uploaded);

        Files.writeString(dir.resolve("p.cedar"), "permit (principal, action, resource) when { true };");
        reload.run(); // a change on disk replaces the upload
        assertThat(store.current().version()).isEqualTo(loader.load().version());
    }

    @Test
    void aRefusedDirectoryIsOfferedOnceNotOnEveryPoll() throws Exception {
        Files.writeString(dir.resolve("p.cedar"), "permit (principal, action, resource);");
        PolicyBundleLoader loader = new PolicyBundleLoader(dir, null);
        PolicyStore store = new PolicyStore();
        String good = store.update(loader.load()).version();
        DirectoryReload reload = new DirectoryReload(loader, store);

        Files.writeString(dir.resolve("p.cedar"), "permit (principal, action, resource) when { 1 + };");
        reload.run();
        assertThat(store.refusals()).isEqualTo(1);
        // an upload goes live (which forgets the refusal), then polls find the same broken files
        store.update(PolicyBundle.of(Map.of("up.cedar", "forbid (principal, action, resource);")));
        reload.run();
        reload.run();
        assertThat(store.refusals()).isEqualTo(1);
        assertThat(store.current().version()).isNotEqualTo(good);
    }
}
