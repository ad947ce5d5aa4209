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
 * The corner cases of the typing rules (capabilities through {@code &&}, {@code ||} and {@code
 * if}, short-circuiting, literal equality, record and set bounds, tags, action groups, extension
 * types, templates) decided by our validator and by cedar-java's: the verdicts must agree.
 */
class ValidatorOracleTest {
    static final String SCHEMA = """
            entity Group in [Group];
            entity User in [Group] { name: String, age: Long, manager?: User, roles: Set<String> };
            entity Doc { owner: User, readers: Set<User> } tags String;
            entity Color enum ["red", "green"];
            type Ctx = { x?: Long, y?: Long, s: String, rec: { a?: Long, b: Long }, dt: datetime, dur: duration,
                         amount: decimal, addr: ipaddr, recs: Set<{ a: Long }> };
            action grp;
            action read in [grp] appliesTo { principal: [User], resource: [Doc], context: Ctx };
            action write in [grp] appliesTo { principal: [User, Group], resource: [Doc], context: Ctx };
            action lonely;
            """;

    static final List<String> CONDITIONS = List.of(
            "principal has name",
            "principal is User && (if principal has name then 1 else \"a\") == 1",
            "(if context has x then 1 else \"a\") == 1",
            "context has x && context.x > 1",
            "(context has x || false) && context.x > 1",
            "(context has x || context has y) && context.x > 1",
            "(context has x || context has x) && context.x > 1",
            "if context has x then context.x > 1 else false",
            "if context has x then false else context.x > 1",
            "!(context has x) || context.x > 1",
            "context has x && context has y && context.x < context.y",
            "(context has x && context has y) || context.x > 0",
            "datetime(\"2024-01-01\") < datetime(\"2024-02-01\")",
            "decimal(\"1.0\") < decimal(\"2.0\")",
            "duration(\"1h\") <= duration(\"2h\")",
            "context.dt > context.dt.offset(context.dur)",
            "context.dt.durationSince(datetime(\"2024-01-01\")) > duration(\"1d\")",
            "datetime(\"bad\") == context.dt",
            "duration(\"1x\") == context.dur",
            "decimal(\"1.00000\") == context.amount",
            "context.amount.lessThan(decimal(\"2.5\"))",
            "context.addr.isInRange(ip(\"10.0.0.0/8\"))",
            "ip(\"::1\").isLoopback()",
            "principal == resource",
            "principal == \"a\"",
            "1 == \"a\"",
            "1 != \"a\"",
            "[1] == [\"a\"]",
            "{a: 1} == {a: \"x\"}",
            "{a: 1} == {b: 1}",
            "{a: 1} == {a: 1, b: 2}",
            "context.rec == {b: 1}",
            "context.rec == {a: 1, b: 1}",
            "principal in [User::\"a\", Group::\"g\"]",
            "principal in [Group::\"g\", Group::\"h\"]",
            "principal.roles.contains(1)",
            "principal.roles.containsAll([\"a\"])",
            "principal.roles.containsAny([1])",
            "resource.readers.contains(principal)",
            "resource.hasTag(\"x\") && resource.getTag(\"x\") == \"v\"",
            "resource.hasTag(context.s) && resource.getTag(context.s) == \"v\"",
            "resource.hasTag(\"x\") && resource.getTag(\"y\") == \"v\"",
            "resource.getTag(\"x\") == \"v\"",
            "principal.hasTag(\"x\")",
            "principal.getTag(\"x\") == \"v\"",
            "action.hasTag(\"x\")",
            "action in Action::\"grp\"",
            "action in [Action::\"grp\", Action::\"read\"]",
            "action.foo == 1",
            "action has foo",
            "User::\"a\" in Action::\"read\"",
            "context.rec has a && context.rec.a == 1",
            "context.rec.a == 1",
            "context.rec has b",
            "context.rec.b == 1",
            "principal.manager.name == \"x\"",
            "principal has manager && principal.manager has name && principal.manager.name == \"x\"",
            "principal has manager && principal.manager.name == \"x\"",
            "false && principal.naem",
            "true || principal.naem",
            "principal.naem || true",
            "(if true then 1 else \"a\") == 1",
            "(if false then principal.naem else 1) == 1",
            "principal.age * principal.age > -principal.age",
            "\"a\" like \"a*\"",
            "[].isEmpty()",
            "principal.roles.isEmpty()",
            "ip(\"1.2.3.4\") == ip(\"1.2.3.4\")",
            "context has s && context.s == \"x\" || context.s == \"y\"",
            "Color::\"red\" == Color::\"blue\"",
            "Color::\"red\" == Color::\"green\"",
            "{a: context.x} == {a: 1}",
            "context.recs.contains({a: 1})",
            "context.recs.contains({a: 1, b: 2})",
            "[{a: 1}, {a: 2, b: 3}].isEmpty()",
            "[{a: 1}, {a: true}].isEmpty()",
            "[true, false].contains(context has x)",
            "principal is Group",
            "principal is Nope",
            "principal is User && principal.age > 1",
            "principal.age > 1",
            "resource.owner.manager has name",
            "resource.owner has manager && resource.owner.manager.age > 1",
            "if principal has manager then principal.manager.age > 1 else principal.manager.age > 2",
            "(if context has x then context else context).s == \"a\"",
            "context.dur.toDays() + context.dt.toTime().toHours() > context.dt.toDate().toTime().toSeconds()",
            "context.dt.toDate() == context.dt");

    static final List<String> POLICIES = List.of(
            "permit(principal, action == Action::\"lonely\", resource);",
            "permit(principal, action == Action::\"grp\", resource);",
            "permit(principal, action in Action::\"grp\", resource);",
            "permit(principal, action in [], resource);",
            "permit(principal in Group::\"g\", action == Action::\"read\", resource);",
            "permit(principal is Group, action == Action::\"read\", resource);",
            "permit(principal is Group in Group::\"g\", action, resource);",
            "permit(principal is User in Doc::\"d\", action, resource);",
            "permit(principal, action, resource in User::\"u\");",
            "permit(principal == Action::\"read\", action, resource);",
            "permit(principal, action, resource) when { false };",
            "permit(principal, action, resource) when { principal.age > 1 };",
            "permit(principal, action == Action::\"read\", resource) when { principal.age > 1 };",
            "permit(principal, action, resource) unless { principal.naem == 1 };",
            "permit(principal, action, resource) when { context.x > 1 } when { context has x };",
            "permit(principal, action, resource) when { context has x } when { context.x > 1 };",
            "permit(principal == ?principal, action == Action::\"read\", resource) when { principal.age > 1 };",
            "permit(principal in ?principal, action == Action::\"read\", resource) when { principal.age > 1 };",
            "permit(principal in ?principal, action, resource) when { principal.age > 1 };",
            "permit(principal, action, resource in ?resource) when { resource.owner == principal };",
            "permit(principal is User in ?principal, action, resource == ?resource);");

    static final String NAMESPACED = """
            namespace Acme {
              entity Team;
              entity Person in [Team] { nick?: String, "full name": String, team: Team };
              entity File { owner: Person };
              action "file:read" appliesTo { principal: [Person], resource: [File], context: { "x y"?: Long } };
              action "file:all";
              action "file:write" in ["file:all"] appliesTo { principal: [Person, Team], resource: [File] };
            }
            entity Guest;
            """;

    static final List<String> NAMESPACED_POLICIES = List.of(
            "permit(principal, action == Acme::Action::\"file:read\", resource) when { principal[\"full name\"] == \"x\" };",
            "permit(principal, action == Acme::Action::\"file:read\", resource) when { principal.nick == \"x\" };",
            "permit(principal, action == Acme::Action::\"file:read\", resource) when { context has \"x y\" && context[\"x y\"] > 1 };",
            "permit(principal, action == Acme::Action::\"file:read\", resource) when { context[\"x y\"] > 1 };",
            "permit(principal, action, resource) when { principal is Guest };",
            "permit(principal is Guest, action, resource);",
            "permit(principal is Acme::Person, action, resource);",
            "permit(principal, action, resource) when { principal is Acme::Action };",
            "permit(principal, action, resource) when { action is Acme::Action };",
            "permit(principal, action in Acme::Action::\"file:all\", resource) when { principal is Acme::Team };",
            "permit(principal, action in Acme::Action::\"file:all\", resource) when { principal.team == principal.team };",
            "permit(principal, action, resource) when { principal in principal.team };",
            "permit(principal, action, resource) when { principal is Acme::Person && principal in principal.team };",
            "permit(principal, action, resource) when { action == Action::\"file:read\" };",
            "permit(principal, action == Acme::Action::\"file:all\", resource);",
            "permit(principal, action in Acme::Action::\"file:all\", resource in Acme::Team::\"t\");",
            "permit(principal in Acme::Team::\"t\", action, resource);",
            "permit(principal in Acme::File::\"f\", action, resource);",
            "permit(principal, action, resource) when { Acme::Action::\"file:write\" in Acme::Action::\"file:all\" };",
            "permit(principal, action, resource) when { resource.owner.team in [Acme::Team::\"a\", Acme::Team::\"b\"] };");

    @Test
    void namespacedVerdictsAgreeWithCedarJava() throws Exception {
        assertThat(disagreements(NAMESPACED, NAMESPACED_POLICIES)).isEmpty();
    }

    @Test
    void conditionVerdictsAgreeWithCedarJava() throws Exception {
        List<String> texts = new ArrayList<>();
        for (String c : CONDITIONS) {
            texts.add("permit(principal, action, resource) when { " + c + " };");
        }
        assertThat(disagreements(SCHEMA, texts)).isEmpty();
    }

    @Test
    void policyVerdictsAgreeWithCedarJava() throws Exception {
        assertThat(disagreements(SCHEMA, POLICIES)).isEmpty();
    }

    private static List<String> disagreements(String schemaText, List<String> texts) throws Exception {
        Validator validator = new Validator(Schema.parseCedar(schemaText));
        var schema = com.cedarpolicy.model.schema.Schema.parse(JsonOrCedar.Cedar, schemaText);
        BasicAuthorizationEngine engine = new BasicAuthorizationEngine();
        List<String> out = new ArrayList<>();
        int rejected = 0;
        for (String text : texts) {
            PolicySet ours;
            try {
                ours = PolicySet.parse(text);
            } catch (RuntimeException e) {
                out.add(text + ": does not parse: " + e.getMessage());
                continue;
            }
            ValidationResult r = validator.validate(ours);
            boolean theirs = engine.validate(
                            new ValidationRequest(schema, com.cedarpolicy.model.policy.PolicySet.parsePolicies(text)))
                    .validationPassed();
            if (!theirs) {
                rejected++;
            }
            if (r.isValid() != theirs) {
                out.add(text + ": cedar-java " + (theirs ? "accepts" : "rejects") + ", we found " + r.errors());
            }
        }
        // Both verdicts occur, so agreement is not trivial.
        assertThat(rejected).isBetween(1, texts.size() - 1);
        return out;
    }
}
