package dev.portcullis.mcp.authz;

import static dev.portcullis.mcp.authz.Harness.tool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.mcp.McpAuthorizer;
import dev.portcullis.mcp.McpCall;
import dev.portcullis.mcp.Verdict;
import dev.portcullis.mcp.authz.PathNormalizer.PathException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Path arguments: normalized before the decision, the normalized form forwarded, escapes refused. */
class PathArgumentTest {
    final Harness h = new Harness(false);
    final McpAuthorizer authz = h.authorizer(Harness.fsSettings());

    @AfterEach
    void close() {
        h.close();
    }

    /** Authorizes a read_text_file of {@code path}; returns the verdict and the path as forwarded. */
    record Outcome(Verdict verdict, String forwarded) {}

    Outcome read(String path) {
        McpCall c = tool("read_text_file", "{\"path\": " + Harness.JSON.valueToTree(path) + "}");
        Verdict v = authz.authorize(c);
        return new Outcome(v, c.params().at("/arguments/path").asText());
    }

    @Test
    void aPathInsideAnAllowedFolderIsAllowedAndDecidedAsAFileInItsFolders() {
        Outcome o = read("/data/public/report.txt");
        assertThat(o.verdict).isInstanceOf(Verdict.Allow.class);
        var reads = h.log.records().stream()
                .filter(r -> r.action().equals("Action::\"read\""))
                .toList();
        assertThat(reads).hasSize(1);
        assertThat(reads.get(0).resource()).isEqualTo("File::\"/data/public/report.txt\"");
    }

    @Test
    void aPathOutsideTheAllowedFoldersIsDeniedAsAToolError() {
        Outcome o = read("/data/private/x.txt");
        assertThat(o.verdict).isInstanceOf(Verdict.Deny.class);
        DefaultMappingTest.ObjectNodeAssert.isErrorResult(o.verdict, "/data/private/x.txt");
    }

    @Test
    void dotDotIsResolvedBeforeTheDecisionAndTheResolvedPathIsForwarded() {
        // reads as public, is the private folder: decided (and forwarded) as what it is
        Outcome o = read("/data/public/../private/x.txt");
        assertThat(o.forwarded).isEqualTo("/data/private/x.txt");
        assertThat(o.verdict).isInstanceOf(Verdict.Deny.class);

        Outcome up = read("/data/public/a/../b.txt");
        assertThat(up.forwarded).isEqualTo("/data/public/b.txt");
        assertThat(up.verdict).isInstanceOf(Verdict.Allow.class);
    }

    @Test
    void doubleSlashesAndDotSegmentsAreNormalized() {
        assertThat(read("/data//public/./x.txt").forwarded).isEqualTo("/data/public/x.txt");
        assertThat(read("/data/public/x.txt/").forwarded).isEqualTo("/data/public/x.txt");
        // a relative path is resolved against the root
        Outcome rel = read("public/y.txt");
        assertThat(rel.forwarded).isEqualTo("/data/public/y.txt");
        assertThat(rel.verdict).isInstanceOf(Verdict.Allow.class);
    }

    @Test
    void escapingTheRootOrTheFileSystemIsRefused() {
        for (String p : List.of(
                "/data/public/../../etc/passwd",
                "/etc/passwd",
                "/data/../../../../etc/shadow",
                "../etc/passwd",
                "/dataextra/x",
                "~/.ssh/id_rsa",
                "file:///data/public/x",
                "/data/public/x\u0000.txt",
                "/data/public\\..\\..\\etc")) {
            Outcome o = read(p);
            assertThat(o.verdict).as(p).isInstanceOf(Verdict.Deny.class);
            assertThat(((Verdict.Deny) o.verdict).answer().at("/result/isError").asBoolean())
                    .as(p)
                    .isTrue();
        }
    }

    @Test
    void percentEncodingIsNotDecoded() {
        // a file named "%2e%2e" in /data/public: what the server opens, so what is decided
        Outcome o = read("/data/public/%2e%2e/%2e%2e/etc/passwd");
        assertThat(o.forwarded).isEqualTo("/data/public/%2e%2e/%2e%2e/etc/passwd");
        assertThat(o.verdict).isInstanceOf(Verdict.Allow.class);
    }

    @Test
    void everyPathOfAListArgumentAndBothEndsOfAMoveAreChecked() {
        McpCall c = tool("read_multiple_files", "{\"paths\": [\"/data/public/a\", \"/data/public/../private/b\"]}");
        assertThat(authz.authorize(c)).isInstanceOf(Verdict.Deny.class);
        assertThat(c.params().at("/arguments/paths/1").asText()).isEqualTo("/data/private/b");

        McpCall ok = tool("read_multiple_files", "{\"paths\": [\"/data/public/a\", \"/data/confidential/b\"]}");
        assertThat(authz.authorize(ok)).isInstanceOf(Verdict.Allow.class);

        McpCall bad = tool("read_multiple_files", "{\"paths\": [\"/data/public/a\", 7]}");
        assertThat(DefaultMappingTest.errorCode(authz.authorize(bad))).isEqualTo(-32602);
    }

    @Test
    void writesAreDecidedAsWrites() {
        McpCall pub = tool("write_file", "{\"path\": \"/data/public/out.txt\", \"content\": \"x\"}");
        assertThat(authz.authorize(pub)).isInstanceOf(Verdict.Allow.class);
        McpCall conf = tool("write_file", "{\"path\": \"/data/public/../confidential/out.txt\", \"content\": \"x\"}");
        assertThat(authz.authorize(conf)).isInstanceOf(Verdict.Deny.class);
        assertThat(h.log.records().stream()
                        .anyMatch(r -> r.action().equals("Action::\"write\"")
                                && r.resource().equals("File::\"/data/confidential/out.txt\"")))
                .isTrue();
    }

    @Test
    void listingIsDecidedAsList() {
        McpCall c = tool("list_directory", "{\"path\": \"/data\"}");
        assertThat(authz.authorize(c)).isInstanceOf(Verdict.Allow.class);
    }

    @Test
    void lexicalNormalization() {
        assertThat(PathNormalizer.normalize("/a/b/../c", null)).isEqualTo("/a/c");
        assertThat(PathNormalizer.normalize("/../a", null)).isNull();
        assertThat(PathNormalizer.normalize("a/b", null)).isNull();
        assertThat(PathNormalizer.normalize("/", null)).isEqualTo("/");
        assertThat(PathNormalizer.normalize("///", null)).isEqualTo("/");
        assertThat(PathNormalizer.normalize("/data/x", "/data")).isEqualTo("/data/x");
        assertThat(PathNormalizer.normalize("/database/x", "/data")).isNull();
        assertThat(PathNormalizer.selfAndAncestors("/a/b/c")).containsExactly("/", "/a", "/a/b", "/a/b/c");
        assertThat(PathNormalizer.selfAndAncestors("/")).containsExactly("/");
    }

    @Test
    void realpathResolvesSymbolicLinks(@TempDir Path dir) throws Exception {
        Path root = dir.toRealPath();
        Path pub = Files.createDirectories(root.resolve("public"));
        Path secret = Files.createDirectories(root.resolve("secret"));
        Files.writeString(secret.resolve("key.txt"), "k");
        Files.createSymbolicLink(pub.resolve("link"), secret);
        String r = root.toString();
        // lexically inside public; really in secret
        assertThat(PathNormalizer.normalizeOrThrow(r + "/public/link/key.txt", r, false))
                .isEqualTo(r + "/public/link/key.txt");
        assertThat(PathNormalizer.normalizeOrThrow(r + "/public/link/key.txt", r, true))
                .isEqualTo(r + "/secret/key.txt");
        // a file that does not exist yet, below a link: its existing ancestor is resolved
        assertThat(PathNormalizer.normalizeOrThrow(r + "/public/link/new.txt", r, true))
                .isEqualTo(r + "/secret/new.txt");
        // a link out of the root is refused
        Files.createSymbolicLink(pub.resolve("out"), Path.of("/etc"));
        assertThatThrownBy(() -> PathNormalizer.normalizeOrThrow(r + "/public/out/passwd", r, true))
                .isInstanceOf(PathException.class)
                .hasMessageContaining("outside");
    }
}
