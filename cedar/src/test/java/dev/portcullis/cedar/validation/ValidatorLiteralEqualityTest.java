package dev.portcullis.cedar.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.ValidationRequest;
import com.cedarpolicy.model.schema.Schema.JsonOrCedar;
import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.schema.Schema;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ==} between literals of different types is {@code False}, not a type error; Cedar's AST
 * builder turns {@code &&}/{@code ||} of two boolean literals into a literal, so {@code (false &&
 * true) == E::"a"} is such a comparison, while {@code (false && principal.b) == E::"a"} is not,
 * even though both short-circuit. Each variant, in {@code when} and in {@code unless}, must get
 * cedar-java's verdict.
 */
class ValidatorLiteralEqualityTest {
    static final String SCHEMA = """
            entity E0;
            entity E1 { n: Long, b: Bool };
            action a0 appliesTo { principal: [E1], resource: [E1] };
            """;

    static final List<String> CONDITIONS = List.of(
            "(false && true) == E1::\"u0\"",
            "(true || true) == E1::\"u0\"",
            "(true && true) == E1::\"u0\"",
            "(false || false) == E1::\"u0\"",
            "(false || true) == E1::\"u0\"",
            "(true && false) == E1::\"u0\"",
            "(false && true) == 1",
            "(true || false) == 1",
            "(false && true) == \"s\"",
            "1 == (false && true)",
            "E1::\"u0\" == (true || true)",
            "(false && true) == (true || true)",
            "(false && true) == false",
            "(false && true) != E1::\"u0\"",
            "(true || true) != 1",
            "((false && true) && true) == E1::\"u0\"",
            "(true && (false || true)) == E1::\"u0\"",
            "((false && true) || false) == E1::\"u0\"",
            "(false || (false && true)) == E1::\"u0\"",
            "(true && true && true && false) == E1::\"u0\"",
            "(false || false || false || true) == 1",
            "(false && true) == E1::\"u0\" || principal.b",
            "principal.b && (true || false) == E1::\"u0\"",
            "if (false && true) == E1::\"u0\" then principal.b else true",
            "(if (false && true) then 1 else 2) == 1",
            "[(false && true) == E1::\"u0\"].contains(false)",
            "true == E1::\"u0\"",
            "true == 1",
            "(true || principal == resource) == E1::\"u0\"",
            "(false && principal == resource) == E1::\"u0\"",
            "(false && principal.b) == E1::\"u0\"",
            "(true || principal.b) == E1::\"u0\"",
            "(principal.b && false) == E1::\"u0\"",
            "(principal.b || true) == E1::\"u0\"",
            "((true || true) || principal.b) == E1::\"u0\"",
            "(false && true && principal.b) == 1",
            "!(false && true) == E1::\"u0\"",
            "(!(true || true)) == 1",
            "!false == E1::\"u0\"",
            "(if true then true else false) == E1::\"u0\"",
            "(if true then (false && true) else false) == E1::\"u0\"",
            "(principal is E0) == E1::\"u0\"",
            "(principal is E0 && true) == E1::\"u0\"",
            "(1 == 2) == E1::\"u0\"",
            "(false && true) == principal",
            "(false && true) == principal.n",
            "(true || false) == principal.b",
            "[(false && true)].contains(E1::\"u0\")",
            "[false && true, 1].isEmpty()");

    @Test
    void verdictsAgreeWithCedarJava() throws Exception {
        Validator validator = new Validator(Schema.parseCedar(SCHEMA));
        var schema = com.cedarpolicy.model.schema.Schema.parse(JsonOrCedar.Cedar, SCHEMA);
        BasicAuthorizationEngine engine = new BasicAuthorizationEngine();
        List<String> disagreements = new ArrayList<>();
        int accepted = 0;
        int total = 0;
        for (String condition : CONDITIONS) {
            for (String keyword : List.of("when", "unless")) {
                String text =
                        "permit(principal, action == Action::\"a0\", resource) " + keyword + " { " + condition + " };";
                boolean ours = validator.validate(PolicySet.parse(text)).isValid();
                boolean theirs = engine.validate(new ValidationRequest(
                                schema, com.cedarpolicy.model.policy.PolicySet.parsePolicies(text)))
                        .validationPassed();
                total++;
                if (theirs) {
                    accepted++;
                }
                if (ours != theirs) {
                    disagreements.add(text + ": cedar-java " + (theirs ? "accepts" : "rejects") + ", we "
                            + (ours ? "accept" : "reject"));
                }
            }
        }
        assertThat(disagreements).isEmpty();
        // Both verdicts occur, so agreement is not trivial.
        assertThat(accepted).isBetween(1, total - 1);
    }
}
