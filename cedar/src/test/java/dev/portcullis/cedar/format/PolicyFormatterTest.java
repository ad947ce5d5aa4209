package dev.portcullis.cedar.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.Loc;
import dev.portcullis.cedar.ast.Locations;
import dev.portcullis.cedar.ast.UnaryOp;
import dev.portcullis.cedar.parser.PolicyParser;
import dev.portcullis.cedar.value.LongValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyFormatterTest {

    @Test
    void policyLayout_followsCedarFormat() {
        String text =
                "@id(\"a\")@advice permit(principal is User in Group::\"g\",action in [Action::\"r\",Action::\"w\"],resource)"
                        + " when {principal.level>3} unless{context has x};"
                        + "forbid(principal,action,resource==?resource);";
        assertThat(PolicyFormatter.format(PolicyParser.parse(text))).isEqualTo("""
                        @id("a")
                        @advice("")
                        permit (
                          principal is User in Group::"g",
                          action in [Action::"r", Action::"w"],
                          resource
                        )
                        when { principal.level > 3 }
                        unless { context has x };

                        forbid (
                          principal,
                          action,
                          resource == ?resource
                        );
                        """);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '¦', textBlock = """
            ((1 + 2)) * (3)                          ¦ (1 + 2) * 3
            1 + (2 * 3)                              ¦ 1 + 2 * 3
            (1 - 2) - 3                              ¦ 1 - 2 - 3
            1 - (2 - 3)                              ¦ 1 - (2 - 3)
            (true || false) || (true && false)       ¦ true || false || true && false
            (true || false) && true                  ¦ (true || false) && true
            (1 == 2) == true                         ¦ (1 == 2) == true
            !(!principal)                            ¦ !!principal
            !!!!(!principal)                         ¦ !!!!(!principal)
            -(5)                                     ¦ -(5)
            - 5                                      ¦ -5
            --5                                      ¦ --5
            -(-(-(-(-5))))                           ¦ ----(-5)
            (-5).foo                                 ¦ (-5).foo
            -5.foo                                   ¦ -5.foo
            !(-1)                                    ¦ !(-1)
            -9223372036854775808                     ¦ -9223372036854775808
            (if true then context else action).d     ¦ (if true then context else action).d
            [if true then 1 else 2]                  ¦ [if true then 1 else 2]
            principal has b.c                        ¦ principal has b && principal.b has c
            principal is T in resource               ¦ principal is T && principal in resource
            (principal has b).c                      ¦ (principal has b).c
            context["b c"]["d"]                      ¦ context["b c"].d
            context has "if"                         ¦ context has "if"
            {"if": 1, "b": {c: 2}}                   ¦ {"if": 1, b: {c: 2}}
            "a" like "*\\*\\\\"                  ¦ "a" like "*\\*\\\\"
            decimal("1.0").lessThan(decimal("2"))    ¦ decimal("1.0").lessThan(decimal("2"))
            context.contains(1).isEmpty()            ¦ context.contains(1).isEmpty()
            """)
    void expressions_getMinimalParentheses(String input, String expected) {
        Expr parsed = PolicyParser.parseExpr(input);
        String formatted = PolicyFormatter.format(parsed);
        assertThat(formatted).isEqualTo(expected);
        assertThat(Locations.erase(PolicyParser.parseExpr(formatted))).isEqualTo(Locations.erase(parsed));
    }

    @Test
    void constructedTrees_thatTextCannotSpellDirectly_stillRoundTrip() {
        Loc n = Loc.NONE;
        Expr five = new Expr.Lit(LongValue.of(5), n);
        Expr negFive = new Expr.Lit(LongValue.of(-5), n);
        for (Expr e : new Expr[] {
            new Expr.Unary(UnaryOp.NEG, five, n),
            new Expr.Unary(
                    UnaryOp.NEG,
                    new Expr.Unary(
                            UnaryOp.NEG, new Expr.Unary(UnaryOp.NEG, new Expr.Unary(UnaryOp.NEG, negFive, n), n), n),
                    n),
            new Expr.Unary(UnaryOp.NOT, negFive, n),
            new Expr.Binary(dev.portcullis.cedar.ast.BinaryOp.SUB, five, negFive, n),
            new Expr.GetAttr(negFive, "x", n),
        }) {
            String text = PolicyFormatter.format(e);
            assertThat(Locations.erase(PolicyParser.parseExpr(text))).as(text).isEqualTo(e);
        }
    }

    @Test
    void valueLiterals_builtInCode_printAsTheirSyntax() {
        Loc n = Loc.NONE;
        Expr set = new Expr.Lit(
                dev.portcullis.cedar.value.SetValue.of(
                        java.util.List.of(LongValue.of(1), new dev.portcullis.cedar.value.StringValue("a"))),
                n);
        Expr rec = new Expr.Lit(
                new dev.portcullis.cedar.value.RecordValue(
                        java.util.Map.of("k k", dev.portcullis.cedar.value.BoolValue.TRUE)),
                n);
        assertThat(PolicyFormatter.format(set)).isEqualTo("[1, \"a\"]");
        assertThat(PolicyFormatter.format(rec)).isEqualTo("{\"k k\": true}");
        assertThat(PolicyParser.parseExpr(PolicyFormatter.format(rec))).isInstanceOf(Expr.RecordLit.class);
    }
}
