package dev.portcullis.cedar.difftest;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.exception.InternalException;
import com.cedarpolicy.model.policy.PolicySet;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The official engine, cedar-java 4.10.0 (Rust through JNI), used as the oracle.
 *
 * <p>Requests go through the engine's own JSON entry point ({@code callCedarJNI}, private, reached
 * by reflection) rather than its Java value model, so the entities and context JSON reach the Rust
 * parser byte for byte as our engine sees them (no lossy round trip through cedar-java's {@code
 * Value} classes). The policy set is parsed once per case and cached on the Rust side ({@link
 * PolicySet#cache()}); every request of the case then refers to it by id. That matters: the Rust
 * parser needs milliseconds for a generated policy set, the cached decision well under one.
 */
final class CedarJavaOracle {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Method CALL;

    static {
        try {
            // loads the native library through the class initializer of the engine
            new BasicAuthorizationEngine();
            // every case caches its policy set and cedar-java 4.10 offers no public eviction; the
            // default cap is reached by one build's cases (differential + JSON + regressions)
            PolicySet.setCacheMaxPolicySets(1_000_000);
            CALL = BasicAuthorizationEngine.class.getDeclaredMethod("callCedarJNI", String.class, String.class);
            CALL.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cedar-java 4.10.0 changed: no callCedarJNI(String, String)", e);
        }
    }

    /** A policy set the oracle accepted (and cached), or the reason it rejected the text. */
    record Prepared(PolicySet set, String cacheId, String failure) {}

    private CedarJavaOracle() {}

    static Prepared prepare(String policiesText) {
        PolicySet set;
        try {
            set = PolicySet.parsePolicies(policiesText);
        } catch (InternalException e) {
            return new Prepared(null, null, oneLine(e.getMessage()));
        }
        try {
            set.cache();
        } catch (Exception e) {
            throw new IllegalStateException("cedar-java could not cache a policy set it parsed", e);
        }
        return new Prepared(set, set.cacheKey().orElseThrow(), null);
    }

    /** Whether the oracle's parser accepts the policy text (templates included). */
    static boolean parses(String policiesText) {
        try {
            PolicySet.parsePolicies(policiesText);
            return true;
        } catch (InternalException e) {
            return false;
        }
    }

    static Answer authorize(Prepared p, String entitiesJson, CaseGen.Req req) {
        if (p.failure() != null) {
            return Answer.failed("policies: " + p.failure());
        }
        ObjectNode call = JSON.createObjectNode();
        call.set("principal", req.principal().json());
        call.set("action", req.action().json());
        call.set("resource", req.resource().json());
        call.set("context", req.context());
        // parsePolicies numbered the policies policy0, policy1, ... by position, as our parser does
        call.put("preparsedPolicySetId", p.cacheId());
        call.putNull("preparsedSchemaName");
        call.put("validateRequest", false);
        // the entities text is spliced in verbatim, so oddities such as duplicate keys reach Rust
        String text = call.toString();
        text = text.substring(0, text.length() - 1) + ",\"entities\":" + entitiesJson + "}";
        return decode(invoke("StatefulAuthorizationOperation", text));
    }

    private static String invoke(String op, String json) {
        try {
            return (String) CALL.invoke(null, op, json);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cedar-java call failed", e);
        }
    }

    private static Answer decode(String out) {
        JsonNode n;
        try {
            n = JSON.readTree(out);
        } catch (Exception e) {
            throw new IllegalStateException("cedar-java answered non-JSON: " + out, e);
        }
        if (!"success".equals(n.path("type").asText())) {
            return Answer.failed(oneLine(n.path("errors").toString()));
        }
        JsonNode resp = n.path("response");
        boolean allow = "allow".equalsIgnoreCase(resp.path("decision").asText());
        Set<String> reasons = new HashSet<>();
        resp.path("diagnostics").path("reason").forEach(x -> reasons.add(x.asText()));
        Set<String> errors = new HashSet<>();
        List<String> messages = new ArrayList<>();
        for (JsonNode e : resp.path("diagnostics").path("errors")) {
            errors.add(e.path("policyId").asText());
            messages.add(e.path("policyId").asText() + ": "
                    + e.path("error").path("message").asText());
        }
        return Answer.decided(allow, reasons, errors, messages);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ');
    }
}
