package dev.portcullis.cedar.difftest;

import static org.assertj.core.api.Assertions.assertThat;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.entity.Entities;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.value.EntityUID;
import java.lang.reflect.Method;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OracleSmokeTest {
    @Test
    void nativeLibraryLoadsAndDecides() throws Exception {
        PolicySet ps = PolicySet.parsePolicies(
                "permit(principal == User::\"alice\", action, resource);\nforbid(principal, action, resource) when { 1 + \"a\" };");
        assertThat(ps.getStaticPolicies()).containsOnlyKeys("policy0", "policy1");
        Entities es = Entities.parse("[{\"uid\":{\"type\":\"User\",\"id\":\"alice\"},\"attrs\":{},\"parents\":[]}]");
        var req = new AuthorizationRequest(
                EntityUID.parse("User::\"alice\"").orElseThrow(),
                EntityUID.parse("Action::\"view\"").orElseThrow(),
                EntityUID.parse("Doc::\"d\"").orElseThrow(),
                Map.of());
        AuthorizationResponse r = new BasicAuthorizationEngine().isAuthorized(req, ps, es);
        assertThat(r.success.orElseThrow().isAllowed()).isTrue();
        Method m = BasicAuthorizationEngine.class.getDeclaredMethod("callCedarJNI", String.class, String.class);
        m.setAccessible(true);
        String json =
                "{\"principal\":{\"type\":\"User\",\"id\":\"alice\"},\"action\":{\"type\":\"Action\",\"id\":\"view\"},"
                        + "\"resource\":{\"type\":\"Doc\",\"id\":\"d\"},\"context\":{\"x\":{\"__extn\":{\"fn\":\"decimal\",\"arg\":\"1.5\"}}},"
                        + "\"policies\":{\"staticPolicies\":{\"policy0\":\"permit(principal,action,resource) when { context.x.lessThan(decimal(\\\"2.0\\\")) };\",\"policy1\":\"forbid(principal,action,resource) when {principal.foo};\"}},"
                        + "\"entities\":[]}";
        // the JSON entry point the differential tests use: policy0 allows, policy1 errors (no such entity)
        String out = (String) m.invoke(null, "AuthorizationOperation", json);
        assertThat(out)
                .contains("\"decision\":\"allow\"")
                .contains("\"reason\":[\"policy0\"]")
                .contains("\"policyId\":\"policy1\"");
    }
}
