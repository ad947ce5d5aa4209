package dev.portcullis.cedar.validation.difftest;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.ValidationRequest;
import com.cedarpolicy.model.ValidationResponse;
import com.cedarpolicy.model.exception.AuthException;
import com.cedarpolicy.model.exception.InternalException;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.model.schema.Schema;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cedar's own validator (cedar-java 4.10.0, Rust through JNI) as the oracle: the strict-mode
 * errors of each policy of a set, by policy id ({@code policy0}, ... by position, as ours).
 */
final class CedarValidatorOracle {
    private static final BasicAuthorizationEngine ENGINE = new BasicAuthorizationEngine();

    /** The verdict on a policy set: errors by policy id, or why the oracle could not validate. */
    record Verdict(Map<String, String> errors, String failure) {}

    private CedarValidatorOracle() {}

    static Verdict validate(String schemaText, String policiesText) {
        return validate(schemaText, Schema.JsonOrCedar.Cedar, policiesText);
    }

    /** As {@link #validate(String, String)}, the schema in either format. */
    static Verdict validate(String schemaText, Schema.JsonOrCedar format, String policiesText) {
        PolicySet set;
        try {
            set = PolicySet.parsePolicies(policiesText);
        } catch (InternalException e) {
            return new Verdict(Map.of(), "policies: " + oneLine(e.getMessage()));
        }
        Schema schema;
        try {
            schema = Schema.parse(format, schemaText);
        } catch (InternalException e) {
            return new Verdict(Map.of(), "schema: " + oneLine(e.getMessage()));
        }
        ValidationResponse r;
        try {
            r = ENGINE.validate(new ValidationRequest(schema, set));
        } catch (AuthException e) {
            return new Verdict(Map.of(), "validate: " + oneLine(e.getMessage()));
        }
        if (r.success.isEmpty()) {
            return new Verdict(
                    Map.of(), "validate: " + r.errors.map(Object::toString).orElse("failed"));
        }
        Map<String, String> errors = new TreeMap<>();
        for (ValidationResponse.ValidationError e : r.success.get().validationErrors) {
            errors.merge(e.getPolicyId(), oneLine(e.getError().message), (a, b) -> a + "; " + b);
        }
        return new Verdict(errors, null);
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }
}
