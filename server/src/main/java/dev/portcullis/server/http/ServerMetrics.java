package dev.portcullis.server.http;

import dev.portcullis.pdp.DecisionResult;
import dev.portcullis.pdp.log.DecisionLog;
import dev.portcullis.pdp.policy.PolicySnapshot;
import dev.portcullis.pdp.policy.PolicyStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The server's Prometheus metrics: {@code portcullis_decisions_total{outcome=allow|deny|error}},
 * {@code portcullis_decision_latency_seconds} (histogram), {@code portcullis_policy_info{version}}
 * (1 for the live version), {@code portcullis_policy_reload_failures_total}, {@code
 * portcullis_entity_reload_failures_total}, {@code portcullis_decision_log_queue_depth}; plus
 * Armeria's HTTP metrics and the JVM's uptime-free basics.
 */
public final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter allow;
    private final Counter deny;
    private final Counter error;
    private final Timer latency;
    private final AtomicReference<Gauge> versionGauge = new AtomicReference<>();

    public ServerMetrics(PolicyStore store, DecisionLog log, LongSupplier entityRefusals) {
        allow = Counter.builder("portcullis.decisions")
                .description("decisions made, by outcome (error: failed closed)")
                .tag("outcome", "allow")
                .register(registry);
        deny = Counter.builder("portcullis.decisions").tag("outcome", "deny").register(registry);
        error = Counter.builder("portcullis.decisions").tag("outcome", "error").register(registry);
        latency = Timer.builder("portcullis.decision.latency")
                .description("time to decide, up to the decision log append")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(1000))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
        FunctionCounter.builder("portcullis.policy.reload.failures", store, PolicyStore::refusals)
                .description("policy bundles refused (the last good version kept serving)")
                .register(registry);
        FunctionCounter.builder("portcullis.entity.reload.failures", entityRefusals, LongSupplier::getAsLong)
                .description("entity data reloads refused")
                .register(registry);
        Gauge.builder("portcullis.decision.log.queue.depth", log, DecisionLog::queueDepth)
                .description("decisions waiting to be written to the log")
                .register(registry);
        policyActivated(store.current());
        store.addListener(new PolicyStore.Listener() {
            @Override
            public void activated(PolicySnapshot previous, PolicySnapshot current) {
                policyActivated(current);
            }
        });
    }

    private synchronized void policyActivated(PolicySnapshot s) {
        if (s == null) {
            return;
        }
        Gauge old = versionGauge.get();
        if (old != null) {
            registry.remove(old);
        }
        versionGauge.set(Gauge.builder("portcullis.policy.info", () -> 1)
                .description("the live policy version (content hash)")
                .tag("version", s.version())
                .register(registry));
    }

    public void record(DecisionResult r) {
        (r.failedClosed() ? error : r.allowed() ? allow : deny).increment();
        latency.record(r.latencyMicros(), TimeUnit.MICROSECONDS);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }
}
