package dev.portcullis.cedar.eval;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.AuthorizationSuccessResponse;
import com.cedarpolicy.model.entity.Entities;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.value.EntityUID;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The official engine (cedar-java) as an oracle for boolean expressions: evaluates {@code
 * permit(principal, action, resource) when { EXPR };} for {@code User::"alice"} doing {@code
 * Action::"view"} on {@code Photo::"p"} with {@link #ENTITIES_JSON}, and reports {@code true},
 * {@code false} or {@code error}.
 */
final class Oracle {
    static final String ENTITIES_JSON = """
            [
              {"uid": {"type": "User", "id": "alice"}, "attrs": {"age": 30, "name": "alice",
                 "rec": {"a": 1}}, "parents": [{"type": "Group", "id": "admins"}],
                 "tags": {"t": "v"}},
              {"uid": {"type": "Group", "id": "admins"}, "attrs": {}, "parents": [{"type": "Group", "id": "all"}]},
              {"uid": {"type": "Action", "id": "view"}, "attrs": {}, "parents": []},
              {"uid": {"type": "Photo", "id": "p"}, "attrs": {}, "parents": []}
            ]
            """;

    private static final BasicAuthorizationEngine ENGINE = new BasicAuthorizationEngine();

    private Oracle() {}

    /** {@code "true"}, {@code "false"} or {@code "error"} for a Cedar boolean expression. */
    static String eval(String expr) {
        return evalAll(List.of(expr)).get(0);
    }

    /** {@link #eval} for many expressions in one call to the engine. */
    static List<String> evalAll(List<String> exprs) {
        StringBuilder text = new StringBuilder();
        for (String e : exprs) {
            text.append("permit(principal, action, resource) when { ").append(e).append(" };\n");
        }
        try {
            PolicySet ps = PolicySet.parsePolicies(text.toString());
            AuthorizationRequest req = new AuthorizationRequest(
                    EntityUID.parse("User::\"alice\"").orElseThrow(),
                    EntityUID.parse("Action::\"view\"").orElseThrow(),
                    EntityUID.parse("Photo::\"p\"").orElseThrow(),
                    Map.of());
            AuthorizationResponse r = ENGINE.isAuthorized(req, ps, Entities.parse(ENTITIES_JSON));
            AuthorizationSuccessResponse s =
                    r.success.orElseThrow(() -> new IllegalStateException(String.valueOf(r.errors)));
            Set<String> errors = new HashSet<>();
            for (AuthorizationSuccessResponse.AuthorizationError e : s.getErrors()) {
                errors.add(e.getPolicyId());
            }
            List<String> out = new ArrayList<>(exprs.size());
            for (int i = 0; i < exprs.size(); i++) {
                String id = "policy" + i;
                out.add(errors.contains(id) ? "error" : s.getReason().contains(id) ? "true" : "false");
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("oracle failed: " + e.getMessage(), e);
        }
    }
}
