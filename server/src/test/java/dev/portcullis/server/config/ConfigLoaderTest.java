package dev.portcullis.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.server.config.ServerConfig.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path f = dir.resolve("portcullis.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void defaultsApplyAndPathsResolveAgainstTheFile() throws IOException {
        Files.writeString(dir.resolve("e.json"), "[]");
        ServerConfig c = ConfigLoader.load(write("auth: {disabled: true}\nentities: {files: [e.json]}\n"), Map.of());
        assertThat(c.bind()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8180);
        assertThat(c.policies()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(c.entities()).containsExactly(dir.resolve("e.json").toAbsolutePath());
        assertThat(c.logUrl()).isEqualTo("sqlite:./data/decisions.db");
        assertThat(c.durableLog()).isFalse();
        assertThat(c.mapping().actionType()).isEqualTo("Action");
    }

    @Test
    void portOutOfRangeNamesTheKey() throws IOException {
        Path f = write("server: {port: 70000}\nauth: {disabled: true}\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.port: must be between 1 and 65535, got 70000");
    }

    @Test
    void environmentOverridesTheFile() throws IOException {
        Path f = write("server: {port: 9000}\nauth: {disabled: true}\nlog: {mode: buffered}\n");
        ServerConfig c =
                ConfigLoader.load(f, Map.of("PORTCULLIS_SERVER_PORT", "9001", "PORTCULLIS_LOG_MODE", "durable"));
        assertThat(c.port()).isEqualTo(9001);
        assertThat(c.durableLog()).isTrue();
        assertThat(ConfigLoader.envName("server.port")).isEqualTo("PORTCULLIS_SERVER_PORT");
    }

    @Test
    void badEnvironmentValueNamesTheKey() throws IOException {
        Path f = write("auth: {disabled: true}\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of("PORTCULLIS_SERVER_PORT", "eighty")))
                .hasMessageContaining("server.port: expected an integer, got `eighty`");
    }

    @Test
    void authMustBeConfiguredOrExplicitlyDisabled() throws IOException {
        Path f = write("server: {port: 8181}\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .hasMessageContaining("auth: no api keys configured")
                .hasMessageContaining("auth.disabled: true");
    }

    @Test
    void apiKeysFromTheFileAndTheEnvironment() throws IOException {
        Path f = write("""
                auth:
                  api_keys:
                    - {name: gateway, key: 0123456789abcdef0123, roles: [pep]}
                    - {name: ops, key_env: OPS_KEY, roles: [pep, admin]}
                """);
        ServerConfig c = ConfigLoader.load(f, Map.of("OPS_KEY", "fedcba9876543210fedcba"));
        assertThat(c.auth().disabled()).isFalse();
        assertThat(c.auth().apiKeys()).hasSize(2);
        assertThat(c.auth().apiKeys().get(1).key()).isEqualTo("fedcba9876543210fedcba");
        assertThat(c.auth().apiKeys().get(1).roles()).containsExactlyInAnyOrder(Role.PEP, Role.ADMIN);
        // the secret stays out of logs
        assertThat(c.auth().apiKeys().get(0).toString()).doesNotContain("0123456789abcdef");
    }

    @Test
    void everyProblemIsReportedWithItsKey() throws IOException {
        Path f = write("""
                server: {prot: 1}
                log: {mode: sometimes}
                auth:
                  api_keys:
                    - {name: x, key: short, roles: [root]}
                mapping: {types: {user: "not a name"}}
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("server.prot: unknown key"))
                        .anySatisfy(p -> assertThat(p).startsWith("log.mode: must be `buffered` or `durable`"))
                        .anySatisfy(p -> assertThat(p).startsWith("auth.api_keys[0].key: must be at least 16"))
                        .anySatisfy(
                                p -> assertThat(p).startsWith("auth.api_keys[0].roles[0]: must be `pep` or `admin`"))
                        .anySatisfy(p -> assertThat(p).startsWith("mapping.types.user: expected a Cedar entity type")));
    }

    @Test
    void invalidYamlSaysWhere() throws IOException {
        Path f = write("server:\n  port: [1\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of())).hasMessageContaining("not valid yaml");
    }

    @Test
    void everyExampleHasAValidConfiguration() throws IOException {
        Path examples =
                Path.of(System.getProperty("user.dir")).resolve("../examples").normalize();
        try (var list = Files.list(examples)) {
            for (Path ex : list.filter(Files::isDirectory).toList()) {
                Path cfg = ex.resolve("portcullis.yaml");
                assertThat(cfg).as("every example has a portcullis.yaml").exists();
                ServerConfig c = ConfigLoader.load(cfg, Map.of());
                assertThat(c.policies()).isDirectory();
            }
        }
    }

    @Test
    void loggingDefaultsToTextAtInfo() throws IOException {
        ServerConfig c = ConfigLoader.load(write("auth: {disabled: true}\n"), Map.of());
        assertThat(c.logging()).isEqualTo(ServerConfig.Logging.DEFAULT);
    }

    @Test
    void loggingFromTheFileAndTheEnvironment() throws IOException {
        Path f = write("""
                auth: {disabled: true}
                logging:
                  format: text
                  level: WARN
                  levels: {dev.portcullis.pdp.policy: debug}
                """);
        ServerConfig c = ConfigLoader.load(f, Map.of());
        assertThat(c.logging().format()).isEqualTo(ServerConfig.LogFormat.TEXT);
        assertThat(c.logging().level()).isEqualTo("warn");
        assertThat(c.logging().levels()).containsExactly(Map.entry("dev.portcullis.pdp.policy", "debug"));

        ServerConfig e = ConfigLoader.load(
                f,
                Map.of(
                        "PORTCULLIS_LOGGING_FORMAT", "json",
                        "PORTCULLIS_LOGGING_LEVEL", "error",
                        "PORTCULLIS_LOGGING_LEVELS", "com.linecorp.armeria=info, io.netty=off"));
        assertThat(e.logging().format()).isEqualTo(ServerConfig.LogFormat.JSON);
        assertThat(e.logging().level()).isEqualTo("error");
        assertThat(e.logging().levels())
                .containsOnly(Map.entry("com.linecorp.armeria", "info"), Map.entry("io.netty", "off"));
    }

    @Test
    void badLoggingValuesNameTheirKeys() throws IOException {
        Path f = write("""
                auth: {disabled: true}
                logging: {format: xml, level: loud, levels: {a.b: [1]}, colour: true}
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .hasMessageContaining("logging.format: must be `text` or `json`, got `xml`")
                .hasMessageContaining("logging.level: must be one of trace, debug, info, warn, error, off, got `loud`")
                .hasMessageContaining("logging.levels.a.b: expected a level, got a list")
                .hasMessageContaining("logging.colour: unknown key");
        assertThatThrownBy(() -> ConfigLoader.load(
                        write("auth: {disabled: true}\n"), Map.of("PORTCULLIS_LOGGING_LEVELS", "io.netty")))
                .hasMessageContaining("logging.levels: expected `logger=level`, got `io.netty`");
    }
}
