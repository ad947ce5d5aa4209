package dev.portcullis.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.server.config.ServerConfig.LogFormat;
import dev.portcullis.server.config.ServerConfig.Logging;
import dev.portcullis.server.logging.LogSetup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's own log in JSON: start, refused policy updates with their reasons, stop. */
class ServerLogTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PERMIT = "@id(\"readers\")\npermit (principal, action == Action::\"read\", resource);\n";

    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void json() {
        LogSetup.apply(new Logging(LogFormat.JSON, "info", Map.of()), out);
    }

    @AfterEach
    void text() {
        LogSetup.apply(Logging.DEFAULT);
    }

    /** Every line so far, each of which must be one JSON object with the standard fields. */
    List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                throw new UncheckedIOException("not a json line: " + line, e);
            }
            for (String field : List.of("timestamp", "level", "logger", "thread", "message")) {
                assertThat(n.get(field)).as("%s in %s", field, line).isNotNull();
            }
            events.add(n);
        }
        return events;
    }

    List<JsonNode> warnings(String logger) {
        return events().stream()
                .filter(e -> e.get("level").asText().equals("WARN")
                        && e.get("logger").asText().equals(logger))
                .toList();
    }

    @Test
    void refusedPolicyUpdatesAreLoggedWithTheirReason() throws Exception {
        try (TempServer s = TempServer.start(dir, PERMIT, true)) {
            assertThat(events()).anySatisfy(e -> assertThat(e.get("message").asText())
                    .startsWith("portcullis serving")
                    .contains("http://127.0.0.1:" + s.server.port())
                    .containsPattern("; [1-9][0-9]* event loops?$"));

            // uploaded: a schema violation
            String badUpload =
                    "permit (principal, action == Action::\"read\", resource) when { resource.owner == principal };";
            assertThat(s.admin("PUT", "/v1/policies", TempServer.bundleJson(badUpload))
                            .status())
                    .isEqualTo(422);
            assertThat(warnings("dev.portcullis.pdp.policy.PolicyStore"))
                    .anySatisfy(e -> assertThat(e.get("message").asText())
                            .contains("refused")
                            .contains(TempServer.versionOf(badUpload))
                            .contains("owner"));

            // through the watched directory: a parse error, with its file and line
            String badFile = "permit (principal, action, resource) when { 1 + };\n";
            s.writePolicies(badFile);
            String version = TempServer.versionOf(badFile);
            HotReloadUnderLoadTest.await(
                    () -> warnings("dev.portcullis.pdp.policy.PolicyStore").stream()
                            .map(e -> e.get("message").asText())
                            .anyMatch(m -> m.contains(version) && m.contains("policies.cedar:1:")),
                    "the refused directory update to be logged");
        }
        assertThat(events())
                .anySatisfy(e -> assertThat(e.get("message").asText()).startsWith("decision log drained"));
    }
}
