package dev.portcullis.server.http;

import dev.portcullis.pdp.policy.PolicyBundle;
import dev.portcullis.pdp.policy.PolicyLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The policy bundle of the directory, plus a schema file kept elsewhere when configured. */
final class PolicyBundleLoader {
    final Path dir;
    private final Path schema;

    PolicyBundleLoader(Path dir, Path schema) {
        this.dir = dir;
        this.schema = schema;
    }

    PolicyBundle load() {
        PolicyBundle b = PolicyBundle.fromDirectory(dir);
        if (schema == null) {
            return b;
        }
        Map<String, String> files = new LinkedHashMap<>(b.files());
        try {
            files.put(schema.getFileName().toString(), Files.readString(schema));
        } catch (IOException e) {
            throw new PolicyLoadException(new dev.portcullis.pdp.policy.PolicyProblem(
                    schema.toString(), 0, 0, "cannot read: " + e.getMessage()));
        }
        return PolicyBundle.of(files);
    }
}
