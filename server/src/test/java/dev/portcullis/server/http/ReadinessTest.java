package dev.portcullis.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.pdp.log.DecisionLog;
import dev.portcullis.pdp.log.DecisionRecord;
import dev.portcullis.pdp.log.LogEntry;
import dev.portcullis.pdp.log.LogQuery;
import dev.portcullis.pdp.log.VerifyResult;
import dev.portcullis.pdp.policy.PolicyBundle;
import dev.portcullis.pdp.policy.PolicyStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadinessTest {
    /** A log whose health is whatever the test says. */
    static DecisionLog log(DecisionLog.Health health) {
        return new DecisionLog() {
            @Override
            public void append(DecisionRecord record) {}

            @Override
            public List<LogEntry> query(LogQuery query) {
                return List.of();
            }

            @Override
            public VerifyResult verify() {
                return VerifyResult.ok(0);
            }

            @Override
            public Health health() {
                return health;
            }

            @Override
            public void close() {}
        };
    }

    static PolicyStore loaded() {
        PolicyStore store = new PolicyStore();
        store.update(PolicyBundle.of(Map.of("p.cedar", "permit (principal, action, resource);")));
        return store;
    }

    @Test
    void ready_whenEveryCheckIsUp() {
        PolicyStore store = loaded();
        Readiness.Report r =
                new Readiness(store::current, () -> Entities.EMPTY, log(DecisionLog.Health.UP), () -> false).check();
        assertThat(r.ready()).isTrue();
        assertThat(r.body().get("policy_version").asText())
                .isEqualTo(store.current().version());
    }

    @Test
    void notReady_namesEachFailingCheckWithItsReason() {
        Readiness.Report r = new Readiness(
                        () -> null,
                        () -> {
                            throw new IllegalStateException("connection refused");
                        },
                        log(DecisionLog.Health.down("the last decision log write failed: disk full")),
                        () -> true)
                .check();
        assertThat(r.ready()).isFalse();
        assertThat(r.body().get("status").asText()).isEqualTo("not ready");
        assertThat(r.body().get("failing").toString())
                .isEqualTo("[\"policies\",\"entities\",\"decision_log\",\"server\"]");
        assertThat(r.body().at("/checks/policies/reason").asText()).isEqualTo("no policy set is active");
        assertThat(r.body().at("/checks/entities/reason").asText())
                .isEqualTo("the entity store does not answer: connection refused");
        assertThat(r.body().at("/checks/decision_log/reason").asText()).contains("disk full");
        assertThat(r.body().at("/checks/server/reason").asText()).isEqualTo("shutting down");
    }

    @Test
    void notReady_whenOnlyTheEntityStoreHasNoData() {
        Readiness.Report r =
                new Readiness(loaded()::current, () -> null, log(DecisionLog.Health.UP), () -> false).check();
        assertThat(r.ready()).isFalse();
        assertThat(r.body().get("failing").toString()).isEqualTo("[\"entities\"]");
    }
}
