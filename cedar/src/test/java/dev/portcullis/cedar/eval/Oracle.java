package dev.portcullis.cedar.eval;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.entity.Entities;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.value.EntityUID;
import java.util.Map;

/**
 * The official engine (cedar-java) as an oracle for single boolean expressions: evaluates
 * {@code permit(principal, action, resource) when { EXPR };} and reports {@code true}, {@code
 * false} or {@code error}. Used to settle semantics questions in tests.
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
        try {
            PolicySet ps = PolicySet.parsePolicies("permit(principal, action, resource) when { " + expr + " };");
            AuthorizationRequest req = new AuthorizationRequest(
                    EntityUID.parse("User::\"alice\"").orElseThrow(),
                    EntityUID.parse("Action::\"view\"").orElseThrow(),
                    EntityUID.parse("Photo::\"p\"").orElseThrow(),
                    Map.of());
            AuthorizationResponse r = ENGINE.isAuthorized(req, ps, Entities.parse(ENTITIES_JSON));
            var s = r.success.orElseThrow(() -> new IllegalStateException(String.valueOf(r.errors)));
            if (!s.getErrors().isEmpty()) {
                return "error";
            }
            return s.isAllowed() ? "true" : "false";
        } catch (Exception e) {
            return "exception: " + e.getMessage();
        }
    }
}
