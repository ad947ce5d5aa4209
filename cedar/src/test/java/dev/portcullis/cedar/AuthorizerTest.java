package dev.portcullis.cedar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.ast.SlotId;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.RecordValue;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Cedar's decision rule: default deny, forbid overrides permit, failing policies are skipped. */
class AuthorizerTest {
    static final EntityUid ALICE = EntityUid.of("User", "alice");
    static final EntityUid VIEW = EntityUid.of("Action", "view");
    static final EntityUid DOC = EntityUid.of("Doc", "d");
    static final Entities ENTITIES = Entities.of(List.of(
            new Entity(ALICE, Map.of("level", new LongValue(3)), Set.of(EntityUid.of("Group", "staff")), Map.of()),
            new Entity(DOC)));
    static final Request REQUEST = new Request(ALICE, VIEW, DOC, RecordValue.EMPTY);

    static Response decide(String policies) {
        return new Authorizer(PolicySet.parse(policies)).isAuthorized(REQUEST, ENTITIES);
    }

    @Test
    void defaultDenyHasNoReasons() {
        Response r = decide("permit(principal == User::\"bob\", action, resource);");
        assertThat(r.decision()).isEqualTo(Decision.DENY);
        assertThat(r.reasons()).isEmpty();
        assertThat(r.errors()).isEmpty();
    }

    @Test
    void allowReasonsAreTheSatisfiedPermits() {
        Response r = decide("""
                permit(principal in Group::"staff", action, resource);
                permit(principal, action == Action::"edit", resource);
                permit(principal, action, resource) when { principal.level > 2 };
                """);
        assertThat(r.decision()).isEqualTo(Decision.ALLOW);
        assertThat(r.reasons()).containsExactly("policy0", "policy2");
    }

    @Test
    void forbidOverridesPermitAndOnlyForbidsAreReasons() {
        Response r = decide("""
                permit(principal, action, resource);
                forbid(principal, action, resource is Doc);
                forbid(principal, action, resource) unless { principal.level > 5 };
                """);
        assertThat(r.decision()).isEqualTo(Decision.DENY);
        assertThat(r.reasons()).containsExactly("policy1", "policy2");
    }

    @Test
    void failingPoliciesAreSkippedAndReportedWhateverTheDecision() {
        // policy1 reads a missing attribute: a forbid that errors does not deny
        Response allowed = decide("""
                permit(principal, action, resource);
                forbid(principal, action, resource) when { principal.missing == 1 };
                """);
        assertThat(allowed.decision()).isEqualTo(Decision.ALLOW);
        assertThat(allowed.reasons()).containsExactly("policy0");
        assertThat(allowed.errors()).extracting(AuthorizationError::policyId).containsExactly("policy1");
        assertThat(allowed.errors().get(0).message()).isNotBlank();

        Response denied = decide("""
                permit(principal, action, resource) when { 1 + true };
                forbid(principal, action, resource) when { principal.level == 3 };
                """);
        assertThat(denied.decision()).isEqualTo(Decision.DENY);
        assertThat(denied.reasons()).containsExactly("policy1");
        assertThat(denied.errors()).extracting(AuthorizationError::policyId).containsExactly("policy0");
    }

    @Test
    void templatesApplyOnlyThroughTheirLinks() {
        PolicySet set = PolicySet.parse("permit(principal == ?principal, action, resource in ?resource);");
        Authorizer unlinked = new Authorizer(set);
        assertThat(unlinked.isAuthorized(REQUEST, ENTITIES).decision()).isEqualTo(Decision.DENY);
        PolicySet linked = set.link("policy0", "aliceDocs", Map.of(SlotId.PRINCIPAL, ALICE, SlotId.RESOURCE, DOC))
                .link(
                        "policy0",
                        "bobDocs",
                        Map.of(SlotId.PRINCIPAL, EntityUid.of("User", "bob"), SlotId.RESOURCE, DOC));
        Response r = new Authorizer(linked).isAuthorized(REQUEST, ENTITIES);
        assertThat(r.decision()).isEqualTo(Decision.ALLOW);
        assertThat(r.reasons()).containsExactly("aliceDocs");
    }
}
