package dev.portcullis.cedar.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.cedar.ast.ActionConstraint;
import dev.portcullis.cedar.ast.BinaryOp;
import dev.portcullis.cedar.ast.EntityRef;
import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.Loc;
import dev.portcullis.cedar.ast.Locations;
import dev.portcullis.cedar.ast.Pattern;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.ast.ScopeConstraint;
import dev.portcullis.cedar.ast.SlotId;
import dev.portcullis.cedar.ast.UnaryOp;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.StringValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyParserTest {

    private static Expr expr(String text) {
        return Locations.erase(PolicyParser.parseExpr(text));
    }

    private static final Loc N = Loc.NONE;

    @Test
    void policies_getPositionalIdsAndKeepTemplatesInOrder() {
        List<Policy> ps = PolicyParser.parse("""
                // a comment\r
                permit(principal, action, resource);
                @id("t") forbid(principal == ?principal, action, resource in ?resource) when { true };
                permit(principal is User, action in Action::"a", resource is Doc in Folder::"f");
                """);
        assertThat(ps).extracting(Policy::id).containsExactly("policy0", "policy1", "policy2");
        assertThat(ps).extracting(Policy::isTemplate).containsExactly(false, true, false);
        assertThat(ps.get(1).principal()).isEqualTo(new ScopeConstraint.Eq(EntityRef.of(SlotId.PRINCIPAL)));
        assertThat(ps.get(1).resource()).isEqualTo(new ScopeConstraint.In(EntityRef.of(SlotId.RESOURCE)));
        assertThat(ps.get(1).annotations()).containsEntry("id", "t");
        assertThat(ps.get(2).action()).isEqualTo(new ActionConstraint.In(List.of(EntityUid.of("Action", "a")), false));
        assertThat(ps.get(2).resource())
                .isEqualTo(new ScopeConstraint.IsIn(new EntityType("Doc"), EntityRef.of(EntityUid.of("Folder", "f"))));
        assertThat(PolicyParser.parse("  // only a comment")).isEmpty();
    }

    @Test
    void locations_coverTheSourceSpanWithLineAndColumn() {
        String text = "permit(principal, action, resource)\nwhen {\n  principal.age >= 18 };";
        Policy p = PolicyParser.parse(text).get(0);
        assertThat(p.loc()).isEqualTo(new Loc(0, text.length(), 1, 1));
        Expr.Binary ge = (Expr.Binary) p.conditions().get(0).body();
        assertThat(text.substring(ge.loc().start(), ge.loc().end())).isEqualTo("principal.age >= 18");
        assertThat(ge.loc().line()).isEqualTo(3);
        assertThat(ge.loc().column()).isEqualTo(3);
        Expr.GetAttr age = (Expr.GetAttr) ge.left();
        assertThat(text.substring(age.loc().start(), age.loc().end())).isEqualTo("principal.age");
        assertThat(ge.right().loc()).isEqualTo(new Loc(text.indexOf("18"), text.indexOf("18") + 2, 3, 20));
    }

    @Test
    void negativeLiterals_foldOneMinusAsCedarDoes() {
        assertThat(expr("-9223372036854775808")).isEqualTo(new Expr.Lit(LongValue.of(Long.MIN_VALUE), N));
        assertThat(expr("- 1")).isEqualTo(new Expr.Lit(LongValue.of(-1), N));
        assertThat(expr("--1")).isEqualTo(new Expr.Unary(UnaryOp.NEG, new Expr.Lit(LongValue.of(-1), N), N));
        assertThat(expr("-(1)")).isEqualTo(new Expr.Unary(UnaryOp.NEG, new Expr.Lit(LongValue.of(1), N), N));
        assertThat(expr("-1.a"))
                .isEqualTo(new Expr.Unary(UnaryOp.NEG, new Expr.GetAttr(new Expr.Lit(LongValue.of(1), N), "a", N), N));
        assertThat(expr("1--1")).isEqualTo(expr("1 - (-1)"));
    }

    @Test
    void sugar_isRemoved() {
        Expr p = new Expr.Var(dev.portcullis.cedar.ast.VarName.PRINCIPAL, N);
        assertThat(expr("principal has a.b"))
                .isEqualTo(new Expr.And(
                        new Expr.HasAttr(p, "a", N), new Expr.HasAttr(new Expr.GetAttr(p, "a", N), "b", N), N));
        Expr g = new Expr.Lit(EntityUid.of("G", "g"), N);
        assertThat(expr("principal is A::B in G::\"g\""))
                .isEqualTo(new Expr.And(
                        new Expr.Is(p, new EntityType("A::B"), N), new Expr.Binary(BinaryOp.IN, p, g, N), N));
    }

    @Test
    void strings_andPatterns_decodeCedarEscapes() {
        assertThat(expr("\"\\n\\r\\t\\\\\\0\\'\\\"\\x41\\u{1F600}\""))
                .isEqualTo(new Expr.Lit(new StringValue("\n\r\t\\\0'\"A\uD83D\uDE00"), N));
        Expr like = expr("\"x\" like \"a*\\\\*\\u{2a}\"");
        assertThat(((Expr.Like) like).pattern())
                .isEqualTo(new Pattern(List.of(
                        Pattern.Elem.literal('a'),
                        Pattern.Elem.WILDCARD,
                        Pattern.Elem.literal('\\'),
                        Pattern.Elem.WILDCARD,
                        Pattern.Elem.WILDCARD)));
        assertThat(((Expr.Like) expr("\"x\" like \"\\*\"")).pattern())
                .isEqualTo(new Pattern(List.of(Pattern.Elem.literal('*'))));
    }

    @Test
    void methodsAndFunctions_mapToOperatorsOrCalls() {
        assertThat(expr("[1].containsAny([2])")).isInstanceOf(Expr.Binary.class);
        assertThat(((Expr.Binary) expr("principal.hasTag(\"t\")")).op()).isEqualTo(BinaryOp.HAS_TAG);
        assertThat(((Expr.Unary) expr("[].isEmpty()")).op()).isEqualTo(UnaryOp.IS_EMPTY);
        Expr.Call call = (Expr.Call) expr("ip(\"1.2.3.4\",).isInRange(ip(\"1.0.0.0/8\"))");
        assertThat(call.method()).isTrue();
        assertThat(call.fn()).isEqualTo("isInRange");
        assertThat(call.args()).hasSize(2);
        assertThat(((Expr.Call) call.args().get(0)).method()).isFalse();
    }

    @Test
    void wordsThatAreOnlyKeywordsInContext_areIdentifiersElsewhere() {
        assertThat(expr("principal.principal")).isInstanceOf(Expr.GetAttr.class);
        assertThat(expr("{permit: 1, when: 2, context: 3}")).isInstanceOf(Expr.RecordLit.class);
        assertThat(expr("permit::when::\"x\"")).isEqualTo(new Expr.Lit(EntityUid.of("permit::when", "x"), N));
        assertThat(PolicyParser.parse("@if(\"x\") @then permit(principal, action, resource);")
                        .get(0)
                        .annotations())
                .containsEntry("if", "x")
                .containsEntry("then", "");
    }

    @Test
    void unicodeWhitespace_separatesTokens() {
        assertThat(expr("1\u00a0+\u20032")).isEqualTo(expr("1 + 2"));
    }

    @Test
    void entityUids_parseAlone() {
        assertThat(PolicyParser.parseEntityUid(" Photo::App :: \"a\\\"b\" "))
                .isEqualTo(EntityUid.of("Photo::App", "a\"b"));
        assertThatThrownBy(() -> PolicyParser.parseEntityUid("User"))
                .isInstanceOf(ParseException.class)
                .hasMessage("1:5: expected `::`, found end of input");
        assertThatThrownBy(() -> PolicyParser.parseEntityUid("if::\"a\""))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("reserved");
    }
}
