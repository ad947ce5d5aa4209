package dev.portcullis.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.cedar.value.EntityUid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code sessions}, {@code ssf} and {@code approvals} sections of the configuration. */
class AgentConfigTest {
    static final String JWKS = """
            {"keys": [{"kty": "EC", "crv": "P-256", "kid": "k1",
              "x": "s3YqILo7mCPnDl9y4bGlcJMP7GtZGRfQiKCOFOb3NiQ", "y": "limePedqYAjGSQW3yuK4WE9xZUYr0JHJk-Omk3Ttkrg"}]}""";

    @TempDir
    Path dir;

    private ServerConfig load(String yaml, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("jwks.json"), JWKS);
        Path f = dir.resolve("portcullis.yaml");
        Files.writeString(f, "auth: {disabled: true}\n" + yaml);
        return ConfigLoader.load(f, env);
    }

    private ServerConfig load(String yaml) throws IOException {
        return load(yaml, Map.of());
    }

    @Test
    void withoutTheSections_noSessionsNoReceiver_approvalsInTheLogsDatabase() throws IOException {
        ServerConfig c = load("log: {url: \"sqlite:/tmp/x.db\"}\n");

        assertThat(c.agents().sessions()).isNull();
        assertThat(c.agents().ssf()).isNull();
        assertThat(c.agents().approvals().storeUrl()).isEqualTo("sqlite:/tmp/x.db");
        assertThat(c.agents().approvals().options().excludedContext()).contains("session.actions");
    }

    @Test
    void sessions_defaultsAndEveryKey() throws IOException {
        ServerConfig c = load("""
                sessions:
                  issuers: [{issuer: "https://idp", jwks_file: jwks.json, audiences: [portcullis]}]
                """);
        AgentSettings.Sessions s = c.agents().sessions();
        assertThat(s.storeUrl()).isEqualTo(ConfigLoader.DEFAULT_LOG_URL);
        assertThat(s.requiredForAgents()).isTrue();
        assertThat(s.config().agentType()).isEqualTo("Agent");
        assertThat(s.config().defaultExpiresIn()).isEqualTo(Duration.ofHours(1));
        assertThat(s.issuers()).hasSize(1);

        c = load("""
                mapping: {action_type: "Mail::Action"}
                sessions:
                  store: memory
                  required_for_agents: false
                  issuers: [{issuer: "https://idp", jwks_file: jwks.json, audiences: [portcullis]}]
                  agent: {entity_type: Bot, id_claim: client_id}
                  user: {entity_type: Person, id_claim: email}
                  expires_in: {default: 10m, max: PT2H}
                  token_ttl: 300
                  labels: {attributes: [classification, tags], actions: [read, "Mail::Action::\\"open\\""]}
                  dataset_attribute: ds
                  history_size: 5
                  retention: 2d
                  flush_interval: 2s
                  limits: {max_actions: 100, per_action: [{action: send, count: 3, window: 1h}]}
                """);
        s = c.agents().sessions();
        assertThat(s.storeUrl()).isEqualTo("memory");
        assertThat(s.requiredForAgents()).isFalse();
        assertThat(s.config().agentType()).isEqualTo("Bot");
        assertThat(s.config().agentIdClaim()).isEqualTo("client_id");
        assertThat(s.config().userIdClaim()).isEqualTo("email");
        assertThat(s.config().defaultExpiresIn()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.config().maxExpiresIn()).isEqualTo(Duration.ofHours(2));
        assertThat(s.config().tokenTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.config().labelActions())
                .containsExactlyInAnyOrder(EntityUid.of("Mail::Action", "read"), EntityUid.of("Mail::Action", "open"));
        assertThat(s.config().retention()).isEqualTo(Duration.ofDays(2));
        assertThat(s.defaultLimits().maxActions()).isEqualTo(100L);
        assertThat(s.defaultLimits().rates().get(0).action()).isEqualTo("Mail::Action::\"send\"");
        assertThat(s.defaultLimits().rates().get(0).window()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void sessions_trustTheIssuersOfAuthJwt_whenTheyNameNone() throws IOException {
        ServerConfig c = load("""
                auth:
                  disabled: false
                  jwt:
                    issuers: [{issuer: "https://idp", jwks_file: jwks.json, audiences: [portcullis]}]
                    roles: {"p": [pep]}
                sessions: {}
                """.replace("auth: {disabled: true}\n", ""));
        assertThat(c.agents().sessions().issuers()).extracting(i -> i.issuer()).containsExactly("https://idp");

        assertThatThrownBy(() -> load("sessions: {}\n"))
                .hasMessageContaining("sessions.issuers: required when sessions are enabled");
        assertThat(load("sessions: {enabled: false}\n").agents().sessions()).isNull();
    }

    @Test
    void sessions_problemsNameTheirKeys() throws IOException {
        assertThatThrownBy(() -> load("""
                        sessions:
                          issuers: [{issuer: "https://idp", jwks_file: nowhere.json, audiences: []}]
                          agent: {entity_type: "not a type", id: sub}
                          expires_in: {default: 2h, max: 1h}
                          token_ttl: soon
                          limits: {per_action: [{action: send, count: 1, window: often}]}
                          color: blue
                        """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                .anySatisfy(p -> assertThat(p).startsWith("sessions.issuers[0].jwks_file"))
                .anySatisfy(p -> assertThat(p).startsWith("sessions.issuers[0].audiences"))
                .anySatisfy(p -> assertThat(p).startsWith("sessions.agent.id: unknown key"))
                .anySatisfy(p -> assertThat(p).startsWith("sessions.agent.entity_type"))
                .anySatisfy(p -> assertThat(p).startsWith("sessions.token_ttl: expected a duration"))
                .anySatisfy(p -> assertThat(p).startsWith("sessions.limits.per_action[0].window"))
                .anySatisfy(p -> assertThat(p).startsWith("sessions.color: unknown key")));
        assertThatThrownBy(() -> load("""
                        sessions:
                          issuers: [{issuer: "https://idp", jwks_file: jwks.json, audiences: [p]}]
                          expires_in: {default: 2h, max: 1h}
                        """)).hasMessageContaining("sessions.expires_in.default");
    }

    @Test
    void ssf_transmitters() throws IOException {
        ServerConfig c = load("""
                ssf:
                  transmitters:
                    - {issuer: "https://idp", jwks_file: jwks.json, audiences: [portcullis]}
                    - {issuer: "https://ssf.example", jwks_file: jwks.json, audiences: [portcullis], token_issuer: "https://idp"}
                """);
        assertThat(c.agents().ssf().transmitters()).hasSize(2);
        assertThat(c.agents().ssf().transmitters().get(0).tokenIssuer()).isEqualTo("https://idp");
        assertThat(c.agents().ssf().transmitters().get(1).tokenIssuer()).isEqualTo("https://idp");

        assertThatThrownBy(() -> load("ssf: {transmitters: [{issuer: \"https://idp\", audiences: [p]}]}\n"))
                .hasMessageContaining("ssf.transmitters[0]: give exactly one of");
        assertThatThrownBy(() -> load("ssf: {transmitters: {issuer: x}}\n"))
                .hasMessageContaining("ssf.transmitters: expected a list");
    }

    @Test
    void approvals_keysAndEnvironment() throws IOException {
        ServerConfig c = load("""
                approvals: {store: memory, pending_ttl: 1h, grant_ttl: 90s, denial_hold: 1m, retention: 1d,
                            excluded_context: [time]}
                """);
        assertThat(c.agents().approvals().storeUrl()).isEqualTo("memory");
        assertThat(c.agents().approvals().options().pendingTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(c.agents().approvals().options().grantTtl()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.agents().approvals().options().excludedContext()).containsExactly("time");

        assertThat(load("", Map.of("PORTCULLIS_APPROVALS_ENABLED", "false"))
                        .agents()
                        .approvals())
                .isNull();
        assertThat(load("", Map.of("PORTCULLIS_APPROVALS_STORE", "memory"))
                        .agents()
                        .approvals()
                        .storeUrl())
                .isEqualTo("memory");
        assertThatThrownBy(() -> load("approvals: {store: \"mysql://db\"}\n"))
                .hasMessageContaining("approvals.store: expected `memory`, `sqlite:PATH` or a PostgreSQL url");
        assertThatThrownBy(() -> load("approvals: {grant_ttl: -5m, excluded_context: [\".x\"]}\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("approvals.grant_ttl"))
                        .anySatisfy(p -> assertThat(p).startsWith("approvals.excluded_context")));
    }

    @Test
    void durations_inEveryForm() {
        assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("PT15M")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Durations.parse("60")).isEqualTo(Duration.ofSeconds(60));
        assertThat(Durations.parse("soon")).isNull();
        assertThat(Durations.parse("15")).isEqualTo(Duration.ofSeconds(15));
        assertThat(Durations.parse("m")).isNull();
    }
}
