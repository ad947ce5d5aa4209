package dev.portcullis.cedar.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.cedar.parser.PolicyParser;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.Value;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Semantics table in Cedar syntax: expression, then {@code true}, {@code false} or the expected
 * error kind. The request and entities are {@link EvaluatorTest#REQUEST} and {@link
 * EvaluatorTest#ENTITIES}; every row is also checked against the official engine.
 */
class EvaluatorTextTest {
    private static final String[][] CASES = {
        {"9223372036854775807 + 1 == 0", "INTEGER_OVERFLOW"},
        {"-9223372036854775808 == -9223372036854775807 - 1", "true"},
        {"-(-9223372036854775807 - 1) == 0", "INTEGER_OVERFLOW"},
        {"9223372036854775807 * -1 == -9223372036854775807", "true"},
        {"4611686018427387904 * 2 == 0", "INTEGER_OVERFLOW"},
        {"-4611686018427387904 * 2 == -9223372036854775807 - 1", "true"},
        {"1 == 1 && 2", "TYPE_ERROR"},
        {"1 == 2 && 2", "false"},
        {"if 1 == 1 then true else 2", "true"},
        {"if \"a\" then true else false", "TYPE_ERROR"},
        {"!(1 == 1) || principal.nope", "ATTRIBUTE_DOES_NOT_EXIST"},
        {"ip(\"1.2.3.4\") == ip(\"1.2.3.4/32\")", "true"},
        {"decimal(\"1.0\") != decimal(\"1.0000\")", "false"},
        {"User::\"alice\" in User::\"alice\"", "true"},
        {"Action::\"view\" in [Action::\"view\"]", "true"},
        {"action in [Action::\"edit\", Action::\"view\"]", "true"},
        {"[principal].contains(User::\"alice\")", "true"},
        {"[1, [2, 3]].contains([3, 2])", "true"},
        {"[{a: 1}].contains({a: 1})", "true"},
        {"[1, 2].containsAll([1, 1])", "true"},
        {"[1, 2].containsAny([\"1\"])", "false"},
        {"[].isEmpty() && ![1].isEmpty()", "true"},
        {"principal.rec.a == 1", "true"},
        {"principal[\"rec\"][\"a\"] == 1", "true"},
        {"principal has rec.a", "true"},
        {"principal has rec.b", "false"},
        {"principal has nope.a", "false"},
        {"principal is User in Group::\"all\"", "true"},
        {"principal is Group in Group::\"all\"", "false"},
        {"resource is Photo", "true"},
        {"principal.getTag(\"t\") like \"v*\"", "true"},
        {"principal.hasTag(\"t\") && !principal.hasTag(\"u\")", "true"},
        {"resource.getTag(\"t\") == \"v\"", "TAG_DOES_NOT_EXIST"},
        {"{\"a\": 1} has a", "true"},
        {"{\"a\": 1, \"b\": 2} == {\"b\": 2, \"a\": 1}", "true"},
        {"context == {}", "true"},
        {"context.x == 1", "ATTRIBUTE_DOES_NOT_EXIST"},
        {"principal.name like \"al*\"", "true"},
        {"\"a*b\" like \"a\\*b\"", "true"},
        {"\"axb\" like \"a\\*b\"", "false"},
        {"\"\" like \"\"", "true"},
        {"\"\\u{1F600}\" like \"*\\u{1F600}*\"", "true"},
        {"principal.age > 18 && principal.age <= 30", "true"},
        {"principal.age + \"1\" == 31", "TYPE_ERROR"},
        {"Group::\"admins\" in Group::\"all\"", "true"},
        {"Group::\"all\" in Group::\"admins\"", "false"},
        {"User::\"nobody\".age == 1", "ENTITY_DOES_NOT_EXIST"},
        {"User::\"nobody\" in [User::\"nobody\"]", "true"},
        {"principal in [Group::\"admins\", \"x\"]", "TYPE_ERROR"},
        {"principal in {a: Group::\"admins\"}", "TYPE_ERROR"},
        {"duration(\"1h\") > duration(\"59m\")", "true"},
        {"datetime(\"2024-01-01\").offset(duration(\"-1ms\")) < datetime(\"2024-01-01\")", "true"},
        {"datetime(\"2024-01-01\").durationSince(datetime(\"2023-01-01\")).toDays() == 365", "true"},
        {"datetime(\"2024-01-01T12:00:00Z\").toTime().toHours() == 12", "true"},
        {"decimal(\"1.5\").greaterThan(decimal(\"1.4999\"))", "true"},
        {"decimal(\"1.5\") > decimal(\"1.4\")", "TYPE_ERROR"},
        {"ip(\"192.168.1.1\").isInRange(ip(\"192.168.0.0/16\"))", "true"},
        {"ip(\"192.168.1.1\").isInRange(\"192.168.0.0/16\")", "TYPE_ERROR"},
        {"ip(\"ff02::1\").isMulticast() && ip(\"::1\").isLoopback()", "true"},
        {"ip(\"1.2.3\").isIpv4()", "EXTENSION_ERROR"},
        {"datetime(\"2024-02-30\") == datetime(\"2024-03-01\")", "EXTENSION_ERROR"},
        {"duration(\"1h1h\") == duration(\"2h\")", "EXTENSION_ERROR"},
        {
            "datetime(\"1970-01-01\").offset(duration(\"9223372036854775807ms\")).offset(duration(\"1ms\"))"
                    + " == datetime(\"1970-01-01\")",
            "EXTENSION_ERROR"
        },
        {"(if principal.age > 1 then ip(\"::1\") else 1).isLoopback()", "true"},
    };

    @Test
    void casesMatchExpectationsAndTheOfficialEngine() {
        Evaluator ev = new Evaluator(EvaluatorTest.REQUEST, EvaluatorTest.ENTITIES);
        List<String> texts = new ArrayList<>();
        List<String> ours = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String[] c : CASES) {
            String got;
            String outcome;
            try {
                Value v = ev.evaluate(PolicyParser.parseExpr(c[0]));
                got = v instanceof BoolValue b ? Boolean.toString(b.value()) : "non-bool " + v;
                outcome = got;
            } catch (EvaluationException e) {
                got = e.kind().name();
                outcome = "error";
            }
            if (!got.equals(c[1])) {
                problems.add(c[0] + ": expected " + c[1] + ", got " + got);
            }
            texts.add(c[0]);
            ours.add(outcome);
        }
        List<String> cedar = Oracle.evalAll(texts);
        for (int i = 0; i < texts.size(); i++) {
            if (!cedar.get(i).equals(ours.get(i))) {
                problems.add(texts.get(i) + ": ours " + ours.get(i) + ", cedar " + cedar.get(i));
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void errorsNameTheInnermostFailingExpression() {
        Evaluator ev = new Evaluator(EvaluatorTest.REQUEST, EvaluatorTest.ENTITIES);
        var policy = PolicyParser.parse("permit(principal, action, resource)\nwhen { 1 < 2 && principal.nope == 1 };")
                .get(0);
        assertThatThrownBy(() -> ev.isSatisfied(policy))
                .hasMessage("2:17: `User::\"alice\"` does not have the attribute `nope`");
        var nonBool = PolicyParser.parse("permit(principal, action, resource) when { 1 };")
                .get(0);
        assertThatThrownBy(() -> ev.isSatisfied(nonBool))
                .hasMessage("1:44: type error: the `when` condition must be a Bool, got Long `1`");
    }
}
