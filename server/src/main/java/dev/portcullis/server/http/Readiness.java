package dev.portcullis.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.pdp.entity.EntityProvider;
import dev.portcullis.pdp.log.DecisionLog;
import dev.portcullis.pdp.policy.PolicySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What {@code GET /health/ready} checks: the server can make and record decisions now. A policy set
 * is active, the entity store answers, the decision log takes writes ({@link DecisionLog#health()}),
 * and the server is not shutting down. Every check runs on every probe; the answer names each
 * check with its status, and the reason of each that failed.
 */
final class Readiness {
    /** The HTTP status and body of one probe. */
    record Report(boolean ready, ObjectNode body) {}

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Supplier<PolicySnapshot> policies;
    private final EntityProvider entities;
    private final DecisionLog log;
    private final BooleanSupplier stopping;

    Readiness(Supplier<PolicySnapshot> policies, EntityProvider entities, DecisionLog log, BooleanSupplier stopping) {
        this.policies = policies;
        this.entities = entities;
        this.log = log;
        this.stopping = stopping;
    }

    /** Runs every check; may block up to the decision log's probe timeout (run off the event loop). */
    Report check() {
        ObjectNode checks = F.objectNode();
        List<String> failing = new ArrayList<>();

        PolicySnapshot snapshot = policies.get();
        if (snapshot == null) {
            down(checks, failing, "policies", "no policy set is active");
        } else {
            checks.putObject("policies").put("status", "up").put("version", snapshot.version());
        }

        String entityProblem;
        try {
            entityProblem = entities.current() == null ? "the entity store has no data" : null;
        } catch (RuntimeException e) {
            entityProblem = "the entity store does not answer: " + e.getMessage();
        }
        if (entityProblem == null) {
            checks.putObject("entities").put("status", "up");
        } else {
            down(checks, failing, "entities", entityProblem);
        }

        DecisionLog.Health health;
        try {
            health = log.health();
        } catch (RuntimeException e) {
            health = DecisionLog.Health.down("health check failed: " + e);
        }
        if (health.up()) {
            checks.putObject("decision_log").put("status", "up");
        } else {
            down(checks, failing, "decision_log", health.reason());
        }

        if (stopping.getAsBoolean()) {
            down(checks, failing, "server", "shutting down");
        }

        ObjectNode body = F.objectNode();
        body.put("status", failing.isEmpty() ? "ready" : "not ready");
        if (snapshot != null) {
            body.put("policy_version", snapshot.version());
        }
        if (!failing.isEmpty()) {
            failing.forEach(body.putArray("failing")::add);
        }
        body.set("checks", checks);
        return new Report(failing.isEmpty(), body);
    }

    private static void down(ObjectNode checks, List<String> failing, String name, String reason) {
        checks.putObject(name).put("status", "down").put("reason", reason);
        failing.add(name);
    }
}
