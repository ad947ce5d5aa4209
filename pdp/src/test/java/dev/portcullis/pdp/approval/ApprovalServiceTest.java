package dev.portcullis.pdp.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import dev.portcullis.pdp.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The approval rules themselves, on the in-memory store (the stores have their own contract). */
class ApprovalServiceTest {
    static final ApprovalRequirement NEED = new ApprovalRequirement(List.of("needs-approval"), null);

    TestClock clock;
    InMemoryApprovalStore store;
    ApprovalService service;

    @BeforeEach
    void setUp() {
        clock = new TestClock(Instant.parse("2025-06-01T12:00:00Z"));
        store = new InMemoryApprovalStore();
        service = new ApprovalService(store, ApprovalService.Options.defaults(), clock);
    }

    static Request request(long amount) {
        return request(Map.of("amount", new LongValue(amount)));
    }

    static Request request(Map<String, Value> context) {
        return new Request(
                EntityUid.of("User", "alice"),
                EntityUid.of("Action", "pay"),
                EntityUid.of("Invoice", "i1"),
                new RecordValue(context));
    }

    @Test
    void request_isIdempotentWhilePending() {
        Approval a = service.request(request(10), List.of(), NEED, "d1");
        clock.advance(Duration.ofMinutes(1));
        Approval again = service.request(request(10), List.of(), NEED, "d2");
        Approval other = service.request(request(11), List.of(), NEED, "d3");

        assertThat(a.state()).isEqualTo(ApprovalState.PENDING);
        assertThat(a.id()).matches("apr_[0-9a-f]{32}");
        assertThat(a.decisionId()).isEqualTo("d1");
        assertThat(a.policies()).containsExactly("needs-approval");
        assertThat(a.expiresAt())
                .isEqualTo(clock.instant().minus(Duration.ofMinutes(1)).plus(Duration.ofMinutes(15)));
        assertThat(again.id()).isEqualTo(a.id());
        assertThat(other.id()).isNotEqualTo(a.id());
        assertThat(service.list(ApprovalState.PENDING, 10)).hasSize(2);
    }

    @Test
    void grant_movesAPendingApprovalOnceAndUsesThePolicyTtl() {
        Approval a = service.request(
                request(10), List.of(), new ApprovalRequirement(List.of("p"), Duration.ofHours(1)), "d1");
        clock.advance(Duration.ofMinutes(2));

        Approval g = service.grant(a.id(), "bob", "looks fine");

        assertThat(g.state()).isEqualTo(ApprovalState.GRANTED);
        assertThat(g.approver()).isEqualTo("bob");
        assertThat(g.note()).isEqualTo("looks fine");
        assertThat(g.decidedAt()).isEqualTo(clock.instant());
        assertThat(g.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        assertThat(service.get(a.id())).contains(g);
        assertThatThrownBy(() -> service.grant(a.id(), "bob", null))
                .isInstanceOfSatisfying(
                        ApprovalException.class, e -> assertThat(e.kind()).isEqualTo(ApprovalException.Kind.CONFLICT))
                .hasMessage("approval `" + a.id() + "` is granted, not pending");
        assertThatThrownBy(() -> service.deny(a.id(), "carol", null)).isInstanceOf(ApprovalException.class);
    }

    @Test
    void grant_refusesUnknownExpiredAndAnonymous() {
        Approval a = service.request(request(10), List.of(), NEED, "d1");

        assertThatThrownBy(() -> service.grant("apr_nope", "bob", null))
                .isInstanceOfSatisfying(
                        ApprovalException.class, e -> assertThat(e.kind()).isEqualTo(ApprovalException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> service.grant(a.id(), " ", null))
                .isInstanceOfSatisfying(
                        ApprovalException.class, e -> assertThat(e.kind()).isEqualTo(ApprovalException.Kind.INVALID));
        assertThatThrownBy(() -> service.grant(a.id(), "bob", "nul\0"))
                .hasMessage("note contains the character U+0000");

        clock.advance(Duration.ofMinutes(15));
        assertThat(service.get(a.id()).orElseThrow().state()).isEqualTo(ApprovalState.EXPIRED);
        assertThatThrownBy(() -> service.grant(a.id(), "bob", null)).hasMessageEndingWith("is expired, not pending");
    }

    @Test
    void check_usesAGrantOnceThenAsksAgain() {
        Approval a = service.request(request(10), List.of(), NEED, "d1");
        service.grant(a.id(), "bob", null);

        ApprovalCheck first = service.check(request(10), List.of(), NEED, "d2");
        ApprovalCheck second = service.check(request(10), List.of(), NEED, "d3");

        assertThat(first).isInstanceOfSatisfying(ApprovalCheck.Used.class, u -> {
            assertThat(u.approval().id()).isEqualTo(a.id());
            assertThat(u.approval().usedBy()).isEqualTo("d2");
        });
        assertThat(service.get(a.id()).orElseThrow().state()).isEqualTo(ApprovalState.USED);
        assertThat(second).isInstanceOfSatisfying(ApprovalCheck.Required.class, r -> {
            assertThat(r.pending().id()).isNotEqualTo(a.id());
            assertThat(r.pending().decisionId()).isEqualTo("d3");
            assertThat(r.rejected()).isNull();
        });
    }

    @Test
    void check_ofANamedApprovalRejectsAnyThatDoesNotApply() {
        Approval a = service.request(request(10), List.of(), NEED, "d1");
        Request named = request(Map.of(
                "amount", new LongValue(10), "approval", new RecordValue(Map.of("id", new StringValue(a.id())))));
        Request other = request(Map.of("amount", new LongValue(99), "approval", new StringValue(a.id())));

        assertThat(rejected(service.check(named, List.of(), NEED, "d2"))).isEqualTo("not granted yet");
        service.grant(a.id(), "bob", null);
        assertThat(rejected(service.check(other, List.of(), NEED, "d3"))).isEqualTo("bound to a different request");
        assertThat(service.check(named, List.of(), NEED, "d4")).isInstanceOf(ApprovalCheck.Used.class);
        assertThat(rejected(service.check(named, List.of(), NEED, "d5"))).isEqualTo("already used");
        Request unknown = request(Map.of("amount", new LongValue(10), "approval", new StringValue("apr_x")));
        assertThat(rejected(service.check(unknown, List.of(), NEED, "d6"))).isEqualTo("unknown approval");
        Request malformed = request(Map.of("approval", new LongValue(1)));
        assertThatThrownBy(() -> service.check(malformed, List.of(), NEED, "d7"))
                .hasMessageStartingWith("`context.approval` must be a record with a string `id`");
    }

    @Test
    void check_refusesWhileADenialStandsThenAsksAgain() {
        Approval a = service.request(request(10), List.of(), NEED, "d1");
        service.deny(a.id(), "bob", "no");

        assertThat(service.check(request(10), List.of(), NEED, "d2"))
                .isEqualTo(new ApprovalCheck.Refused(service.get(a.id()).orElseThrow()));
        clock.advance(Duration.ofMinutes(15));
        assertThat(service.check(request(10), List.of(), NEED, "d3")).isInstanceOf(ApprovalCheck.Required.class);
        assertThat(service.get(a.id()).orElseThrow().state()).isEqualTo(ApprovalState.DENIED);
    }

    @Test
    void check_doesNotUseAGrantThatExpired() {
        Approval a = service.request(request(10), List.of(), NEED, "d1");
        service.grant(a.id(), "bob", null);
        clock.advance(Duration.ofMinutes(5));

        assertThat(service.check(request(10), List.of(), NEED, "d2")).isInstanceOf(ApprovalCheck.Required.class);
        assertThat(service.get(a.id()).orElseThrow().state()).isEqualTo(ApprovalState.EXPIRED);
    }

    @Test
    void purge_dropsApprovalsPastTheRetention() {
        Approval a = service.request(request(10), List.of(), NEED, "d1");
        clock.advance(Duration.ofMinutes(15).plus(Duration.ofHours(24)).plusMillis(1));

        assertThat(service.purge()).isEqualTo(1);
        assertThat(service.get(a.id())).isEmpty();
    }

    @Test
    void options_nameTheBadKey() {
        assertThatThrownBy(() -> ApprovalService.Options.defaults().withGrantTtl(Duration.ZERO))
                .hasMessage("approval option `grantTtl` cannot be `PT0S`");
        assertThatThrownBy(() -> ApprovalService.Options.defaults().withExcludedContext(List.of("session..x")))
                .hasMessage("approval option `excludedContext` cannot be `session..x`");
        assertThatThrownBy(() -> service.list(null, 0)).hasMessage("limit must be at least 1, not 0");
    }

    private static String rejected(ApprovalCheck c) {
        assertThat(c).isInstanceOf(ApprovalCheck.Required.class);
        return ((ApprovalCheck.Required) c).rejected();
    }
}
