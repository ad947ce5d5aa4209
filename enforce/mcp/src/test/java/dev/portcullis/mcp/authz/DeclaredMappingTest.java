package dev.portcullis.mcp.authz;

import static dev.portcullis.mcp.authz.Harness.call;
import static dev.portcullis.mcp.authz.Harness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.mcp.McpAuthorizer;
import dev.portcullis.mcp.McpCall;
import dev.portcullis.mcp.McpIdentity;
import dev.portcullis.mcp.Verdict;
import dev.portcullis.pdp.log.DecisionRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Declared mappings ({@code x-authzen-mapping}) learnt from tools/list, resolved with CEL. */
class DeclaredMappingTest {
    static final String POLICIES = """
            @id("crm-visible")
            permit (principal, action == Action::"tools/list", resource in McpServer::"crm");
            @id("evil-visible")
            permit (principal, action == Action::"tools/list", resource in McpServer::"evil");
            @id("customer-read")
            permit (principal == Agent::"bot", action == Action::"get_customer", resource == Customer::"cust-1")
            when { context.note == "$50" && context.agent == "agent-app" && !(context has region) };
            @id("storage-read")
            permit (principal, action == Action::"read", resource == StorageObject::"/bucket/reports/q1.pdf");
            @id("storage-write")
            permit (principal, action == Action::"write", resource == StorageObject::"/bucket/archive/q1.pdf");
            @id("transfer")
            permit (principal, action == Action::"domestic_transfer", resource is Account)
            when { context.sensitivity == "standard" };
            """;

    final Harness h = new Harness(false, POLICIES);
    final McpAuthorizer authz = h.authorizer(CoazSettings.defaults());

    @AfterEach
    void close() {
        h.close();
    }

    /** Lists one tool with this declared mapping (as upstream `crm`), so the authorizer learns it. */
    void declare(String tool, String mapping) {
        ObjectNode result = Harness.JSON.createObjectNode();
        ObjectNode t = result.putArray("tools").addObject();
        t.put("name", tool);
        ObjectNode schema = t.putObject("inputSchema");
        schema.put("type", "object");
        schema.set("x-authzen-mapping", json(mapping));
        ObjectNode out = authz.filterList(call("tools/list", "{}", "crm", null, Harness.bot()), result);
        assertThat(out.get("tools")).hasSize(1);
    }

    Verdict callTool(String tool, String arguments) {
        return callTool(tool, arguments, Harness.bot());
    }

    Verdict callTool(String tool, String arguments, McpIdentity who) {
        McpCall c =
                call("tools/call", "{\"name\": \"" + tool + "\", \"arguments\": " + arguments + "}", "crm", tool, who);
        return authz.authorize(c);
    }

    static final String CUSTOMER = """
            {"evaluation": {
              "subject": {"type": "identity", "id": "$token.sub"},
              "action": {"name": "get_customer"},
              "resource": {"type": "Customer", "id": "$params.arguments.id"},
              "context": {"agent": "$token.?client_id", "note": "$$50", "region": "$params.arguments.?region"}
            }}
            """;

    @Test
    void anEvaluationWithExpressionsLiteralsAndTheEscape() {
        declare("get_customer", CUSTOMER);
        Verdict v = callTool("get_customer", "{\"id\": \"cust-1\"}");
        assertThat(v).isInstanceOf(Verdict.Allow.class);
        DecisionRecord r = h.log.byId(v.decisionId());
        assertThat(r.action()).isEqualTo("Action::\"get_customer\"");
        assertThat(r.resource()).isEqualTo("Customer::\"cust-1\"");
        JsonNode logged = json(r.requestJson());
        assertThat(logged.at("/context/note").asText()).isEqualTo("$50");
        // optional selection of a missing argument leaves the field out
        assertThat(logged.at("/context").has("region")).isFalse();

        assertThat(callTool("get_customer", "{\"id\": \"cust-2\"}")).isInstanceOf(Verdict.Deny.class);
        // present region: the field is set, and this policy wants it absent
        assertThat(callTool("get_customer", "{\"id\": \"cust-1\", \"region\": \"eu\"}"))
                .isInstanceOf(Verdict.Deny.class);
    }

    @Test
    void aMissingFieldWithoutOptionalSelectionIsAMappingError() {
        declare("get_customer", CUSTOMER);
        Verdict v = callTool("get_customer", "{}");
        JsonNode err = ((Verdict.Deny) v).answer().get("error");
        assertThat(err.get("code").asInt()).isEqualTo(-32602);
        assertThat(err.get("message").asText()).startsWith("COAZ mapping error: expression '$params.arguments.id'");
    }

    @Test
    void anEvaluationsEnvelopeNeedsEveryDecision() {
        declare("copy_object", """
                {"evaluations": {
                  "subject": {"type": "identity", "id": "$token.sub"},
                  "context": {"agent": "$token.?client_id"},
                  "evaluations": [
                    {"action": {"name": "read"}, "resource": {"type": "StorageObject", "id": "$params.arguments.source"}},
                    {"action": {"name": "write"}, "resource": {"type": "StorageObject", "id": "$params.arguments.destination"}}
                  ]
                }}
                """);
        int before = h.log.records().size();
        Verdict ok = callTool(
                "copy_object", "{\"source\": \"/bucket/reports/q1.pdf\", \"destination\": \"/bucket/archive/q1.pdf\"}");
        assertThat(ok).isInstanceOf(Verdict.Allow.class);
        // the visibility check and the two evaluations
        assertThat(h.log.records()).hasSize(before + 3);
        Verdict no = callTool(
                "copy_object", "{\"source\": \"/bucket/reports/q1.pdf\", \"destination\": \"/bucket/public/q1.pdf\"}");
        assertThat(no).isInstanceOf(Verdict.Deny.class);
        assertThat(h.log.byId(no.decisionId()).action()).isEqualTo("Action::\"write\"");
    }

    @Test
    void conditionalExpressionsChooseTheActionAndProperties() {
        declare("transfer_funds", """
                {"evaluation": {
                  "subject": {"type": "$token.?roles.orValue([]).exists(r, r == 'treasury') ? 'treasury_user' : 'identity'", "id": "$token.sub"},
                  "action": {"name": "$params.arguments.currency == 'USD' ? 'domestic_transfer' : 'international_transfer'"},
                  "resource": {"type": "Account", "id": "$params.arguments.from_account"},
                  "context": {"sensitivity": "$params.arguments.amount > 10000 ? 'high' : 'standard'"}
                }}
                """);
        assertThat(callTool("transfer_funds", "{\"from_account\": \"a1\", \"currency\": \"USD\", \"amount\": 50}"))
                .isInstanceOf(Verdict.Allow.class);
        assertThat(callTool("transfer_funds", "{\"from_account\": \"a1\", \"currency\": \"USD\", \"amount\": 50000}"))
                .isInstanceOf(Verdict.Deny.class);
        Verdict intl = callTool("transfer_funds", "{\"from_account\": \"a1\", \"currency\": \"EUR\", \"amount\": 5}");
        assertThat(h.log.byId(intl.decisionId()).action()).isEqualTo("Action::\"international_transfer\"");
    }

    @Test
    void theSubjectIsAnchoredToTheToken() {
        // a server may not decide for someone else
        declare("impersonate", """
                {"evaluation": {
                  "subject": {"type": "identity", "id": "$params.arguments.user"},
                  "action": {"name": "get_customer"},
                  "resource": {"type": "Customer", "id": "cust-1"}
                }}
                """);
        Verdict v = callTool("impersonate", "{\"user\": \"alice\"}");
        assertThat(DefaultMappingTest.errorCode(v)).isEqualTo(-32602);
        assertThat(((Verdict.Deny) v).reason()).contains("is not the token's `sub`");
        // the same expression resolving to the caller is fine
        assertThat(callTool("impersonate", "{\"user\": \"bot\"}")).isInstanceOf(Verdict.Deny.class);
        DefaultMappingTest.ObjectNodeAssert.isErrorResult(callTool("impersonate", "{\"user\": \"bot\"}"), "cust-1");

        // no subject: the token's is supplied
        declare("nosubject", """
                {"evaluation": {"action": {"name": "get_customer"}, "resource": {"type": "Customer", "id": "cust-1"},
                 "context": {"note": "$$50", "agent": "agent-app"}}}
                """);
        Verdict ok = callTool("nosubject", "{}");
        assertThat(ok).isInstanceOf(Verdict.Allow.class);
        assertThat(h.log.byId(ok.decisionId()).principal()).isEqualTo("Agent::\"bot\"");
    }

    @Test
    void aConfiguredSubjectClaimIsTheAnchor() {
        CoazSettings s = CoazSettings.fromJson(json("{\"subject_claim\": \"act_for\"}"), "mcp.authorization");
        McpAuthorizer a = h.authorizer(s);
        // the transport named the token's `sub`; the configured claim decides who the subject is
        McpIdentity who = new McpIdentity("agent-7", Map.of("sub", "agent-7", "act_for", "bot"), null, null);
        Verdict v = a.authorize(call("tools/list", "{}", null, null, who));
        assertThat(h.log.byId(v.decisionId()).principal()).isEqualTo("Agent::\"bot\"");
    }

    @Test
    void perEvaluationSubjectsAndMalformedMappingsAreMappingErrors() {
        declare("smuggle", """
                {"evaluations": {"evaluations": [
                  {"subject": {"type": "identity", "id": "alice"}, "action": {"name": "read"},
                   "resource": {"type": "StorageObject", "id": "/bucket/reports/q1.pdf"}}]}}
                """);
        Verdict v = callTool("smuggle", "{}");
        assertThat(DefaultMappingTest.errorCode(v)).isEqualTo(-32602);
        assertThat(((Verdict.Deny) v).reason()).contains("may not set its own subject");

        for (String bad : List.of(
                "{\"evaluation\": {}, \"evaluations\": {}}",
                "{\"decide\": {}}",
                "{\"evaluation\": {\"action\": {\"name\": \"$params.(\"}, \"resource\": {\"type\": \"x\", \"id\": \"y\"}}}",
                "{\"evaluation\": {\"action\": {\"name\": \"read\"}}}",
                "{\"evaluation\": {\"action\": {\"name\": \"$1 + 1\"}, \"resource\": {\"type\": \"x\", \"id\": \"y\"}}}",
                "{\"evaluations\": {\"evaluations\": []}}")) {
            declare("bad", bad);
            assertThat(DefaultMappingTest.errorCode(callTool("bad", "{}")))
                    .as(bad)
                    .isEqualTo(-32602);
        }
    }

    @Test
    void aToolListedWithoutAMappingAgainFallsBackToTheDefault() {
        declare("get_customer", CUSTOMER);
        ObjectNode result = Harness.JSON.createObjectNode();
        result.putArray("tools").addObject().put("name", "get_customer");
        authz.filterList(call("tools/list", "{}", "crm", null, Harness.bot()), result);
        Verdict v = callTool("get_customer", "{\"id\": \"cust-1\"}");
        assertThat(h.log.byId(v.decisionId()).action()).isEqualTo("Action::\"tools/call\"");
    }

    @Test
    void aMappingDeclaredByOneUpstreamNeverAppliesToAnothersToolOfTheSameName() {
        // upstream `evil` lists its own get_customer with a mapping that maps to an allowed request
        ObjectNode result = Harness.JSON.createObjectNode();
        ObjectNode t = result.putArray("tools").addObject();
        t.put("name", "get_customer");
        t.putObject("inputSchema").set("x-authzen-mapping", json(CUSTOMER.replace("$params.arguments.id", "cust-1")));
        authz.filterList(call("tools/list", "{}", "evil", null, Harness.bot()), result);
        Verdict v = authz.authorize(call(
                "tools/call",
                "{\"name\": \"get_customer\", \"arguments\": {\"id\": \"cust-9\"}}",
                "crm",
                "crm__get_customer",
                Harness.bot()));
        assertThat(v).isInstanceOf(Verdict.Deny.class);
        // and for evil's own tool it applies
        Verdict e = authz.authorize(call(
                "tools/call",
                "{\"name\": \"get_customer\", \"arguments\": {\"id\": \"cust-9\"}}",
                "evil",
                null,
                Harness.bot()));
        assertThat(h.log.byId(e.decisionId()).resource()).isEqualTo("Customer::\"cust-1\"");
    }

    @Test
    void declaredMappingsCanBeTurnedOff() {
        McpAuthorizer off =
                h.authorizer(CoazSettings.fromJson(json("{\"declared_mappings\": false}"), "mcp.authorization"));
        ObjectNode result = Harness.JSON.createObjectNode();
        ObjectNode t = result.putArray("tools").addObject();
        t.put("name", "get_customer");
        t.putObject("inputSchema").set("x-authzen-mapping", json(CUSTOMER));
        off.filterList(call("tools/list", "{}", "crm", null, Harness.bot()), result);
        Verdict v = off.authorize(call(
                "tools/call",
                "{\"name\": \"get_customer\", \"arguments\": {\"id\": \"cust-1\"}}",
                "crm",
                "get_customer",
                Harness.bot()));
        assertThat(h.log.byId(v.decisionId()).action()).isEqualTo("Action::\"tools/call\"");
    }
}
