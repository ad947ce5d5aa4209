package dev.portcullis.mcp.it;

import static dev.portcullis.mcp.it.Scenario.isToolError;
import static dev.portcullis.mcp.it.Scenario.text;
import static dev.portcullis.mcp.it.Scenario.toolNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official SDK client → the gateway with the example policies (examples/mcp) → the real npm
 * servers: {@code tools/list} filtered, allowed calls answered exactly as the server answers them
 * directly, argument-level denials (outside the root, {@code ..}, a symlink in the public folder,
 * numbers and strings in arguments), and chained execution: after a {@code confidential} file is
 * read, writing into the public folder and calling an outbound tool are denied in that session,
 * though both were allowed before the read.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayPolicyTest {

    static final String GZIP_DATA = "data:text/plain;base64,aGVsbG8gZ2F0ZXdheQ==";

    Path tmp;

    NodeTools tools;
    FilesystemTree tree;
    EverythingServer everything;
    PolicedGateway gateway;

    @BeforeAll
    void start(@TempDir Path dir) {
        tmp = dir;
        tools = NodeTools.get();
        tree = FilesystemTree.create(tmp);
        everything = EverythingServer.start(tools);
        gateway = new PolicedGateway(tools, tree, everything.url);
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (everything != null) {
            everything.close();
        }
    }

    private Scenario client() {
        return Scenario.http(gateway.url());
    }

    @Test
    void toolsListShowsOnlyWhatThePoliciesLetTheAgentUse() {
        List<String> direct =
                toolNames(tree.directScenario(tools).listTools().run(tools).get(0));
        List<String> visible;
        try (PolicedGateway fsOnly = new PolicedGateway(tools, tree, null)) {
            visible =
                    toolNames(Scenario.http(fsOnly.url()).listTools().run(tools).get(0));
        }

        assertThat(visible)
                .contains("read_text_file", "write_file", "list_directory", "directory_tree")
                .doesNotContain("move_file");
        assertThat(direct).containsAll(visible).contains("move_file");
        assertThat(visible).hasSizeLessThan(direct.size());
    }

    /**
     * As above with two upstreams, whose tool names the gateway prefixes. Fails on the merged
     * gateway: the aggregated list reaches the authorizer with prefixed names and no upstream, so
     * every tool is decided under its prefixed name and none is shown (see docs/mcp-gateway.md,
     * "Conformance and interop").
     */
    @Test
    void toolsListIsFilteredAcrossSeveralUpstreams() {
        List<String> visible = toolNames(client().listTools().run(tools).get(0));

        assertThat(visible)
                .contains(
                        "fs__read_text_file",
                        "fs__write_file",
                        "everything__echo",
                        "everything__get-sum",
                        "everything__gzip-file-as-resource")
                .doesNotContain("fs__move_file", "everything__get-env", "everything__trigger-long-running-operation");
    }

    @Test
    void allowedCallsAnswerExactlyAsTheServersDo() {
        List<JsonNode> direct = tree.directScenario(tools)
                .call("read_text_file", "path", tree.publicDir.resolve("notes.txt"))
                .call("list_directory", "path", tree.publicDir)
                .run(tools);
        List<JsonNode> directEverything = Scenario.http(everything.url)
                .call("echo", "message", "hello")
                .call("get-sum", "a", 2, "b", 40)
                .run(tools);
        List<JsonNode> through = client().call("fs__read_text_file", "path", tree.publicDir.resolve("notes.txt"))
                .call("fs__list_directory", "path", tree.publicDir)
                .call("everything__echo", "message", "hello")
                .call("everything__get-sum", "a", 2, "b", 40)
                .run(tools);

        assertThat(text(through.get(0))).isEqualTo(FilesystemTree.NOTE);
        assertThat(through.get(0)).isEqualTo(direct.get(0));
        assertThat(through.get(1)).isEqualTo(direct.get(1));
        assertThat(through.get(2)).isEqualTo(directEverything.get(0));
        assertThat(through.get(3)).isEqualTo(directEverything.get(1));
    }

    @Test
    void argumentsOutsideWhatThePoliciesAllowAreDenied() throws Exception {
        List<JsonNode> steps = client().call(
                        "fs__read_text_file", "path", tmp.getParent().resolve("elsewhere.txt"))
                .call("fs__read_text_file", "path", tree.publicDir + "/../../etc/passwd")
                .call("fs__write_file", "path", tree.publicDir + "/../confidential/planted.txt", "content", "x")
                .call("fs__write_file", "path", tree.publicDir.resolve("shortcut/planted.txt"), "content", "x")
                .call("everything__get-sum", "a", 2000, "b", 1)
                .call("everything__echo", "message", "my password is hunter2")
                .run(tools);

        for (int i = 0; i < steps.size(); i++) {
            assertThat(isToolError(steps.get(i)))
                    .as("step %d is denied with a tool error: %s", i, steps.get(i))
                    .isTrue();
        }
        // the writes through `..` and through the symlink never reached the server
        assertThat(tree.confidential.resolve("planted.txt")).doesNotExist();
        // the same writes are what the server alone would have done
        List<JsonNode> direct = tree.directScenario(tools)
                .call("write_file", "path", tree.publicDir.resolve("shortcut/planted.txt"), "content", "x")
                .run(tools);
        assertThat(isToolError(direct.get(0))).isFalse();
        assertThat(Files.readString(tree.confidential.resolve("planted.txt"))).isEqualTo("x");
        Files.delete(tree.confidential.resolve("planted.txt"));
    }

    @Test
    void aToolTheAgentCannotSeeAnswersLikeAnUnknownTool() {
        List<JsonNode> steps = client().call(
                        "fs__move_file",
                        "source",
                        tree.publicDir.resolve("notes.txt"),
                        "destination",
                        tree.publicDir.resolve("moved.txt"))
                .call("fs__no_such_tool")
                .run(tools);

        assertThat(steps.get(0).path("ok").asBoolean()).as("%s", steps.get(0)).isFalse();
        assertThat(steps.get(0).path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(steps.get(1).path("error").path("code").asInt()).isEqualTo(-32602);
        assertThat(tree.publicDir.resolve("notes.txt")).exists();
    }

    @Test
    void afterReadingAConfidentialFileNothingLeavesTheSession() throws Exception {
        List<JsonNode> steps = client().call(
                        "fs__write_file", "path", tree.publicDir.resolve("before.txt"), "content", "before")
                .call(
                        "everything__gzip-file-as-resource",
                        "name",
                        "before.gz",
                        "data",
                        GZIP_DATA,
                        "outputType",
                        "resource")
                .call("fs__read_text_file", "path", tree.confidential.resolve("secret.txt"))
                .call("fs__write_file", "path", tree.publicDir.resolve("after.txt"), "content", FilesystemTree.SECRET)
                .call(
                        "everything__gzip-file-as-resource",
                        "name",
                        "after.gz",
                        "data",
                        GZIP_DATA,
                        "outputType",
                        "resource")
                .call("fs__read_text_file", "path", tree.publicDir.resolve("notes.txt"))
                .run(tools);

        assertThat(isToolError(steps.get(0)))
                .as("write before the read: %s", steps.get(0))
                .isFalse();
        assertThat(Files.readString(tree.publicDir.resolve("before.txt"))).isEqualTo("before");
        assertThat(isToolError(steps.get(1)))
                .as("outbound before the read: %s", steps.get(1))
                .isFalse();
        assertThat(text(steps.get(2))).isEqualTo(FilesystemTree.SECRET);
        assertThat(isToolError(steps.get(3)))
                .as("write after the read: %s", steps.get(3))
                .isTrue();
        assertThat(tree.publicDir.resolve("after.txt")).doesNotExist();
        assertThat(isToolError(steps.get(4)))
                .as("outbound after the read: %s", steps.get(4))
                .isTrue();
        // reading stays allowed
        assertThat(text(steps.get(5))).isEqualTo(FilesystemTree.NOTE);

        // a new MCP session starts clean
        List<JsonNode> fresh = client().call(
                        "fs__write_file", "path", tree.publicDir.resolve("fresh.txt"), "content", "fresh")
                .run(tools);
        assertThat(isToolError(fresh.get(0))).as("%s", fresh.get(0)).isFalse();
    }

    @Test
    void aGatewayTheClientLaunchesOverStdioEnforcesThePoliciesAndTheSession() throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(
                "--policed",
                tree.root.toString(),
                PolicedGateway.examples().toAbsolutePath().toString()));
        args.addAll(tree.serverCommand(tools));
        List<JsonNode> steps = Scenario.stdio(
                        StdioGatewayMain.command(args), java.util.Map.of("PORTCULLIS_MCP_SUBJECT", "agent-9"))
                .listTools()
                .call("write_file", "path", tree.publicDir.resolve("stdio-before.txt"), "content", "before")
                .call("read_text_file", "path", tree.confidential.resolve("secret.txt"))
                .call("write_file", "path", tree.publicDir.resolve("stdio-after.txt"), "content", "after")
                .call("read_text_file", "path", tree.publicDir + "/../../etc/passwd")
                .run(tools);

        assertThat(toolNames(steps.get(0)))
                .contains("read_text_file", "write_file")
                .doesNotContain("move_file");
        assertThat(isToolError(steps.get(1))).as("%s", steps.get(1)).isFalse();
        assertThat(text(steps.get(2))).isEqualTo(FilesystemTree.SECRET);
        assertThat(isToolError(steps.get(3))).as("%s", steps.get(3)).isTrue();
        assertThat(tree.publicDir.resolve("stdio-after.txt")).doesNotExist();
        assertThat(isToolError(steps.get(4))).as("%s", steps.get(4)).isTrue();
        assertThat(Files.readString(tree.publicDir.resolve("stdio-before.txt"))).isEqualTo("before");
    }

    @Test
    void aDenialNamesItsReasonAndItsDecisionOnTheLog() {
        JsonNode denied = client().call("everything__get-sum", "a", 3000, "b", 4)
                .run(tools)
                .get(0);

        assertThat(isToolError(denied)).as("%s", denied).isTrue();
        assertThat(text(denied)).isNotBlank();
        String decisionId = denied.path("result")
                .path("_meta")
                .path("dev.portcullis/decision_id")
                .asText();
        assertThat(decisionId).as("the decision id in %s", denied).isNotEmpty();
        List<dev.portcullis.pdp.log.DecisionRecord> logged;
        synchronized (gateway.log) {
            logged = gateway.log.stream()
                    .filter(r -> r.decisionId().equals(decisionId))
                    .toList();
        }
        assertThat(logged).hasSize(1);
        assertThat(logged.get(0).allowed()).isFalse();
        assertThat(logged.get(0).action()).contains("tools/call");
        assertThat(logged.get(0).resource()).contains("get-sum");
        assertThat(logged.get(0).requestJson()).contains("3000");
    }
}
