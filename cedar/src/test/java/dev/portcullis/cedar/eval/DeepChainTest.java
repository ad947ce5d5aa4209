package dev.portcullis.cedar.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.Locations;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.format.PolicyFormatter;
import dev.portcullis.cedar.json.EntityJson;
import dev.portcullis.cedar.parser.PolicyParser;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Long left-deep operator chains (generated policies with thousands of alternatives) parse,
 * evaluate, format and round-trip on a thread with a 512 KB stack, with Cedar's results.
 */
class DeepChainTest {
    private static final int TERMS = 100_000;
    private static final long SMALL_STACK = 512 * 1024;

    private static final Entities ENTITIES = EntityJson.parse(Oracle.ENTITIES_JSON, null);
    private static final Request REQUEST = new Request(
            PolicyParser.parseEntityUid("User::\"alice\""),
            PolicyParser.parseEntityUid("Action::\"view\""),
            PolicyParser.parseEntityUid("Photo::\"p\""),
            RecordValue.EMPTY);

    /** {@code n} terms made by {@code term}, joined by {@code op}. */
    private static String chain(int n, String op, java.util.function.IntFunction<String> term) {
        return IntStream.range(0, n).mapToObj(term).collect(Collectors.joining(" " + op + " "));
    }

    private static String orChain(int n) {
        // only the last alternative matches: every term is evaluated
        return chain(n, "||", i -> i == n - 1 ? "principal == User::\"alice\"" : "principal == User::\"u" + i + "\"");
    }

    private static String andChain(int n, int falseAt) {
        return chain(n, "&&", i -> i == falseAt ? "principal == User::\"u\"" : "principal != User::\"u" + i + "\"");
    }

    private static String addChain(int n) {
        return chain(n, "+", i -> i % 2 == 0 ? "1" : "principal.age") + " == " + (n / 2 + (n / 2) * 30L);
    }

    private static String ourResult(String expr) {
        try {
            Expr e = PolicyParser.parseExpr(expr);
            return String.valueOf(((BoolValue) new Evaluator(REQUEST, ENTITIES).evaluate(e)).value());
        } catch (EvaluationException ex) {
            return "error";
        }
    }

    @Test
    void hundredThousandTermChains_parseEvaluateFormatAndRoundTripOnASmallStack() {
        List<Object[]> cases = List.of(
                new Object[] {orChain(TERMS), true},
                new Object[] {andChain(TERMS, -1), true},
                new Object[] {andChain(TERMS, TERMS - 2), false},
                new Object[] {addChain(TERMS), true},
                new Object[] {chain(TERMS / 10, "*", i -> "1") + " == 1", true},
                new Object[] {chain(TERMS / 10, "-", i -> i == 0 ? "0" : "1") + " == " + (1 - TERMS / 10), true});
        for (Object[] c : cases) {
            String text = "permit(principal, action, resource) when { " + c[0] + " };";
            onSmallStack(() -> {
                Policy p = PolicyParser.parse(text).get(0);
                assertThat(new Evaluator(REQUEST, ENTITIES).isSatisfied(p))
                        .as("%.60s...", c[0])
                        .isEqualTo(c[1]);
                String formatted = PolicyFormatter.format(List.of(p));
                Policy again = PolicyParser.parse(formatted).get(0);
                assertThat(Locations.sameIgnoringLocations(p, again)).isTrue();
                assertThat(again.hashCode())
                        .isEqualTo(PolicyParser.parse(formatted).get(0).hashCode());
                assertThat(PolicyFormatter.formatSource("// generated\n" + text))
                        .isEqualTo("// generated\n" + formatted);
                return null;
            });
        }
    }

    @Test
    void longMemberChains_evaluateWithTheInnermostError() {
        String text = "principal.rec" + ".a".repeat(TERMS);
        EvaluationException[] ex = onSmallStack(() -> {
            Expr e = PolicyParser.parseExpr(text);
            assertThat(PolicyFormatter.format(e)).isEqualTo(text);
            try {
                new Evaluator(REQUEST, ENTITIES).evaluate(e);
                return new EvaluationException[1];
            } catch (EvaluationException failure) {
                return new EvaluationException[] {failure};
            }
        });
        // principal.rec.a is 1; reading `.a` of 1 is the error, at the third member access
        assertThat(ex[0]).isNotNull();
        assertThat(ex[0].kind()).isEqualTo(EvaluationException.ErrorKind.TYPE_ERROR);
        String methods = "[principal]" + ".contains(principal)".repeat(TERMS / 10);
        assertThat(onSmallStack(() -> ourResult(methods))).isEqualTo("error");
        String attrs = "{a: " + "{a: ".repeat(40) + "true" + "}".repeat(41) + ".a".repeat(41);
        assertThat(onSmallStack(() -> ourResult(attrs))).isEqualTo("true");
    }

    @Test
    void tenThousandTermChains_agreeWithCedar() {
        int n = 10_000;
        List<String> exprs = List.of(
                orChain(n),
                andChain(n, -1),
                andChain(n, n / 2),
                addChain(n),
                chain(n, "||", i -> i == n / 2 ? "principal.nope" : "false"), // error after many falses
                chain(n, "||", i -> i == 3 ? "true" : i == n / 2 ? "principal.nope" : "false"), // short-circuit
                chain(n, "&&", i -> i == 7 ? "1" : "true"), // a non-Bool operand
                chain(n, "+", i -> "922337203685477580") + " == 0"); // overflow
        List<String> ours =
                onSmallStack(() -> exprs.stream().map(DeepChainTest::ourResult).toList());
        // the reference implementation recurses natively: give it a large stack
        List<String> cedar = onStack(512L * 1024 * 1024, () -> Oracle.evalAll(exprs));
        assertThat(ours).isEqualTo(cedar);
        assertThat(ours).containsExactly("true", "true", "false", "true", "error", "true", "error", "error");
    }

    private static <T> T onSmallStack(Supplier<T> body) {
        return onStack(SMALL_STACK, body);
    }

    @SuppressWarnings("unchecked")
    private static <T> T onStack(long size, Supplier<T> body) {
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = new Thread(
                null,
                () -> {
                    try {
                        out.set(body.get());
                    } catch (Throwable e) {
                        out.set(e);
                    }
                },
                "stack-" + size,
                size);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (out.get() instanceof Error e) {
            throw e;
        }
        if (out.get() instanceof RuntimeException e) {
            throw e;
        }
        return (T) out.get();
    }

    static EntityUid uid(String text) {
        return PolicyParser.parseEntityUid(text);
    }
}
