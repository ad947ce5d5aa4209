package dev.portcullis.mcp.authz;

import static dev.portcullis.mcp.authz.Harness.call;
import static dev.portcullis.mcp.authz.Harness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.mcp.McpAuthorizer;
import dev.portcullis.mcp.McpCall;
import dev.portcullis.mcp.McpIdentity;
import dev.portcullis.mcp.Verdict;
import dev.portcullis.mcp.authz.CoazSettings.SessionMode;
import dev.portcullis.pdp.log.DecisionRecord;
import dev.portcullis.pdp.session.CreatedSession;
import dev.portcullis.pdp.session.SessionRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Chained execution: reading a confidential file puts its label into the session, after which the
 * example policies deny writing into a public folder and calling an outbound tool.
 */
class SessionChainTest {
    final Harness h = new Harness(true);

    @AfterEach
    void close() {
        h.close();
    }

    static McpIdentity agent(String sub) {
        return new McpIdentity(sub, Map.of("sub", sub), null, sub);
    }

    static McpCall tool(McpIdentity who, String mcpSession, String name, String arguments) {
        return new McpCall(
                "tools/call",
                Harness.JSON.getNodeFactory().numberNode(1),
                (com.fasterxml.jackson.databind.node.ObjectNode)
                        json("{\"name\": \"" + name + "\", \"arguments\": " + arguments + "}"),
                null,
                name,
                who,
                mcpSession);
    }

    static final String WRITE_PUBLIC = "{\"path\": \"/data/public/out.txt\", \"content\": \"x\"}";
    static final String READ_CONFIDENTIAL = "{\"path\": \"/data/confidential/plan.txt\"}";
    static final String FETCH = "{\"url\": \"https://example.org/\"}";

    @Test
    void readingSomethingConfidentialStopsWritesToPublicFoldersAndOutboundCalls() {
        McpAuthorizer authz = h.authorizer(Harness.fsSettings().withSessions(SessionMode.PER_IDENTITY));
        McpIdentity bot = agent("bot");

        Verdict before = authz.authorize(tool(bot, null, "write_file", WRITE_PUBLIC));
        assertThat(before).isInstanceOf(Verdict.Allow.class);
        assertThat(authz.authorize(tool(bot, null, "fetch", FETCH))).isInstanceOf(Verdict.Allow.class);
        String session = h.log.byId(before.decisionId()).sessionId();
        assertThat(session).isNotNull();

        Verdict read = authz.authorize(tool(bot, null, "read_text_file", READ_CONFIDENTIAL));
        assertThat(read).isInstanceOf(Verdict.Allow.class);
        assertThat(h.sessions.get(session).orElseThrow().labels()).contains("confidential");

        Verdict after = authz.authorize(tool(bot, null, "write_file", WRITE_PUBLIC));
        assertThat(after).isInstanceOf(Verdict.Deny.class);
        assertThat(((Verdict.Deny) after).reason()).contains("no-public-write-after-confidential");
        Verdict fetch = authz.authorize(tool(bot, null, "fetch", FETCH));
        assertThat(fetch).isInstanceOf(Verdict.Deny.class);
        assertThat(((Verdict.Deny) fetch).reason()).contains("no-outbound-after-confidential");
        DecisionRecord r = h.log.byId(fetch.decisionId());
        assertThat(r.sessionId()).isEqualTo(session);
        assertThat(json(r.requestJson()).at("/mcp/session_id").asText()).isEqualTo(session);

        // another agent's session has read nothing
        McpIdentity other = agent("helper");
        assertThat(authz.authorize(tool(other, null, "fetch", FETCH))).isInstanceOf(Verdict.Allow.class);
    }

    @Test
    void perMcpSessionKeepsOneSessionPerTransportSession() {
        McpAuthorizer authz = h.authorizer(Harness.fsSettings().withSessions(SessionMode.PER_MCP_SESSION));
        McpIdentity bot = agent("bot");
        assertThat(authz.authorize(tool(bot, "m1", "read_text_file", READ_CONFIDENTIAL)))
                .isInstanceOf(Verdict.Allow.class);
        assertThat(authz.authorize(tool(bot, "m1", "write_file", WRITE_PUBLIC))).isInstanceOf(Verdict.Deny.class);
        assertThat(authz.authorize(tool(bot, "m2", "write_file", WRITE_PUBLIC))).isInstanceOf(Verdict.Allow.class);
    }

    @Test
    void theIdentitysOwnSessionIsUsedAndARevokedOneDenies() {
        CreatedSession s = h.sessions.create(
                SessionRequest.of(new SessionBinder(SessionMode.IDENTITY, h.sessions, "t", java.time.Clock.systemUTC())
                        .token(agent("bot"))));
        McpIdentity bot =
                new McpIdentity("bot", Map.of("sub", "bot"), s.session().id(), null);
        McpAuthorizer authz = h.authorizer(Harness.fsSettings());
        Verdict v = authz.authorize(tool(bot, null, "read_text_file", READ_CONFIDENTIAL));
        assertThat(h.log.byId(v.decisionId()).sessionId()).isEqualTo(s.session().id());
        assertThat(authz.authorize(tool(bot, null, "write_file", WRITE_PUBLIC))).isInstanceOf(Verdict.Deny.class);

        h.sessions.revoke(s.session().id(), "test");
        Verdict revoked = authz.authorize(tool(bot, null, "read_text_file", "{\"path\": \"/data/public/a\"}"));
        assertThat(revoked).isInstanceOf(Verdict.Deny.class);
        assertThat(((Verdict.Deny) revoked).reason()).contains("revoked");
    }

    @Test
    void aTokenThatMayNotStartASessionIsDenied() {
        McpAuthorizer authz = h.authorizer(Harness.fsSettings().withSessions(SessionMode.PER_IDENTITY));
        h.sessions.userDisabled("urn:portcullis:mcp", "mallory");
        Verdict v = authz.authorize(tool(agent("mallory"), null, "read_text_file", "{\"path\": \"/data/public/a\"}"));
        assertThat(v).isInstanceOf(Verdict.Deny.class);
        assertThat(((Verdict.Deny) v).answer().at("/result/isError").asBoolean())
                .isTrue();
        assertThat(((Verdict.Deny) v).reason()).contains("no session");
    }

    @Test
    void withoutSessionsTheChainedRuleCannotApply() {
        McpAuthorizer authz = h.authorizer(Harness.fsSettings().withSessions(SessionMode.NONE));
        McpIdentity bot = agent("bot");
        assertThat(authz.authorize(tool(bot, null, "read_text_file", READ_CONFIDENTIAL)))
                .isInstanceOf(Verdict.Allow.class);
        Verdict w = authz.authorize(tool(bot, null, "write_file", WRITE_PUBLIC));
        assertThat(w).isInstanceOf(Verdict.Allow.class);
        assertThat(h.log.byId(w.decisionId()).sessionId()).isNull();
    }

    @Test
    void startingSessionsNeedsTheSessionService() {
        Harness none = new Harness(false);
        try (none) {
            assertThatThrownBy(() -> none.authorizer(Harness.fsSettings().withSessions(SessionMode.PER_IDENTITY)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sessions.mode");
        }
    }

    @Test
    void listingDoesNotCountAsActionsInTheSession() {
        McpAuthorizer authz = h.authorizer(Harness.fsSettings().withSessions(SessionMode.PER_IDENTITY));
        McpIdentity bot = agent("bot");
        Verdict v = authz.authorize(tool(bot, null, "read_text_file", "{\"path\": \"/data/public/a\"}"));
        String session = h.log.byId(v.decisionId()).sessionId();
        long count = h.sessions.get(session).orElseThrow().actionCounts().values().stream()
                .mapToLong(Long::longValue)
                .sum();
        authz.filterList(call("tools/list", "{}", null, null, bot), ListFilteringTest.tools("read_text_file", "echo"));
        long after = h.sessions.get(session).orElseThrow().actionCounts().values().stream()
                .mapToLong(Long::longValue)
                .sum();
        assertThat(after).isEqualTo(count);
    }
}
