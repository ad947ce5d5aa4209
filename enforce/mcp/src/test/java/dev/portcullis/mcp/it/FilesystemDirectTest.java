package dev.portcullis.mcp.it;

import static dev.portcullis.mcp.it.Scenario.isToolError;
import static dev.portcullis.mcp.it.Scenario.text;
import static dev.portcullis.mcp.it.Scenario.toolNames;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official SDK client talking straight to {@code @modelcontextprotocol/server-filesystem} over
 * stdio: what the server answers without a gateway, which the gateway tests compare against. The
 * server is allowed the whole tree, so on its own it hands out the confidential file, also through
 * {@code ..} and through a symlink in the public folder.
 */
class FilesystemDirectTest {

    @TempDir
    Path tmp;

    @Test
    void theServerAloneServesEveryPathInsideItsTree() throws Exception {
        NodeTools tools = NodeTools.get();
        FilesystemTree tree = FilesystemTree.create(tmp);
        List<JsonNode> steps = tree.directScenario(tools)
                .listTools()
                .call("read_text_file", "path", tree.publicDir.resolve("notes.txt"))
                .call("read_text_file", "path", tree.confidential.resolve("secret.txt"))
                .call("read_text_file", "path", tree.publicDir + "/../confidential/secret.txt")
                .call("read_text_file", "path", tree.publicDir.resolve("shortcut/secret.txt"))
                .call("write_file", "path", tree.publicDir.resolve("out.txt"), "content", "written")
                .call("read_text_file", "path", tmp.getParent().resolve("elsewhere.txt"))
                .run(tools);

        assertThat(toolNames(steps.get(0)))
                .contains("read_text_file", "write_file", "list_directory", "move_file", "search_files");
        assertThat(text(steps.get(1))).isEqualTo(FilesystemTree.NOTE);
        assertThat(text(steps.get(2))).isEqualTo(FilesystemTree.SECRET);
        assertThat(text(steps.get(3))).isEqualTo(FilesystemTree.SECRET);
        assertThat(text(steps.get(4))).isEqualTo(FilesystemTree.SECRET);
        assertThat(isToolError(steps.get(5))).isFalse();
        assertThat(Files.readString(tree.publicDir.resolve("out.txt"))).isEqualTo("written");
        // outside its allowed directories the server refuses by itself
        assertThat(isToolError(steps.get(6))).isTrue();
        assertThat(text(steps.get(6))).contains("Access denied");
    }
}
