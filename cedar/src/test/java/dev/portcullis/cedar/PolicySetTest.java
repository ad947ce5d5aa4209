package dev.portcullis.cedar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.cedar.ast.ActionConstraint;
import dev.portcullis.cedar.ast.Effect;
import dev.portcullis.cedar.ast.EntityRef;
import dev.portcullis.cedar.ast.Loc;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.ast.ScopeConstraint;
import dev.portcullis.cedar.ast.SlotId;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicySetTest {
    static final EntityUid ALICE = EntityUid.of("User", "alice");
    static final EntityUid DOC = EntityUid.of("Doc", "d1");
    static final EntityUid VIEW = EntityUid.of("Action", "view");

    static Policy policy(String id, ScopeConstraint principal, ScopeConstraint resource, Map<String, String> ann) {
        return new Policy(
                id, Effect.PERMIT, principal, new ActionConstraint.Eq(VIEW), resource, List.of(), ann, null, Loc.NONE);
    }

    static Policy template(String id) {
        return policy(
                id,
                new ScopeConstraint.Eq(EntityRef.of(SlotId.PRINCIPAL)),
                new ScopeConstraint.IsIn(new EntityType("Doc"), EntityRef.of(SlotId.RESOURCE)),
                Map.of());
    }

    static Policy plain(String id) {
        return policy(id, ScopeConstraint.ANY, ScopeConstraint.ANY, Map.of());
    }

    @Test
    void separatesTemplatesFromStaticPolicies() {
        PolicySet set = PolicySet.of(List.of(plain("policy0"), template("policy1"), plain("policy2")));
        assertThat(set.policies()).extracting(Policy::id).containsExactly("policy0", "policy2");
        assertThat(set.templates()).extracting(Policy::id).containsExactly("policy1");
        assertThat(set.policy("policy1").isTemplate()).isTrue();
        assertThat(set.policy("nope")).isNull();
    }

    @Test
    void linkSubstitutesSlotsInTheScope() {
        PolicySet set = PolicySet.of(List.of(template("t")))
                .link("t", "link1", Map.of(SlotId.PRINCIPAL, ALICE, SlotId.RESOURCE, DOC));
        Policy linked = set.policy("link1");
        assertThat(set.policies()).containsExactly(linked);
        assertThat(linked.templateId()).isEqualTo("t");
        assertThat(linked.isTemplate()).isFalse();
        assertThat(linked.principal()).isEqualTo(new ScopeConstraint.Eq(EntityRef.of(ALICE)));
        assertThat(linked.resource()).isEqualTo(new ScopeConstraint.IsIn(new EntityType("Doc"), EntityRef.of(DOC)));
        // the original set is unchanged: policy sets are immutable
        assertThat(PolicySet.of(List.of(template("t"))).policies()).isEmpty();
    }

    @Test
    void linkErrors() {
        PolicySet set = PolicySet.of(List.of(template("t"), plain("p")));
        Map<SlotId, EntityUid> both = Map.of(SlotId.PRINCIPAL, ALICE, SlotId.RESOURCE, DOC);
        assertThatThrownBy(() -> set.link("missing", "l", both))
                .isInstanceOf(PolicySetException.class)
                .hasMessageContaining("`missing` does not exist");
        assertThatThrownBy(() -> set.link("p", "l", both)).hasMessageContaining("`p` is not a template");
        assertThatThrownBy(() -> set.link("t", "l", Map.of(SlotId.PRINCIPAL, ALICE)))
                .hasMessageContaining("needs a value for `?resource`");
        assertThatThrownBy(() -> set.link("t", "p", both)).hasMessageContaining("already exists");
        assertThatThrownBy(() -> set.link("t", "t", both)).hasMessageContaining("already exists");
        PolicySet once = set.link("t", "l", both);
        assertThatThrownBy(() -> once.link("t", "l", both)).hasMessageContaining("already exists");
        PolicySet principalOnly = PolicySet.of(List.of(
                policy("tp", new ScopeConstraint.In(EntityRef.of(SlotId.PRINCIPAL)), ScopeConstraint.ANY, Map.of())));
        assertThatThrownBy(() -> principalOnly.link("tp", "l", both)).hasMessageContaining("has no slot `?resource`");
    }

    @Test
    void duplicateIdsAreRejected() {
        assertThatThrownBy(() -> PolicySet.of(List.of(plain("a"), template("a"))))
                .isInstanceOf(PolicySetException.class)
                .hasMessageContaining("duplicate policy id `a`");
    }

    @Test
    void idsFromAnnotations() {
        PolicySet set = PolicySet.of(List.of(
                        policy("policy0", ScopeConstraint.ANY, ScopeConstraint.ANY, Map.of("id", "readers")),
                        plain("policy1")))
                .withIdsFromAnnotations();
        assertThat(set.policies()).extracting(Policy::id).containsExactly("readers", "policy1");
        assertThatThrownBy(() -> PolicySet.of(List.of(
                                policy("policy0", ScopeConstraint.ANY, ScopeConstraint.ANY, Map.of("id", "policy1")),
                                plain("policy1")))
                        .withIdsFromAnnotations())
                .hasMessageContaining("duplicate policy id `policy1`");
    }
}
