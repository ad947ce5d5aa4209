package dev.portcullis.cedar.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.ast.ActionConstraint;
import dev.portcullis.cedar.ast.Condition;
import dev.portcullis.cedar.ast.Effect;
import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.Loc;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.ast.ScopeConstraint;
import dev.portcullis.cedar.ast.UnaryOp;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.validation.ValidationError.Kind;
import dev.portcullis.cedar.value.BoolValue;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Operator chains of 100,000 terms ({@code ||}, {@code &&}, {@code +}, {@code .attr}) validate on a
 * thread with a 512 KB stack, with the verdict the typing rules give (a mistake in one term far
 * down the chain is still found), and a policy nested too deeply to check is refused cleanly.
 */
class ValidatorChainsTest {
    static final int TERMS = 100_000;
    static final long STACK = 512 * 1024;

    static final Validator VALIDATOR = new Validator(Schema.parseCedar("""
            entity User { n: Long, opt?: Long, boss: User };
            action act appliesTo { principal: [User], resource: [User] };
            """));

    /** A chain of {@code TERMS} terms made by {@code term}, joined by {@code op}. */
    private static String chain(String op, IntFunction<String> term) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < TERMS; i++) {
            if (i > 0) {
                b.append(' ').append(op).append(' ');
            }
            b.append(term.apply(i));
        }
        return b.toString();
    }

    private static String policy(String condition) {
        return "permit(principal, action == Action::\"act\", resource) when { " + condition + " };";
    }

    /** Parses and validates {@code text} on a thread with a small stack. */
    private static ValidationResult validateOnSmallStack(String text) throws InterruptedException {
        return onSmallStack(() -> VALIDATOR.validate(PolicySet.parse(text)));
    }

    private static <T> T onSmallStack(Supplier<T> work) throws InterruptedException {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(
                null,
                () -> {
                    try {
                        result.set(work.get());
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                },
                "small-stack",
                STACK);
        t.start();
        t.join();
        assertThat(failure.get()).as("failure on the small stack").isNull();
        return result.get();
    }

    private static void assertValid(ValidationResult r) {
        assertThat(r.errors()).isEmpty();
        assertThat(r.isValid()).isTrue();
    }

    private static void assertOneError(ValidationResult r, Kind kind, String fragment) {
        assertThat(r.isValid()).isFalse();
        assertThat(r.errors()).hasSize(1);
        assertThat(r.errors().get(0).kind()).isEqualTo(kind);
        assertThat(r.errors().get(0).message()).contains(fragment).hasSizeLessThan(1000);
    }

    @Test
    void longOrChain() throws Exception {
        assertValid(validateOnSmallStack(policy(chain("||", i -> "principal.n == " + i))));
        ValidationResult bad = validateOnSmallStack(
                policy(chain("||", i -> i == TERMS - 7 ? "principal.n == \"x\"" : "principal.n == " + i)));
        assertOneError(bad, Kind.INCOMPATIBLE_TYPES, "\"x\"");
    }

    @Test
    void longAndChain() throws Exception {
        assertValid(validateOnSmallStack(policy(chain("&&", i -> "principal.n > " + i))));
        ValidationResult bad = validateOnSmallStack(
                policy(chain("&&", i -> i == TERMS / 2 ? "principal.m > 1" : "principal.n > " + i)));
        assertOneError(bad, Kind.ATTRIBUTE_NOT_FOUND, "`m`");
    }

    @Test
    void capabilitiesCarryAlongAnAndChain() throws Exception {
        // `principal has opt` at the start guards `principal.opt` at the end, 100,000 terms later.
        IntFunction<String> guarded = i -> i == 0 ? "principal has opt" : i == TERMS - 1 ? "principal.opt > 0" : "true";
        assertValid(validateOnSmallStack(policy(chain("&&", guarded))));
        IntFunction<String> unguarded = i -> i == 0 ? "principal.n > 0" : i == TERMS - 1 ? "principal.opt > 0" : "true";
        assertOneError(
                validateOnSmallStack(policy(chain("&&", unguarded))), Kind.UNSAFE_OPTIONAL_ATTRIBUTE_ACCESS, "opt");
        // Through `||` the capability survives only when every operand grants it.
        IntFunction<String> allGuard = i -> "principal has opt";
        assertValid(validateOnSmallStack(policy("(" + chain("||", allGuard) + ") && principal.opt > 0")));
        IntFunction<String> oneDoesNot = i -> i == TERMS / 3 ? "principal.n > 0" : "principal has opt";
        assertOneError(
                validateOnSmallStack(policy("(" + chain("||", oneDoesNot) + ") && principal.opt > 0")),
                Kind.UNSAFE_OPTIONAL_ATTRIBUTE_ACCESS,
                "opt");
    }

    @Test
    void shortCircuitAlongAChain() throws Exception {
        // Once the chain is `False`, the rest of an `&&` chain is not checked (as in Cedar), so the
        // bad attribute after it is no error; the policy can never apply, which is a warning.
        IntFunction<String> terms = i -> i == 10 ? "false" : i == TERMS - 1 ? "principal.m > 1" : "principal.n > " + i;
        ValidationResult r = validateOnSmallStack(policy(chain("&&", terms)));
        assertValid(r);
        assertThat(r.warnings()).extracting(ValidationWarning::kind).contains(ValidationWarning.Kind.IMPOSSIBLE_POLICY);
    }

    @Test
    void longSumChain() throws Exception {
        assertValid(validateOnSmallStack(policy(chain("+", i -> i == 0 ? "principal.n" : "1") + " > 0")));
        ValidationResult bad =
                validateOnSmallStack(policy(chain("-", i -> i == 77 ? "\"a\"" : "principal.n") + " > 0"));
        assertOneError(bad, Kind.UNEXPECTED_TYPE, "\"a\"");
    }

    @Test
    void longAttributeChain() throws Exception {
        String bosses = "principal" + ".boss".repeat(TERMS);
        assertValid(validateOnSmallStack(policy(bosses + ".n > 0")));
        assertValid(validateOnSmallStack(policy(bosses + " == principal")));
        assertOneError(validateOnSmallStack(policy(bosses + ".bos.n > 0")), Kind.ATTRIBUTE_NOT_FOUND, "`bos`");
        assertOneError(validateOnSmallStack(policy(bosses + " == 1")), Kind.INCOMPATIBLE_TYPES, "User");
    }

    @Test
    void tooDeepANestingIsRefusedNotThrown() throws Exception {
        // 100,000 nested `!` are genuine nesting (no parser produces them; the AST is built here).
        Loc loc = Loc.NONE;
        Expr e = new Expr.Lit(BoolValue.of(true), loc);
        for (int i = 0; i < TERMS; i++) {
            e = new Expr.Unary(UnaryOp.NOT, e, loc);
        }
        Policy deep = new Policy(
                "deep",
                Effect.PERMIT,
                new ScopeConstraint.Any(),
                new ActionConstraint.Any(),
                new ScopeConstraint.Any(),
                List.of(new Condition(true, e, loc)),
                Map.of(),
                null,
                loc);
        Policy fine = PolicySet.parse(policy("principal.n > 1")).policies().get(0);
        ValidationResult r = onSmallStack(() -> VALIDATOR.validate(List.of(deep, fine)));
        assertThat(r.errors()).hasSize(1);
        assertThat(r.errors().get(0).kind()).isEqualTo(Kind.TOO_DEEP);
        assertThat(r.errors().get(0).policyId()).isEqualTo("deep");
        assertThat(r.errors().get(0).message()).isEqualTo("policy `deep` is nested too deeply to validate");
    }
}
