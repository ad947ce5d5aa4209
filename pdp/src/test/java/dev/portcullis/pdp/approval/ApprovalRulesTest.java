package dev.portcullis.pdp.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.cedar.PolicySet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalRulesTest {
    static ApprovalRules rules(String text) {
        return ApprovalRules.of(PolicySet.parse(text).withIdsFromAnnotations());
    }

    @Test
    void requirement_namesThePermitsThatAskAndTheShortestTtl() {
        ApprovalRules r = rules("""
                @id("a") @approval("required") @approval_ttl("1h")
                permit(principal, action, resource);
                @id("b") @approval("required") @approval_ttl("10m")
                permit(principal, action, resource);
                @id("c") @approval("required")
                permit(principal, action, resource);
                @id("plain")
                permit(principal, action, resource);
                """);

        assertThat(r.isEmpty()).isFalse();
        assertThat(r.requirement(List.of("plain"))).isNull();
        assertThat(r.requirement(List.of("plain", "c"))).isEqualTo(new ApprovalRequirement(List.of("c"), null));
        assertThat(r.requirement(List.of("a", "b", "plain")))
                .isEqualTo(new ApprovalRequirement(List.of("a", "b"), Duration.ofMinutes(10)));
    }

    @Test
    void requirement_readsTheReasonsOfASessionDecision() {
        // a decision in an agent session prefixes each party's reasons: the permit still asks
        ApprovalRules r = rules("""
                @id("pay") @approval("required")
                permit(principal, action, resource);
                @id("plain")
                permit(principal, action, resource);
                """);

        assertThat(r.requirement(List.of("boundary:ses_1", "agent:pay", "user:pay")))
                .isEqualTo(new ApprovalRequirement(List.of("pay"), null));
        assertThat(r.requirement(List.of("agent:plain", "parent2:pay")))
                .isEqualTo(new ApprovalRequirement(List.of("pay"), null));
        assertThat(r.requirement(List.of("boundary:pay", "agent:plain"))).isNull();
    }

    @Test
    void of_ignoresForbidsAndSetsWithoutAnnotations() {
        assertThat(rules("@approval(\"required\") forbid(principal, action, resource);")
                        .isEmpty())
                .isTrue();
        assertThat(rules("permit(principal, action, resource);").isEmpty()).isTrue();
    }

    @Test
    void requirement_failsForAMalformedAnnotationOfADeterminingPermit() {
        ApprovalRules r = rules("""
                @id("typo") @approval("requried")
                permit(principal, action, resource);
                @id("bad-ttl") @approval("required") @approval_ttl("soon")
                permit(principal, action, resource);
                @id("ttl-only") @approval_ttl("5m")
                permit(principal, action, resource);
                @id("fine")
                permit(principal, action, resource);
                """);

        assertThat(r.requirement(List.of("fine"))).isNull();
        assertThatThrownBy(() -> r.requirement(List.of("typo")))
                .isInstanceOf(ApprovalException.class)
                .hasMessage("policy `typo`: unknown @approval value `requried` (expected \"required\")");
        assertThatThrownBy(() -> r.requirement(List.of("bad-ttl"))).hasMessageContaining("bad @approval_ttl `soon`");
        assertThatThrownBy(() -> r.requirement(List.of("ttl-only")))
                .hasMessage("policy `ttl-only` has @approval_ttl but no @approval(\"required\")");
    }

    @Test
    void parseDuration_readsDaysHoursMinutesSeconds() {
        assertThat(ApprovalRules.parseDuration("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(ApprovalRules.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(ApprovalRules.parseDuration("2d3s"))
                .isEqualTo(Duration.ofDays(2).plusSeconds(3));
        assertThat(ApprovalRules.parseDuration("0s")).isNull();
        assertThat(ApprovalRules.parseDuration("")).isNull();
        assertThat(ApprovalRules.parseDuration("m")).isNull();
        assertThat(ApprovalRules.parseDuration("30m1h")).isNull();
        assertThat(ApprovalRules.parseDuration("-5m")).isNull();
    }
}
