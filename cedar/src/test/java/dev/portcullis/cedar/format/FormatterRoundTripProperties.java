package dev.portcullis.cedar.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.ast.ActionConstraint;
import dev.portcullis.cedar.ast.Condition;
import dev.portcullis.cedar.ast.Effect;
import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.Loc;
import dev.portcullis.cedar.ast.Locations;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.ast.ScopeConstraint;
import dev.portcullis.cedar.json.PolicyJson;
import dev.portcullis.cedar.parser.PolicyParser;
import dev.portcullis.cedar.testing.RandomExprs;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Random trees survive {@code format} then {@code parse}, and {@code toJson} then {@code PolicyJson.parse}. */
class FormatterRoundTripProperties {

    @Property(tries = 300)
    void formattedExpressionsParseBackToTheSameTree(@ForAll long seed) {
        Expr e = new RandomExprs(seed, true).expr(5);
        String text = PolicyFormatter.format(e);
        assertThat(Locations.erase(PolicyParser.parseExpr(text))).as(text).isEqualTo(e);
    }

    @Property(tries = 150)
    void policiesRoundTripThroughTextAndJson(@ForAll long seed) {
        RandomExprs gen = new RandomExprs(seed, false);
        Policy p = new Policy(
                "policy0",
                Effect.FORBID,
                ScopeConstraint.ANY,
                ActionConstraint.ANY,
                ScopeConstraint.ANY,
                List.of(new Condition(true, gen.expr(4), Loc.NONE), new Condition(false, gen.expr(3), Loc.NONE)),
                Map.of("id", "x\"y", "empty", ""),
                null,
                Loc.NONE);
        String text = PolicyFormatter.format(List.of(p));
        assertThat(Locations.erase(PolicyParser.parse(text).get(0))).as(text).isEqualTo(p);
        String json = PolicyJson.toJson(p);
        assertThat(Locations.erase(PolicyJson.parse("policy0", json))).as(json).isEqualTo(p);
    }
}
