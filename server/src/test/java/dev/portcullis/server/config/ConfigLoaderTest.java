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
        assertThat(c.eventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
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
    void eventLoopsFromTheFileOrTheEnvironmentAndInRange() throws IOException {
        Path f = write("server: {event_loops: 3}\nauth: {disabled: true}\n");
        assertThat(ConfigLoader.load(f, Map.of()).eventLoops()).isEqualTo(3);
        assertThat(ConfigLoader.load(f, Map.of("PORTCULLIS_SERVER_EVENT_LOOPS", "1"))
                        .eventLoops())
                .isEqualTo(1);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of("PORTCULLIS_SERVER_EVENT_LOOPS", "0")))
                .hasMessageContaining("server.event_loops: must be between 1 and 1024, got 0");
        Path bad = write("server: {event_loops: many}\nauth: {disabled: true}\n");
        assertThatThrownBy(() -> ConfigLoader.load(bad, Map.of()))
                .hasMessageContaining("server.event_loops: expected an integer, got `many`");
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
                        .anySatisfy(p -> assertThat(p)
                                .startsWith("auth.api_keys[0].roles[0]: must be `pep`, `admin` or `approver`"))
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

    static final String JWKS = """
            {"keys": [{"kty": "EC", "crv": "P-256", "kid": "k1",
              "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
              "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}""";

    @Test
    void jwtIssuers_withDefaults() throws IOException {
        Files.writeString(dir.resolve("jwks.json"), JWKS);
        Path f = write("""
                auth:
                  jwt:
                    issuers:
                      - {issuer: "https://idp.test", jwks_file: jwks.json, audiences: [portcullis]}
                      - issuer: https://other.test
                        jwks_url: https://other.test/jwks
                        audiences: portcullis
                        algorithms: [ES256]
                        clock_skew_seconds: 5
                    roles: {"portcullis:admin": [admin, pep], "portcullis:decide": pep}
                """);
        ServerConfig c = ConfigLoader.load(f, Map.of());
        ServerConfig.Jwt jwt = c.auth().jwt();
        assertThat(c.auth().apiKeys()).isEmpty();
        assertThat(jwt.rolesClaim()).isEqualTo("scope");
        assertThat(jwt.nameClaim()).isEqualTo("sub");
        assertThat(jwt.roles().get("portcullis:admin")).containsExactlyInAnyOrder(Role.ADMIN, Role.PEP);
        assertThat(jwt.roles().get("portcullis:decide")).containsExactly(Role.PEP);
        assertThat(jwt.issuers()).hasSize(2);
        assertThat(jwt.issuers().get(0).algorithms())
                .doesNotContain("none", "HS256")
                .contains("RS256", "ES256");
        assertThat(jwt.issuers().get(0).clockSkew()).hasSeconds(60);
        assertThat(jwt.issuers().get(1).keys()).isInstanceOf(dev.portcullis.pdp.identity.KeySource.JwksUrl.class);
        assertThat(jwt.issuers().get(1).algorithms()).containsExactly("ES256");
        assertThat(jwt.issuers().get(1).clockSkew()).hasSeconds(5);
        assertThat(jwt.issuers().get(1).audiences()).containsExactly("portcullis");
    }

    @Test
    void jwtProblems_nameTheirKeys() throws IOException {
        Files.writeString(dir.resolve("bad.json"), "{\"keys\": 3}");
        Path f = write("""
                auth:
                  jwt:
                    issuers:
                      - {jwks_url: "https://idp.test/jwks", audiences: [p]}
                      - {issuer: a, jwks_url: "http://idp.example.com/jwks", audiences: [p]}
                      - {issuer: b, jwks_file: missing.json, audiences: [p]}
                      - {issuer: c, jwks_file: bad.json, audiences: [p]}
                      - {issuer: d, jwks_url: "https://d/jwks", jwks_file: bad.json, audiences: [p]}
                      - {issuer: e, jwks_url: "https://e/jwks"}
                      - {issuer: f, jwks_url: "https://f/jwks", audiences: [p], algorithms: [none]}
                      - {issuer: g, jwks_url: "https://g/jwks", audiences: [p], algorithms: [HS256]}
                      - {issuer: h, shared_secret_env: H_SECRET, audiences: [p]}
                      - {issuer: i, jwks_url: "https://i/jwks", audiences: [p], clock_skew_seconds: 3600, colour: red}
                    roles_claim: 7
                    roles: {"x": [root]}
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("auth.jwt.issuers[0].issuer: required"))
                        .anySatisfy(p -> assertThat(p)
                                .startsWith("auth.jwt.issuers[1].jwks_url: ")
                                .contains("https"))
                        .anySatisfy(p -> assertThat(p).startsWith("auth.jwt.issuers[2].jwks_file: cannot read"))
                        .anySatisfy(p -> assertThat(p).startsWith("auth.jwt.issuers[3].jwks_file: not a JWKS"))
                        .anySatisfy(p -> assertThat(p).startsWith("auth.jwt.issuers[4]: give exactly one of"))
                        .anySatisfy(p -> assertThat(p).startsWith("auth.jwt.issuers[5].audiences: required"))
                        .anySatisfy(p -> assertThat(p).startsWith("auth.jwt.issuers[6].algorithms: algorithm `none`"))
                        .anySatisfy(p -> assertThat(p)
                                .startsWith("auth.jwt.issuers[7].algorithms: algorithm `HS256` needs a shared secret"))
                        .anySatisfy(p -> assertThat(p)
                                .startsWith("auth.jwt.issuers[8].shared_secret_env: environment variable `H_SECRET`"))
                        .anySatisfy(p -> assertThat(p).startsWith("auth.jwt.issuers[9].clock_skew_seconds: expected"))
                        .anySatisfy(p -> assertThat(p).startsWith("auth.jwt.issuers[9].colour: unknown key"))
                        .anySatisfy(p -> assertThat(p).startsWith("auth.jwt.roles_claim: expected a non-empty string"))
                        .anySatisfy(p ->
                                assertThat(p).startsWith("auth.jwt.roles.x: must be `pep`, `admin` or `approver`")));
    }

    @Test
    void jwtSharedSecret_fromTheEnvironmentOnly() throws IOException {
        Path f = write("""
                auth:
                  jwt:
                    issuers: [{issuer: h, shared_secret_env: H_SECRET, audiences: [p]}]
                    roles: {admin: [admin]}
                """);
        ServerConfig c = ConfigLoader.load(f, Map.of("H_SECRET", "0123456789abcdef0123456789abcdef"));
        assertThat(c.auth().jwt().issuers().get(0).algorithms()).containsExactlyInAnyOrder("HS256", "HS384", "HS512");
        assertThat(c.auth().jwt().issuers().get(0).toString()).doesNotContain("0123456789abcdef");
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of("H_SECRET", "short")))
                .hasMessageContaining(
                        "auth.jwt.issuers[0].shared_secret_env: a shared secret must be at least 32 bytes");
    }

    @Test
    void tls_filesAreCheckedAtStart() throws IOException {
        Files.writeString(dir.resolve("garbage.pem"), "hello");
        Files.writeString(
                dir.resolve("rsa.key"), "-----BEGIN RSA PRIVATE KEY-----\nAA==\n-----END RSA PRIVATE KEY-----\n");
        Path f = write("""
                server:
                  tls: {cert: garbage.pem, key: rsa.key, client_ca: nowhere.pem, ciphers: all}
                auth: {disabled: true}
                """);
        assertThatThrownBy(() -> ConfigLoader.load(f, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p ->
                                assertThat(p).startsWith("server.tls.cert: ").contains("garbage.pem"))
                        .anySatisfy(p ->
                                assertThat(p).startsWith("server.tls.key: ").contains("openssl pkcs8"))
                        .anySatisfy(p -> assertThat(p)
                                .startsWith("server.tls.client_ca: ")
                                .contains("is not a file"))
                        .anySatisfy(p -> assertThat(p).startsWith("server.tls.ciphers: unknown key")));
        Path noKey = write("server: {tls: {cert: garbage.pem}}\nauth: {disabled: true}\n");
        assertThatThrownBy(() -> ConfigLoader.load(noKey, Map.of())).hasMessageContaining("server.tls.key: required");
        // the environment reaches the nested keys too
        assertThatThrownBy(() -> ConfigLoader.load(
                        write("auth: {disabled: true}\n"), Map.of("PORTCULLIS_SERVER_TLS_CERT", "garbage.pem")))
                .hasMessageContaining("server.tls.key: required");
        assertThat(ConfigLoader.load(write("auth: {disabled: true}\n"), Map.of())
                        .tls())
                .isNull();
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
