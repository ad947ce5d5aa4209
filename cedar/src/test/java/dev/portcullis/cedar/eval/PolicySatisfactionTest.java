package dev.portcullis.cedar.eval;

import static dev.portcullis.cedar.eval.Ast.get;
import static dev.portcullis.cedar.eval.Ast.lit;
import static dev.portcullis.cedar.eval.Ast.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.cedar.ast.ActionConstraint;
import dev.portcullis.cedar.ast.Condition;
import dev.portcullis.cedar.ast.Effect;
import dev.portcullis.cedar.ast.EntityRef;
import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.Loc;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.ast.ScopeConstraint;
import dev.portcullis.cedar.ast.SlotId;
import dev.portcullis.cedar.eval.EvaluationException.ErrorKind;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scope matching and condition order in {@link Evaluator#isSatisfied}. */
class PolicySatisfactionTest {
    private final Evaluator ev = new Evaluator(EvaluatorTest.REQUEST, EvaluatorTest.ENTITIES);

    private static final Expr BAD = get(rec(), "missing");

    private static Policy policy(
            ScopeConstraint principal, ActionConstraint action, ScopeConstraint resource, Condition... conditions) {
        return new Policy(
                "p0", Effect.PERMIT, principal, action, resource, List.of(conditions), Map.of(), null, Loc.NONE);
    }

    private static Policy scope(ScopeConstraint principal, ActionConstraint action, ScopeConstraint resource) {
        return policy(principal, action, resource);
    }

    private static Condition when(Expr e) {
        return new Condition(true, e, Loc.NONE);
    }

    private static Condition unless(Expr e) {
        return new Condition(false, e, Loc.NONE);
    }

    private static EntityRef ref(String type, String id) {
        return EntityRef.of(EntityUid.of(type, id));
    }

    private static final ScopeConstraint ANY = ScopeConstraint.ANY;

    @Test
    void principalScope() {
        assertThat(ev.isSatisfied(scope(new ScopeConstraint.Eq(ref("User", "alice")), ActionConstraint.ANY, ANY)))
                .isTrue();
        assertThat(ev.isSatisfied(scope(new ScopeConstraint.Eq(ref("User", "bob")), ActionConstraint.ANY, ANY)))
                .isFalse();
        assertThat(ev.isSatisfied(scope(new ScopeConstraint.In(ref("Group", "all")), ActionConstraint.ANY, ANY)))
                .isTrue();
        assertThat(ev.isSatisfied(scope(new ScopeConstraint.In(ref("User", "alice")), ActionConstraint.ANY, ANY)))
                .isTrue();
        assertThat(ev.isSatisfied(scope(new ScopeConstraint.In(ref("Group", "x")), ActionConstraint.ANY, ANY)))
                .isFalse();
        assertThat(ev.isSatisfied(scope(new ScopeConstraint.Is(new EntityType("User")), ActionConstraint.ANY, ANY)))
                .isTrue();
        assertThat(ev.isSatisfied(scope(
                        new ScopeConstraint.IsIn(new EntityType("User"), ref("Group", "admins")),
                        ActionConstraint.ANY,
                        ANY)))
                .isTrue();
        assertThat(ev.isSatisfied(scope(
                        new ScopeConstraint.IsIn(new EntityType("Group"), ref("Group", "admins")),
                        ActionConstraint.ANY,
                        ANY)))
                .isFalse();
    }

    @Test
    void actionAndResourceScope() {
        EntityUid view = EntityUid.of("Action", "view");
        EntityUid edit = EntityUid.of("Action", "edit");
        assertThat(ev.isSatisfied(scope(ANY, new ActionConstraint.Eq(view), ANY)))
                .isTrue();
        assertThat(ev.isSatisfied(scope(ANY, new ActionConstraint.Eq(edit), ANY)))
                .isFalse();
        assertThat(ev.isSatisfied(scope(ANY, new ActionConstraint.In(List.of(edit, view), true), ANY)))
                .isTrue();
        assertThat(ev.isSatisfied(scope(ANY, new ActionConstraint.In(List.of(edit), true), ANY)))
                .isFalse();
        assertThat(ev.isSatisfied(scope(ANY, new ActionConstraint.In(List.of(), true), ANY)))
                .isFalse();
        assertThat(ev.isSatisfied(scope(ANY, ActionConstraint.ANY, new ScopeConstraint.Eq(ref("Photo", "p")))))
                .isTrue();
        assertThat(ev.isSatisfied(scope(ANY, ActionConstraint.ANY, new ScopeConstraint.Is(new EntityType("User")))))
                .isFalse();
    }

    @Test
    void conditionsAreCheckedInOrderAndStopAtTheFirstFailure() {
        assertThat(ev.isSatisfied(policy(ANY, ActionConstraint.ANY, ANY, when(lit(true)), unless(lit(false)))))
                .isTrue();
        assertThat(ev.isSatisfied(policy(ANY, ActionConstraint.ANY, ANY, when(lit(false)), when(BAD))))
                .isFalse();
        assertThat(ev.isSatisfied(policy(ANY, ActionConstraint.ANY, ANY, unless(lit(true)), when(BAD))))
                .isFalse();
        assertThatThrownBy(() -> ev.isSatisfied(policy(ANY, ActionConstraint.ANY, ANY, when(lit(true)), when(BAD))))
                .isInstanceOfSatisfying(EvaluationException.class, e -> assertThat(e.kind())
                        .isEqualTo(ErrorKind.ATTRIBUTE_DOES_NOT_EXIST));
        // a scope that does not match hides errors in the conditions
        assertThat(ev.isSatisfied(
                        policy(new ScopeConstraint.Eq(ref("User", "bob")), ActionConstraint.ANY, ANY, when(BAD))))
                .isFalse();
    }

    @Test
    void conditionsMustBeBools() {
        for (Condition c : List.of(when(lit(1)), unless(lit(1)))) {
            assertThatThrownBy(() -> ev.isSatisfied(policy(ANY, ActionConstraint.ANY, ANY, c)))
                    .isInstanceOfSatisfying(
                            EvaluationException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TYPE_ERROR))
                    .hasMessageContaining("must be a Bool");
        }
        assertThat(Oracle.evalAll(List.of("1", "!(1)"))).containsExactly("error", "error");
    }

    @Test
    void unlinkedSlotsAreErrors() {
        Policy template = scope(new ScopeConstraint.Eq(EntityRef.of(SlotId.PRINCIPAL)), ActionConstraint.ANY, ANY);
        assertThatThrownBy(() -> ev.isSatisfied(template))
                .isInstanceOfSatisfying(
                        EvaluationException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNLINKED_SLOT))
                .hasMessage("template slot `?principal` is not linked to an entity");
        assertThatThrownBy(() -> ev.evaluate(new Expr.Slot(SlotId.RESOURCE, Loc.NONE)))
                .isInstanceOf(EvaluationException.class);
    }

    @Test
    void errorsHaveNoStackTrace() {
        assertThatThrownBy(() -> ev.evaluate(BAD))
                .isInstanceOfSatisfying(EvaluationException.class, e -> assertThat(e.getStackTrace())
                        .isEmpty())
                .hasMessage("record does not have the attribute `missing`");
    }
}
