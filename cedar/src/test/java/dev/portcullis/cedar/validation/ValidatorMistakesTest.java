package dev.portcullis.cedar.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.ValidationRequest;
import com.cedarpolicy.model.schema.Schema.JsonOrCedar;
import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.validation.ValidationError.Kind;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Typical mistakes: each policy is rejected (as cedar-java's validator also rejects it) with a
 * message that names the policy and the location of the mistake and says how to fix it, and the
 * policy with that fix applied is accepted by both validators.
 */
class ValidatorMistakesTest {
    static final String SCHEMA = """
            entity Group;
            entity User in [Group] { name: String, age: Long, email?: String, manager?: User, roles: Set<String> };
            entity Photo { owner: User, public: Bool, size: Long, meta?: { camera: String } } tags String;
            entity Color enum ["red", "green"];
            action view, edit appliesTo {
              principal: [User], resource: [Photo],
              context: { ip: ipaddr, mfa: Bool, reason?: String, level: decimal }
            };
            action admin appliesTo { principal: [Group], resource: [Photo] };
            """;

    private static final String HEAD = "permit(principal, action == Action::\"view\", resource) when { ";

    /**
     * A mistake in a condition: the condition, the error kind, the part of the condition the error
     * points at, words the message must contain, and the condition with the fix applied.
     */
    static Stream<Arguments> mistakes() {
        return Stream.of(
                row(
                        "principal.naem == \"a\"",
                        Kind.ATTRIBUTE_NOT_FOUND,
                        "principal.naem",
                        "did you mean `name`?",
                        "principal.name == \"a\""),
                row(
                        "principal.email like \"*@example.com\"",
                        Kind.UNSAFE_OPTIONAL_ATTRIBUTE_ACCESS,
                        "principal.email",
                        "guard it with `principal has email`",
                        "principal has email && principal.email like \"*@example.com\""),
                row(
                        "principal.age == \"30\"",
                        Kind.INCOMPATIBLE_TYPES,
                        "principal.age",
                        "same type",
                        "principal.age == 30"),
                row("context.mfaa", Kind.ATTRIBUTE_NOT_FOUND, "context.mfaa", "did you mean `mfa`?", "context.mfa"),
                row(
                        "[1, \"a\"].contains(principal.age)",
                        Kind.INCOMPATIBLE_SET_TYPES,
                        "[1",
                        "same type",
                        "[1, 2].contains(principal.age)"),
                row("principal.roles.containsAny([])", Kind.EMPTY_SET, "[]", "isEmpty", "!principal.roles.isEmpty()"),
                row(
                        "principal.name + 1 > 2",
                        Kind.UNEXPECTED_TYPE,
                        "principal.name",
                        "`+` needs numbers",
                        "principal.age + 1 > 2"),
                row(
                        "principal.name < \"m\"",
                        Kind.UNEXPECTED_TYPE,
                        "principal.name",
                        "compares two Longs",
                        "principal.age < 3"),
                row(
                        "(if context.mfa then 1 else \"x\") == 1",
                        Kind.INCOMPATIBLE_TYPES,
                        "if",
                        "make both branches the same type",
                        "(if context.mfa then 1 else 2) == 1"),
                row(
                        "context.ip.isInRange(ip(\"10.0.0.0/33\"))",
                        Kind.EXTENSION_ERROR,
                        "ip(\"10",
                        "not a valid ipaddr",
                        "context.ip.isInRange(ip(\"10.0.0.0/8\"))"),
                row(
                        "ip(principal.name).isIpv4()",
                        Kind.NON_LITERAL_EXTENSION_CONSTRUCTOR,
                        "ip(",
                        "string literal",
                        "context.ip.isIpv4()"),
                row(
                        "resource.getTag(\"k\") == \"v\"",
                        Kind.UNSAFE_TAG_ACCESS,
                        "resource.getTag",
                        "guard it with `resource.hasTag(\"k\")`",
                        "resource.hasTag(\"k\") && resource.getTag(\"k\") == \"v\""),
                row(
                        "principal.getTag(\"k\") == \"v\"",
                        Kind.UNSAFE_TAG_ACCESS,
                        "principal.getTag",
                        "declare `tags` for `User`",
                        "resource.hasTag(\"k\") && resource.getTag(\"k\") == \"v\""),
                row("principal.age", Kind.UNEXPECTED_TYPE, "principal.age", "must be booleans", "principal.age > 0"),
                row(
                        "resource.meta.camera == \"x\"",
                        Kind.UNSAFE_OPTIONAL_ATTRIBUTE_ACCESS,
                        "resource.meta",
                        "guard it with `resource has meta`",
                        "resource has meta && resource.meta.camera == \"x\""),
                row(
                        "resource is Foto",
                        Kind.UNRECOGNIZED_ENTITY_TYPE,
                        "resource is",
                        "did you mean `Photo`?",
                        "resource is Photo"),
                row(
                        "action.name == \"x\"",
                        Kind.UNKNOWN_ENTITY_ATTRIBUTES,
                        "action.name",
                        "no attributes",
                        "action == Action::\"view\""),
                row(
                        "principal in \"admins\"",
                        Kind.UNEXPECTED_TYPE,
                        "\"admins\"",
                        "must be entities",
                        "principal in Group::\"admins\""),
                row(
                        "principal.roles.contains(1)",
                        Kind.INCOMPATIBLE_TYPES,
                        "principal.roles",
                        "elements are Set<String>".replace("Set<String>", "String"),
                        "principal.roles.contains(\"1\")"),
                row(
                        "context.level.lessThan(3)",
                        Kind.EXTENSION_ERROR,
                        "context.level",
                        "takes (decimal, decimal)",
                        "context.level.lessThan(decimal(\"3.0\"))"),
                row(
                        "context.reason == \"audit\"",
                        Kind.UNSAFE_OPTIONAL_ATTRIBUTE_ACCESS,
                        "context.reason",
                        "guard it with `context has reason`",
                        "context has reason && context.reason == \"audit\""),
                row(
                        "principal == Usr::\"alice\"",
                        Kind.UNRECOGNIZED_ENTITY_TYPE,
                        "Usr::",
                        "did you mean `User`?",
                        "principal == User::\"alice\""),
                row(
                        "principal in Color::\"blue\"",
                        Kind.INVALID_ENUM_ENTITY,
                        "Color::",
                        "\"red\", \"green\"",
                        "principal in Group::\"blue\""));
    }

    private static Arguments row(String cond, Kind kind, String anchor, String fix, String fixed) {
        return Arguments.of(cond, kind, anchor, fix, fixed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void mistakeIsReportedWithPolicyLocationAndFix(String cond, Kind kind, String anchor, String fix, String fixed)
            throws Exception {
        String text = "@id(\"photos\")\n" + HEAD + cond + " };";
        ValidationResult r = validate(text);
        assertThat(cedarAccepts(text)).as("cedar-java accepts %s", text).isFalse();
        assertThat(r.isValid()).as("%s", text).isFalse();
        ValidationError e = r.errors().get(0);
        int column = HEAD.length() + cond.indexOf(anchor) + 1;
        assertThat(e.kind()).as(e.message()).isEqualTo(kind);
        assertThat(e.policyId()).isEqualTo("photos");
        assertThat(e.message())
                .startsWith("policy `photos` at 2:" + column + ": ")
                .contains(fix)
                .doesNotContain("\n");
        assertThat(e.loc().line()).isEqualTo(2);
        assertThat(e.loc().column()).isEqualTo(column);

        String fixedText = "@id(\"photos\")\n" + HEAD + fixed + " };";
        assertThat(cedarAccepts(fixedText))
                .as("cedar-java accepts %s", fixedText)
                .isTrue();
        assertThat(validate(fixedText).errors()).as(fixedText).isEmpty();
    }

    static Stream<Arguments> scopeMistakes() {
        return Stream.of(
                Arguments.of(
                        "permit(principal, action == Action::\"veiw\", resource);",
                        Kind.UNRECOGNIZED_ACTION,
                        "did you mean `Action::\"view\"`?",
                        "permit(principal, action == Action::\"view\", resource);"),
                Arguments.of(
                        "permit(principal is Group, action == Action::\"view\", resource);",
                        Kind.INVALID_ACTION_APPLICATION,
                        "principals of type `User`",
                        "permit(principal is User, action == Action::\"view\", resource);"),
                Arguments.of(
                        "permit(principal, action in [Action::\"view\", Action::\"edit\"], resource is Usr);",
                        Kind.UNRECOGNIZED_ENTITY_TYPE,
                        "did you mean `User`?",
                        "permit(principal, action in [Action::\"view\", Action::\"edit\"], resource is Photo);"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scopeMistakes")
    void scopeMistakeIsReported(String text, Kind kind, String fix, String fixed) throws Exception {
        ValidationResult r = validate(text);
        assertThat(cedarAccepts(text)).isFalse();
        assertThat(r.errors()).hasSize(1);
        ValidationError e = r.errors().get(0);
        assertThat(e.kind()).as(e.message()).isEqualTo(kind);
        assertThat(e.message()).startsWith("policy `policy0` at 1:1: ").contains(fix);
        assertThat(cedarAccepts(fixed)).isTrue();
        assertThat(validate(fixed).errors()).isEmpty();
    }

    static ValidationResult validate(String text) {
        return new Validator(Schema.parseCedar(SCHEMA))
                .validate(PolicySet.parse(text).withIdsFromAnnotations());
    }

    static boolean cedarAccepts(String text) throws Exception {
        var schema = com.cedarpolicy.model.schema.Schema.parse(JsonOrCedar.Cedar, SCHEMA);
        var policies = com.cedarpolicy.model.policy.PolicySet.parsePolicies(text);
        return new BasicAuthorizationEngine()
                .validate(new ValidationRequest(schema, policies))
                .validationPassed();
    }

    static List<String> messages(ValidationResult r) {
        return r.errors().stream().map(ValidationError::message).toList();
    }
}
