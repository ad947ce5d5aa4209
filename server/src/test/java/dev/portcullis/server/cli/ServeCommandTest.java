package dev.portcullis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
    @TempDir
    Path dir;

    private int run(StringWriter err, String... args) {
        return Main.run(
                args, new ByteArrayInputStream(new byte[0]), new PrintWriter(new StringWriter()), new PrintWriter(err));
    }

    @Test
    void invalidConfigurationIsReportedPerKeyWithoutStarting() throws Exception {
        Path cfg = dir.resolve("portcullis.yaml");
        Files.writeString(cfg, "server: {port: 70000}\nlog: {mode: later}\n");
        StringWriter err = new StringWriter();
        assertThat(run(err, "serve", "--config", cfg.toString())).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString())
                .contains("server.port: must be between 1 and 65535, got 70000")
                .contains("log.mode: must be `buffered` or `durable`")
                .doesNotContain("Exception");
    }

    @Test
    void missingConfigurationFile() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "serve", "--config", dir.resolve("nope.yaml").toString()))
                .isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("not found");
    }

    @Test
    void policiesThatDoNotValidateStopTheStart() throws Exception {
        Files.writeString(dir.resolve("p.cedar"), "permit (principal, action, resource) when { 1 + };");
        Path cfg = dir.resolve("portcullis.yaml");
        Files.writeString(cfg, "auth: {disabled: true}\nlog: {url: \"sqlite:" + dir.resolve("d.db") + "\"}\n");
        StringWriter err = new StringWriter();
        assertThat(run(err, "serve", "--config", cfg.toString())).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("p.cedar:1:");
    }
}
