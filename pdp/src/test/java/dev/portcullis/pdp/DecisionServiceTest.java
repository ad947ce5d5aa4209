package dev.portcullis.pdp;

import static dev.portcullis.pdp.TestPolicies.SCHEMA;
import static dev.portcullis.pdp.TestPolicies.bundle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.json.EntityJson;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.pdp.entity.StaticEntityProvider;
import dev.portcullis.pdp.log.DecisionRecord;
import dev.portcullis.pdp.policy.PolicyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DecisionServiceTest {
    static final String POLICIES = """
            @id("owners-view")
            permit(principal, action == Action::"view", resource) when { resource.owner == principal };
            @id("staff-edit")
            permit(principal in Group::"staff", action == Action::"edit", resource);
            @id("adults")
            permit(principal, action == Action::"view", resource) when { principal.age >= 18 && resource.public };
            @id("no-interns")
            forbid(principal, action, resource) when { principal has dept && principal.dept == "intern" };
            """;

    static final String ENTITIES = """
            [
              {"uid": {"type": "User", "id": "alice"}, "attrs": {"age": 30}, "parents": [{"type": "Group", "id": "staff"}]},
              {"uid": {"type": "User", "id": "bob"}, "attrs": {"age": 15}, "parents": []},
              {"uid": {"type": "Group", "id": "staff"}, "attrs": {}, "parents": []},
              {"uid": {"type": "Doc", "id": "d1"}, "attrs": {"owner": {"type": "User", "id": "alice"}, "public": true}, "parents": []},
              {"uid": {"type": "Doc", "id": "d2"}, "attrs": {"owner": {"type": "User", "id": "alice"}, "public": false}, "parents": []}
            ]
            """;

    static final EntityUid ALICE = EntityUid.of("User", "alice");
    static final EntityUid BOB = EntityUid.of("User", "bob");
    static final EntityUid VIEW = EntityUid.of("Action", "view");
    static final EntityUid EDIT = EntityUid.of("Action", "edit");
    static final EntityUid D1 = EntityUid.of("Doc", "d1");
    static final EntityUid D2 = EntityUid.of("Doc", "d2");

    PolicyStore store;
    Entities entities;
    InMemoryDecisionLog log;
    DecisionService service;

    @BeforeEach
    void setUp() {
        store = new PolicyStore();
        store.update(bundle("main.cedar", POLICIES, "app.cedarschema", SCHEMA));
        entities = EntityJson.parse(ENTITIES, store.current().schemaOrNull());
        log = new InMemoryDecisionLog();
        service = new DecisionService(store, new StaticEntityProvider(entities), log);
    }

    static DecisionRequest req(EntityUid p, EntityUid a, EntityUid r) {
        return DecisionRequest.of(p, a, r, RecordValue.EMPTY);
    }

    @Test
    void allowIsDecidedByThePoliciesAndLogged() {
        DecisionResult r = service.decide(req(ALICE, VIEW, D2).withCaller("gateway"));

        assertThat(r.allowed()).isTrue();
        assertThat(r.reasons()).containsExactly("owners-view");
        assertThat(r.failure()).isNull();
        assertThat(r.policyVersion()).isEqualTo(store.current().version());
        DecisionRecord rec = log.records().get(0);
        assertThat(rec.decisionId()).isEqualTo(r.decisionId());
        assertThat(rec.allowed()).isTrue();
        assertThat(rec.caller()).isEqualTo("gateway");
        assertThat(rec.principal()).isEqualTo(ALICE.toString());
        assertThat(rec.reasons()).containsExactly("owners-view");
        assertThat(rec.policyVersion()).isEqualTo(r.policyVersion());
        assertThat(rec.requestJson()).contains("\"alice\"").contains("\"view\"");
    }

    @Test
    void theLoggedUidsAreTheirText_whetherTheStoreKnowsThemOrNot() {
        EntityUid stranger = EntityUid.of("User", "mal\"lory\\\n");
        service.decide(req(ALICE, VIEW, D1));
        service.decide(req(stranger, VIEW, EntityUid.of("Doc", "unknown")));
        service.decide(req(ALICE, VIEW, D1));
        List<DecisionRecord> recs = log.records();
        assertThat(recs.get(0).principal()).isEqualTo("User::\"alice\"");
        assertThat(recs.get(0).resource()).isEqualTo("Doc::\"d1\"");
        assertThat(recs.get(0).action()).isEqualTo("Action::\"view\"");
        assertThat(recs.get(1).principal()).isEqualTo("User::\"mal\\\"lory\\\\\\n\"");
        assertThat(recs.get(1).resource()).isEqualTo("Doc::\"unknown\"");
        assertThat(recs.get(2).principal()).isEqualTo(recs.get(0).principal());
    }

    @Test
    void defaultDenyHasNoReasonAndIsNotAFailure() {
        DecisionResult r = service.decide(req(BOB, VIEW, D2));
        assertThat(r.allowed()).isFalse();
        assertThat(r.reasons()).isEmpty();
        assertThat(r.failedClosed()).isFalse();
        assertThat(log.records()).hasSize(1);
    }

    @Test
    void requestPropertiesOverrideStoreAttributesForThatRequestOnly() {
        // the store says bob is 15; the caller says 20
        DecisionRequest older = req(BOB, VIEW, D1).withProperties(BOB, Map.of("age", new LongValue(20)));
        assertThat(service.decide(older).allowed()).isTrue();
        assertThat(service.decide(req(BOB, VIEW, D1)).allowed()).isFalse();
        assertThat(entities.get(BOB).attrs()).containsEntry("age", new LongValue(15));
    }

    @Test
    void requestPropertiesExtendStoreAttributesAndKeepGroupMembership() {
        DecisionRequest intern = req(ALICE, EDIT, D1).withProperties(ALICE, Map.of("dept", new StringValue("intern")));
        DecisionResult denied = service.decide(intern);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.reasons()).containsExactly("no-interns");

        // an attribute-only fact keeps the stored parents: alice is still staff
        DecisionRequest sales = req(ALICE, EDIT, D1).withProperties(ALICE, Map.of("dept", new StringValue("sales")));
        DecisionResult allowed = service.decide(sales);
        assertThat(allowed.allowed()).isTrue();
        assertThat(allowed.reasons()).containsExactly("staff-edit");
    }

    @Test
    void factParentsAddToTheHierarchy() {
        Entity bobInStaff = new Entity(BOB, Map.of(), Set.of(EntityUid.of("Group", "staff")), Map.of());
        assertThat(service.decide(req(BOB, EDIT, D1)).allowed()).isFalse();
        assertThat(service.decide(req(BOB, EDIT, D1).withFact(bobInStaff)).allowed())
                .isTrue();
    }

    @Test
    void policiesThatFailToEvaluateAreReportedAndIgnored() {
        PolicyStore noSchema = new PolicyStore();
        noSchema.update(bundle("p.cedar", """
                @id("broken") permit(principal, action, resource) when { principal.nope == 1 };
                @id("open") permit(principal, action, resource);
                """));
        DecisionService s = new DecisionService(noSchema, new StaticEntityProvider(entities), log);
        DecisionResult r = s.decide(req(ALICE, VIEW, D1));
        assertThat(r.allowed()).isTrue();
        assertThat(r.reasons()).containsExactly("open");
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.policyId())
                .isEqualTo("broken"));
        assertThat(log.records().get(0).errors()).singleElement().asString().startsWith("broken: ");
    }

    @Test
    void aLogThatCannotRecordTurnsAnAllowIntoADeny() {
        log.failing(true);
        DecisionResult r = service.decide(req(ALICE, VIEW, D2));
        assertThat(r.allowed()).isFalse();
        assertThat(r.failure()).contains("decision log unavailable").contains("log store unreachable");
        assertThat(service.failures()).isEqualTo(1);
    }

    @Test
    void aBrokenEntityProviderDenies() {
        DecisionService s = new DecisionService(
                store,
                () -> {
                    throw new IllegalStateException("directory server down");
                },
                log);
        DecisionResult r = s.decide(req(ALICE, VIEW, D2));
        assertThat(r.allowed()).isFalse();
        assertThat(r.failure()).contains("entity store unavailable").contains("directory server down");
        // the failed decision is still on record
        assertThat(log.records()).singleElement().satisfies(rec -> {
            assertThat(rec.allowed()).isFalse();
            assertThat(rec.errors()).anySatisfy(e -> assertThat(e).contains("directory server down"));
        });
    }

    @Test
    void noPolicySetDenies() {
        DecisionService s = new DecisionService(new PolicyStore(), new StaticEntityProvider(entities), log);
        DecisionResult r = s.decide(req(ALICE, VIEW, D2));
        assertThat(r.allowed()).isFalse();
        assertThat(r.policyVersion()).isNull();
        assertThat(r.failure()).contains("no policy set");
    }

    @Test
    void requestsTheSchemaDoesNotAllowAreDenied() {
        // a document cannot be a principal of `view`
        DecisionResult r = service.decide(req(D1, VIEW, D2));
        assertThat(r.allowed()).isFalse();
        assertThat(r.failure()).startsWith("invalid request");

        // a fact with a value of the wrong type
        DecisionRequest bad = req(BOB, VIEW, D1).withProperties(BOB, Map.of("age", new StringValue("old")));
        DecisionResult r2 = service.decide(bad);
        assertThat(r2.allowed()).isFalse();
        assertThat(r2.failure()).startsWith("invalid request");

        // and the context is checked too
        Request ctx = new Request(ALICE, VIEW, D2, new RecordValue(Map.of("mfa", new LongValue(1))));
        assertThat(service.decide(DecisionRequest.of(ctx)).failure()).startsWith("invalid request");
        Request okCtx = new Request(ALICE, VIEW, D2, new RecordValue(Map.of("mfa", BoolValue.TRUE)));
        assertThat(service.decide(DecisionRequest.of(okCtx)).allowed()).isTrue();
    }

    @Test
    void batchItemsAreDecidedIndependentlyAgainstOneVersion() {
        List<DecisionResult> rs =
                service.decideAll(List.of(req(ALICE, VIEW, D2), req(BOB, VIEW, D2), req(D1, VIEW, D2)));
        assertThat(rs).extracting(DecisionResult::allowed).containsExactly(true, false, false);
        assertThat(rs.get(2).failedClosed()).isTrue();
        assertThat(rs)
                .extracting(DecisionResult::policyVersion)
                .containsOnly(store.current().version());
        assertThat(rs).extracting(DecisionResult::decisionId).doesNotHaveDuplicates();
        assertThat(log.records()).hasSize(3);
    }

    @Test
    void decisionIdsAreTimeOrderedUuidV7() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ids.add(service.decide(req(BOB, VIEW, D2)).decisionId());
        }
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(java.util.UUID.fromString(ids.get(0)).version()).isEqualTo(7);
        long millis = java.util.UUID.fromString(ids.get(0)).getMostSignificantBits() >>> 16;
        assertThat(millis).isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis() + 1000);
    }

    @Test
    void renderedRequestJsonIsValidCedarJsonThatRoundTrips() throws Exception {
        Entity fact = new Entity(
                BOB, Map.of("dept", new StringValue("qu\"ote\\")), Set.of(EntityUid.of("Group", "staff")), Map.of());
        Request r = new Request(
                EntityUid.of("User", "we\"ird\n"), VIEW, D1, new RecordValue(Map.of("mfa", BoolValue.TRUE)));
        String json = DecisionService.renderJson(DecisionRequest.of(r).withFact(fact));

        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertThat(dev.portcullis.cedar.json.ValueJson.parseEntityUid(tree.get("principal")))
                .isEqualTo(r.principal());
        assertThat(dev.portcullis.cedar.json.ContextJson.parse(tree.get("context"), null, VIEW))
                .isEqualTo(r.context());
        Entities facts = EntityJson.parse(tree.get("entities"), null);
        assertThat(facts.get(BOB)).isEqualTo(fact);
    }
}
