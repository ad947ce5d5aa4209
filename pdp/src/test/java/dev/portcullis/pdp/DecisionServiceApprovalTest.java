package dev.portcullis.pdp;

import static dev.portcullis.pdp.TestPolicies.bundle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.json.EntityJson;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import dev.portcullis.pdp.approval.Approval;
import dev.portcullis.pdp.approval.ApprovalException;
import dev.portcullis.pdp.approval.ApprovalService;
import dev.portcullis.pdp.approval.ApprovalState;
import dev.portcullis.pdp.approval.ApprovalStore;
import dev.portcullis.pdp.approval.InMemoryApprovalStore;
import dev.portcullis.pdp.entity.StaticEntityProvider;
import dev.portcullis.pdp.log.DecisionRecord;
import dev.portcullis.pdp.policy.PolicyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The approval flow through the one decision path, as an enforcement point sees it. */
class DecisionServiceApprovalTest {
    static final String POLICIES = """
            @id("pay-needs-approval")
            @approval("required")
            permit(principal in Group::"staff", action == Action::"pay", resource);
            @id("view")
            permit(principal, action == Action::"view", resource);
            @id("no-big-payments")
            forbid(principal, action == Action::"pay", resource) when { context has amount && context.amount > 1000 };
            """;

    static final String ENTITIES = """
            [
              {"uid": {"type": "User", "id": "alice"}, "attrs": {}, "parents": [{"type": "Group", "id": "staff"}]},
              {"uid": {"type": "Group", "id": "staff"}, "attrs": {}, "parents": []},
              {"uid": {"type": "Invoice", "id": "i1"}, "attrs": {}, "parents": []}
            ]
            """;

    static final EntityUid ALICE = EntityUid.of("User", "alice");
    static final EntityUid PAY = EntityUid.of("Action", "pay");
    static final EntityUid VIEW = EntityUid.of("Action", "view");
    static final EntityUid INVOICE = EntityUid.of("Invoice", "i1");

    TestClock clock;
    PolicyStore policies;
    Entities entities;
    InMemoryDecisionLog log;
    ApprovalService approvals;
    DecisionService service;

    @BeforeEach
    void setUp() {
        clock = new TestClock(Instant.parse("2025-06-01T12:00:00Z"));
        policies = new PolicyStore();
        policies.update(bundle("main.cedar", POLICIES));
        entities = EntityJson.parse(ENTITIES, null);
        log = new InMemoryDecisionLog();
        approvals = new ApprovalService(new InMemoryApprovalStore(), ApprovalService.Options.defaults(), clock);
        service = serviceWith(approvals);
    }

    DecisionService serviceWith(ApprovalService a) {
        return new DecisionService(policies::current, new StaticEntityProvider(entities), log, clock, a);
    }

    static DecisionRequest pay(long amount, Map<String, Value> more) {
        Map<String, Value> ctx = new HashMap<>(more);
        ctx.put("amount", new LongValue(amount));
        return DecisionRequest.of(ALICE, PAY, INVOICE, new RecordValue(ctx));
    }

    static DecisionRequest pay(long amount) {
        return pay(amount, Map.of());
    }

    static DecisionRequest naming(String approvalId, long amount) {
        return pay(amount, Map.of("approval", new RecordValue(Map.of("id", new StringValue(approvalId)))));
    }

    static String approvalId(DecisionResult r) {
        assertThat(r.allowed()).isFalse();
        Obligation o = r.obligation(Obligation.APPROVAL_REQUIRED);
        assertThat(o).as("approval_required obligation of %s", r).isNotNull();
        return o.attributes().get("approval_id");
    }

    DecisionRecord logged(DecisionResult r) {
        return log.records().stream()
                .filter(rec -> rec.decisionId().equals(r.decisionId()))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void fullFlow_denyWithObligationThenGrantThenOneAllowThenDenyAgain() {
        // 1. the first attempt is a deny that says which approval to ask for
        DecisionResult first = service.decide(pay(10, Map.of("time", new LongValue(1))));
        String id = approvalId(first);
        Obligation o = first.obligation(Obligation.APPROVAL_REQUIRED);
        assertThat(o.attributes()).containsOnlyKeys("approval_id", "expires_at");
        assertThat(o.attributes().get("expires_at")).isEqualTo("2025-06-01T12:15:00Z");
        assertThat(first.reasons()).containsExactly("pay-needs-approval");
        assertThat(first.failedClosed()).isFalse();
        DecisionRecord rec = logged(first);
        assertThat(rec.allowed()).isFalse();
        assertThat(rec.reasons())
                .containsExactly(
                        "pay-needs-approval",
                        "obligation:approval_required {\"approval_id\":\"" + id
                                + "\",\"expires_at\":\"2025-06-01T12:15:00Z\"}");

        // asking again before anyone decided: the same approval, not a second one
        assertThat(approvalId(service.decide(pay(10)))).isEqualTo(id);
        Approval pending = approvals.get(id).orElseThrow();
        assertThat(pending.state()).isEqualTo(ApprovalState.PENDING);
        assertThat(pending.decisionId()).isEqualTo(first.decisionId());
        assertThat(pending.policies()).containsExactly("pay-needs-approval");
        assertThat(pending.request()).contains("\"amount\":10").doesNotContain("time");

        // 2. a human grants it; 3. the retry passes (its clock-valued context may differ)
        clock.advance(Duration.ofMinutes(1));
        approvals.grant(id, "bob", "ok");
        DecisionResult retry = service.decide(pay(10, Map.of("time", new LongValue(2))));
        assertThat(retry.allowed()).isTrue();
        assertThat(retry.obligations()).isEmpty();
        assertThat(retry.reasons()).containsExactly("pay-needs-approval", "approval:" + id);
        assertThat(logged(retry).allowed()).isTrue();
        assertThat(logged(retry).reasons()).containsExactly("pay-needs-approval", "approval:" + id);
        Approval used = approvals.get(id).orElseThrow();
        assertThat(used.state()).isEqualTo(ApprovalState.USED);
        assertThat(used.usedBy()).isEqualTo(retry.decisionId());

        // 4. a replay is a deny, by hash or naming the used approval
        String next = approvalId(service.decide(pay(10)));
        assertThat(next).isNotEqualTo(id);
        DecisionResult replay = service.decide(naming(id, 10));
        assertThat(approvalId(replay)).isEqualTo(next);
        assertThat(replay.reasons())
                .containsExactly("pay-needs-approval", "approval:" + id + " rejected: already used");
    }

    @Test
    void differentRequestUnderTheSameApproval_isDeniedAndLeavesTheApprovalUnused() {
        String id = approvalId(service.decide(pay(10)));
        approvals.grant(id, "bob", null);

        DecisionResult other = service.decide(naming(id, 20));
        assertThat(other.allowed()).isFalse();
        assertThat(other.reasons())
                .containsExactly("pay-needs-approval", "approval:" + id + " rejected: bound to a different request");
        assertThat(approvalId(other)).isNotEqualTo(id);
        // nor does the other request find it by its own hash
        assertThat(service.decide(pay(20)).allowed()).isFalse();
        DecisionResult otherResource = service.decide(DecisionRequest.of(
                ALICE, PAY, EntityUid.of("Invoice", "i2"), new RecordValue(Map.of("amount", new LongValue(10)))));
        assertThat(otherResource.allowed()).isFalse();

        assertThat(approvals.get(id).orElseThrow().state()).isEqualTo(ApprovalState.GRANTED);
        assertThat(service.decide(naming(id, 10)).allowed()).isTrue();
    }

    @Test
    void expiredApprovals_deny() {
        String grantedLate = approvalId(service.decide(pay(10)));
        approvals.grant(grantedLate, "bob", null);
        clock.advance(Duration.ofMinutes(5)); // the grant's default lifetime

        DecisionResult afterGrantExpired = service.decide(pay(10));
        assertThat(afterGrantExpired.allowed()).isFalse();
        assertThat(approvals.get(grantedLate).orElseThrow().state()).isEqualTo(ApprovalState.EXPIRED);

        String neverDecided = approvalId(afterGrantExpired);
        clock.advance(Duration.ofMinutes(15));
        assertThat(approvals.get(neverDecided).orElseThrow().state()).isEqualTo(ApprovalState.EXPIRED);
        DecisionResult later = service.decide(naming(neverDecided, 10));
        assertThat(later.reasons()).contains("approval:" + neverDecided + " rejected: expired");
        assertThat(approvalId(later)).isNotEqualTo(neverDecided);
    }

    @Test
    void deniedApproval_staysDenyWithoutAskingAgain() {
        String id = approvalId(service.decide(pay(10)));
        approvals.deny(id, "bob", "not this invoice");

        DecisionResult retry = service.decide(pay(10));
        assertThat(retry.allowed()).isFalse();
        assertThat(retry.obligations()).isEmpty();
        assertThat(retry.reasons()).containsExactly("pay-needs-approval", "approval:" + id + " denied");
        assertThat(service.decide(naming(id, 10)).allowed()).isFalse();
        assertThat(approvals.list(ApprovalState.PENDING, 10)).isEmpty();
    }

    @Test
    void searches_neitherAskForNorUseApprovals() {
        DecisionResult search = service.decide(pay(10).withKind("search"));
        assertThat(search.allowed()).isFalse();
        assertThat(search.obligations()).isEmpty();
        assertThat(search.reasons())
                .containsExactly("pay-needs-approval", "approval:required (not asked for by a search)");
        assertThat(approvals.list(null, 10)).isEmpty();

        String id = approvalId(service.decide(pay(10)));
        approvals.grant(id, "bob", null);
        assertThat(service.decide(pay(10).withKind("search")).allowed()).isFalse();
        assertThat(approvals.get(id).orElseThrow().state()).isEqualTo(ApprovalState.GRANTED);
    }

    @Test
    void concurrentRetries_exactlyOneAllow() throws Exception {
        String id = approvalId(service.decide(pay(10)));
        approvals.grant(id, "bob", null);

        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<DecisionResult> results;
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<DecisionResult>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return service.decide(pay(10));
                }));
            }
            go.countDown();
            results = new ArrayList<>();
            for (Future<DecisionResult> f : futures) {
                results.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(results.stream().filter(DecisionResult::allowed)).hasSize(1);
        Set<String> asked = ConcurrentHashMap.newKeySet();
        results.stream().filter(r -> !r.allowed()).forEach(r -> asked.add(approvalId(r)));
        assertThat(asked).hasSize(1).doesNotContain(id);
        assertThat(results).allSatisfy(r -> assertThat(r.failedClosed()).isFalse());
    }

    @Test
    void forbidsAndOrdinaryAllows_neverTouchApprovals() {
        DecisionResult big = service.decide(pay(5000));
        assertThat(big.allowed()).isFalse();
        assertThat(big.reasons()).containsExactly("no-big-payments");
        assertThat(big.obligations()).isEmpty();

        DecisionResult view = service.decide(DecisionRequest.of(ALICE, VIEW, INVOICE, RecordValue.EMPTY));
        assertThat(view.allowed()).isTrue();
        assertThat(view.obligations()).isEmpty();
        assertThat(approvals.list(null, 10)).isEmpty();
    }

    @Test
    void failClosed_withoutAnApprovalServiceOnStoreFailureAndOnMalformedAnnotations() {
        DecisionResult none = serviceWith(null).decide(pay(10));
        assertThat(none.allowed()).isFalse();
        assertThat(none.failure())
                .isEqualTo("policy `pay-needs-approval` requires approval, but no approval service is configured");

        ApprovalService broken = new ApprovalService(new FailingStore(), ApprovalService.Options.defaults(), clock);
        DecisionResult down = serviceWith(broken).decide(pay(10));
        assertThat(down.allowed()).isFalse();
        assertThat(down.failure()).isEqualTo("approval step failed: approval store unreachable");
        assertThat(logged(down).errors())
                .containsExactly("fail-closed: approval step failed: approval store unreachable");

        DecisionResult unknown = service.decide(naming("apr_unknown", 10));
        assertThat(unknown.failedClosed()).isFalse(); // an id that names nothing: a plain deny
        assertThat(unknown.reasons()).contains("approval:apr_unknown rejected: unknown approval");
        DecisionResult badReference = service.decide(pay(10, Map.of("approval", new LongValue(7))));
        assertThat(badReference.failure()).startsWith("approval step failed: `context.approval` must be a record");

        policies.update(bundle("main.cedar", POLICIES.replace("@approval(\"required\")", "@approval(\"yes\")")));
        DecisionResult typo = service.decide(pay(10));
        assertThat(typo.allowed()).isFalse();
        assertThat(typo.failure())
                .isEqualTo("approval step failed: policy `pay-needs-approval`: unknown @approval value `yes`"
                        + " (expected \"required\")");
    }

    @Test
    void policyTtl_setsHowLongAGrantLasts() {
        policies.update(bundle(
                "main.cedar",
                POLICIES.replace("@approval(\"required\")", "@approval(\"required\") @approval_ttl(\"1h\")")));
        String id = approvalId(service.decide(pay(10)));
        Approval granted = approvals.grant(id, "bob", null);

        assertThat(granted.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        clock.advance(Duration.ofMinutes(59));
        assertThat(service.decide(pay(10)).allowed()).isTrue();
    }

    /** A store that cannot be reached. */
    static final class FailingStore implements ApprovalStore {
        private static ApprovalException down() {
            return new ApprovalException(ApprovalException.Kind.UNAVAILABLE, "approval store unreachable");
        }

        @Override
        public Optional<Approval> get(String id) {
            throw down();
        }

        @Override
        public List<Approval> byBinding(String bindingHash) {
            throw down();
        }

        @Override
        public List<Approval> list(ApprovalState state, Instant now, int limit) {
            throw down();
        }

        @Override
        public Approval insertPending(Approval candidate, Instant now) {
            throw down();
        }

        @Override
        public boolean transition(Approval updated, ApprovalState expected, Instant now) {
            throw down();
        }

        @Override
        public int purge(Instant cutoff) {
            throw down();
        }

        @Override
        public void close() {}
    }

    @Test
    void anApprovalIsForOneSession_theSameRequestInAnotherSessionNeedsItsOwn() {
        // a guard that lets every session through to the policies: only the binding is under test
        SessionGuard open = (request, view, authorizer, now) ->
                SessionGuard.Outcome.decided(authorizer.isAuthorized(request.request(), view));
        DecisionService sessions =
                new DecisionService(policies::current, new StaticEntityProvider(entities), log, clock, open, approvals);
        String inA = approvalId(sessions.decide(pay(10).withSessionId("session-a")));
        approvals.grant(inA, "bob", null);

        DecisionResult inB = sessions.decide(pay(10).withSessionId("session-b"));
        assertThat(approvalId(inB)).isNotEqualTo(inA);
        assertThat(approvals.get(inA).orElseThrow().state()).isEqualTo(ApprovalState.GRANTED);
        assertThat(approvalId(sessions.decide(pay(10)))).isNotEqualTo(inA);

        assertThat(sessions.decide(pay(10).withSessionId("session-a")).allowed())
                .isTrue();
        assertThat(approvals.get(inA).orElseThrow().state()).isEqualTo(ApprovalState.USED);
    }
}
