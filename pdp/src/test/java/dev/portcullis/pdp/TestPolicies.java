package dev.portcullis.pdp;

import dev.portcullis.pdp.policy.PolicyBundle;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small policy bundles shared by the tests. */
final class TestPolicies {
    private TestPolicies() {}

    static final String SCHEMA = """
            entity Group;
            entity User in [Group] { age: Long, dept?: String };
            entity Doc { owner: User, public: Bool };
            action view, edit appliesTo { principal: User, resource: Doc, context: { mfa?: Bool } };
            """;

    static PolicyBundle bundle(String... nameThenText) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < nameThenText.length; i += 2) {
            files.put(nameThenText[i], nameThenText[i + 1]);
        }
        return PolicyBundle.of(files);
    }
}
