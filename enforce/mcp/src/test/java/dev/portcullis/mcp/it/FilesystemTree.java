package dev.portcullis.mcp.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The directory tree {@code server-filesystem} serves in the interop tests: {@code public/} with a
 * note, {@code confidential/} with a secret, and {@code public/shortcut}, a symlink to {@code
 * confidential/}. The server is allowed the whole tree; confining an agent to {@code public/} is
 * the gateway's job.
 */
final class FilesystemTree {

    static final String NOTE = "public notes\n";
    static final String SECRET = "TOP SECRET: merger plans\n";

    final Path root;
    final Path publicDir;
    final Path confidential;

    private FilesystemTree(Path root) {
        this.root = root;
        this.publicDir = root.resolve("public");
        this.confidential = root.resolve("confidential");
    }

    static FilesystemTree create(Path dir) {
        try {
            FilesystemTree t = new FilesystemTree(dir.toRealPath());
            Files.createDirectories(t.publicDir);
            Files.createDirectories(t.confidential);
            Files.writeString(t.publicDir.resolve("notes.txt"), NOTE);
            Files.writeString(t.confidential.resolve("secret.txt"), SECRET);
            Files.createSymbolicLink(t.publicDir.resolve("shortcut"), t.confidential);
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command that starts {@code server-filesystem} over this tree (stdio). */
    List<String> serverCommand(NodeTools tools) {
        return tools.nodeCommand(
                tools.file("@modelcontextprotocol/server-filesystem", "dist/index.js"), root.toString());
    }

    Scenario directScenario(NodeTools tools) {
        return Scenario.stdio(serverCommand(tools), Map.of());
    }
}
