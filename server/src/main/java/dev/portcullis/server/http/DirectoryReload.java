package dev.portcullis.server.http;

import dev.portcullis.pdp.policy.PolicyBundle;
import dev.portcullis.pdp.policy.PolicyLoadException;
import dev.portcullis.pdp.policy.PolicySnapshot;
import dev.portcullis.pdp.policy.PolicyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the directory watcher runs: loads the directory and offers it to the store when its
 * contents changed since the last load. Offering only changes matters: the watcher also runs
 * on every poll, and re-offering an unchanged directory would replace a bundle uploaded through
 * the admin API since (which is to serve until the next upload or the next change here).
 */
final class DirectoryReload implements Runnable {
    // the server's logger, as when this class was nested in it
    private static final Logger LOG = LoggerFactory.getLogger(PortcullisServer.class);

    private final PolicyBundleLoader loader;
    private final PolicyStore store;
    private String lastLoaded;

    DirectoryReload(PolicyBundleLoader loader, PolicyStore store) {
        this.loader = loader;
        this.store = store;
        PolicySnapshot s = store.current();
        this.lastLoaded = s == null ? null : s.version();
    }

    @Override
    public void run() {
        PolicyBundle bundle;
        try {
            bundle = loader.load();
        } catch (PolicyLoadException e) {
            // the files could not even be read; the store never sees this bundle
            LOG.warn(
                    "policy reload from `{}` failed, the last good version keeps serving: {}",
                    loader.dir,
                    e.getMessage());
            return;
        }
        if (bundle.version().equals(lastLoaded)) {
            return;
        }
        lastLoaded = bundle.version();
        try {
            store.update(bundle);
        } catch (PolicyLoadException e) {
            // logged (with the reason) and counted by the store; the last good version keeps serving
        }
    }
}
