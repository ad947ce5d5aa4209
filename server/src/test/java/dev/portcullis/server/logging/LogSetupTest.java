package dev.portcullis.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.server.config.ServerConfig.LogFormat;
import dev.portcullis.server.config.ServerConfig.Logging;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LogSetupTest {
    static final ObjectMapper JSON = new ObjectMapper();

    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @AfterEach
    void restore() {
        MDC.clear();
        LogSetup.apply(Logging.DEFAULT);
    }

    /** Every line written so far, each parsed as one JSON object (fails on a line that is not). */
    static List<JsonNode> events(ByteArrayOutputStream out) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            JsonNode n = JSON.readTree(line);
            assertThat(n.isObject()).as(line).isTrue();
            events.add(n);
        }
        return events;
    }

    @Test
    void jsonLinesCarryTheFieldsAndTheExceptionAsAString() throws IOException {
        assertThat(LogSetup.apply(new Logging(LogFormat.JSON, "info", Map.of()), out))
                .isTrue();
        MDC.put("request_id", "r-42");
        LoggerFactory.getLogger("dev.portcullis.test")
                .warn("refused `{}`\nsecond line", "p.cedar", new IllegalStateException("boom"));
        MDC.clear();
        LoggerFactory.getLogger("dev.portcullis.test").info("plain");

        List<JsonNode> events = events(out);
        assertThat(events).hasSize(2);
        JsonNode w = events.get(0);
        assertThat(w.get("level").asText()).isEqualTo("WARN");
        assertThat(w.get("logger").asText()).isEqualTo("dev.portcullis.test");
        assertThat(w.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(w.get("message").asText()).isEqualTo("refused `p.cedar`\nsecond line");
        assertThat(Instant.parse(w.get("timestamp").asText()))
                .isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(w.get("mdc").get("request_id").asText()).isEqualTo("r-42");
        assertThat(w.get("exception").isTextual()).isTrue();
        assertThat(w.get("exception").asText())
                .startsWith("java.lang.IllegalStateException: boom")
                .contains("\tat dev.portcullis.server.logging.LogSetupTest");
        JsonNode i = events.get(1);
        assertThat(i.has("mdc")).isFalse();
        assertThat(i.has("exception")).isFalse();
        assertThat(i.fieldNames()).toIterable().containsExactly("timestamp", "level", "logger", "thread", "message");
    }

    @Test
    void systemLoggerAndJulEventsArriveFormatted() throws IOException {
        LogSetup.apply(new Logging(LogFormat.JSON, "info", Map.of()), out);
        // the pdp module logs through System.Logger, with MessageFormat placeholders
        System.getLogger("dev.portcullis.pdp.policy.PolicyStore")
                .log(System.Logger.Level.WARNING, "policy bundle {0} refused: {1}", "abc", "p.cedar:1:9: bad");
        // the PostgreSQL driver logs through java.util.logging
        java.util.logging.Logger.getLogger("org.postgresql.test").warning("connection lost");
        java.util.logging.Logger.getLogger("org.postgresql.test").fine("not at info");

        List<JsonNode> events = events(out);
        assertThat(events)
                .extracting(e -> e.get("logger").asText() + " " + e.get("level").asText() + " "
                        + e.get("message").asText())
                .containsExactly(
                        "dev.portcullis.pdp.policy.PolicyStore WARN policy bundle abc refused: p.cedar:1:9: bad",
                        "org.postgresql.test WARN connection lost");
    }

    @Test
    void levelsApplyAndArmeriaStaysQuietAtInfo() throws IOException {
        LogSetup.apply(new Logging(LogFormat.JSON, "warn", Map.of("dev.portcullis.chatty", "debug")), out);
        LoggerFactory.getLogger("dev.portcullis.other").info("dropped: root is at warn");
        LoggerFactory.getLogger("dev.portcullis.chatty.x").debug("kept: its logger is at debug");
        LogSetup.apply(new Logging(LogFormat.JSON, "info", Map.of()), out);
        LoggerFactory.getLogger("com.linecorp.armeria.server.Server").info("dropped: armeria is at warn");
        LoggerFactory.getLogger("io.netty.channel.X").info("dropped: netty is at warn");
        LoggerFactory.getLogger("com.linecorp.armeria.server.Server").warn("kept: a warning");
        LogSetup.apply(new Logging(LogFormat.JSON, "info", Map.of("com.linecorp.armeria", "info")), out);
        LoggerFactory.getLogger("com.linecorp.armeria.server.Server").info("kept: asked for");

        assertThat(events(out))
                .extracting(e -> e.get("message").asText())
                .containsExactly("kept: its logger is at debug", "kept: a warning", "kept: asked for");
    }

    @Test
    void textLinesForPeople() {
        LogSetup.apply(Logging.DEFAULT, out);
        LoggerFactory.getLogger("dev.portcullis.test").info("hello {}", "there");
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .matches(
                        "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[.+\\] dev\\.portcullis\\.test - hello there\\n");
    }
}
