package dev.portcullis.cedar.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.Locations;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.format.PolicyFormatter;
import dev.portcullis.cedar.json.PolicyJson;
import dev.portcullis.cedar.value.StringValue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Input crafted to exhaust the stack, the heap or the clock must give a clear {@link
 * ParseException} quickly. The deep-nesting cases run on a thread with a 512 KB stack, the low end
 * of what a JVM gives a new thread by default.
 */
class HostileInputTest {
    private static final long SMALL_STACK = 512 * 1024;

    private static String policy(String condition) {
        return "permit(principal, action, resource) when { " + condition + " };";
    }

    /** Runs {@code body} on a thread with a small stack and returns its result or rethrows its failure. */
    private static <T> T onSmallStack(Supplier<T> body) {
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
                "small-stack",
                SMALL_STACK);
        t.start();
        try {
            t.join(Duration.ofSeconds(20));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(t.isAlive()).as("parser still running after 20 s").isFalse();
        Object r = out.get();
        if (r instanceof RuntimeException e) {
            throw e;
        }
        if (r instanceof Error e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        T result = (T) r;
        return result;
    }

    private static void assertTooDeep(String text) {
        assertThatThrownBy(() -> onSmallStack(() -> PolicyParser.parse(text)))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("nested too deeply");
    }

    @Test
    void hundredThousandNestedParentheses_isAClearError() {
        assertTooDeep(policy("(".repeat(100_000) + "1" + ")".repeat(100_000)));
    }

    @Test
    void nestingOneAboveTheLimit_isRejectedAtTheInnermostLevel() {
        int depth = Parser.MAX_NESTING + 1;
        assertThatThrownBy(() -> PolicyParser.parseExpr("(".repeat(depth) + "1" + ")".repeat(depth)))
                .isInstanceOf(ParseException.class)
                .hasMessage("1:" + depth + ": expression is nested too deeply (more than " + Parser.MAX_NESTING
                        + " levels)");
    }

    @Test
    void deeplyNestedSetsRecordsAndIfs_areClearErrors() {
        assertTooDeep(policy("[".repeat(100_000)));
        assertTooDeep(policy("{a: ".repeat(100_000)));
        assertTooDeep(policy("if true then ".repeat(100_000) + "1"));
        assertTooDeep(policy("ip(".repeat(100_000)));
        assertTooDeep(policy("!(".repeat(100_000)));
    }

    @Test
    void longOperatorChains_areAcceptedButNestingInsideThemIsNot() {
        // a chain's spine is not nesting (see DeepChainTest); its operands still are
        assertThat(onSmallStack(() -> PolicyParser.parse(policy("1" + " + 1".repeat(100_000) + " == 0"))))
                .hasSize(1);
        assertTooDeep(policy("1 + (1 + ".repeat(100_000) + "1"));
        assertTooDeep(policy("true || (true || ".repeat(100_000) + "true"));
    }

    @Test
    void nestingJustBelowTheLimit_parsesFormatsAndConvertsOnASmallStack() {
        int depth = Parser.MAX_NESTING - 2;
        String text = policy("(".repeat(depth) + "[1]" + ")".repeat(depth) + " == [1]");
        List<Policy> parsed = onSmallStack(() -> PolicyParser.parse(text));
        String formatted = onSmallStack(() -> PolicyFormatter.format(parsed));
        String json = onSmallStack(() -> PolicyJson.toJson(parsed.get(0)));
        assertThat(Locations.erase(PolicyParser.parse(formatted).get(0))).isEqualTo(Locations.erase(parsed.get(0)));
        assertThat(json).contains("\"Set\"");

        String chain = policy("1" + " + 1".repeat(Parser.MAX_DEPTH - 10) + " == 0");
        List<Policy> chained = onSmallStack(() -> PolicyParser.parse(chain));
        String again = onSmallStack(() -> PolicyFormatter.format(chained));
        assertThat(Locations.erase(PolicyParser.parse(again).get(0))).isEqualTo(Locations.erase(chained.get(0)));
    }

    @Test
    void tenMegabyteStringLiteral_parsesInLinearTime() {
        String big = "ab\\n".repeat(2_500_000); // 10 MB of source, with escapes on the slow path
        long start = System.nanoTime();
        Expr e = PolicyParser.parseExpr("\"" + big + "\"");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(((Expr.Lit) e).value()).isEqualTo(new StringValue("ab\n".repeat(2_500_000)));
        assertThat(millis)
                .as("parse time in ms")
                .isLessThan(15_000); // generous: the machine may be loaded; quadratic would take hours
    }

    @Test
    void hugeIntegerLiteral_isRejectedQuickly() {
        String digits = "9".repeat(1_000_000);
        assertThatThrownBy(() -> PolicyParser.parseExpr(digits))
                .isInstanceOf(ParseException.class)
                .hasMessageStartingWith("1:1: integer literal `999")
                .hasMessageContaining("out of range");
        assertThat(Locations.erase(PolicyParser.parseExpr("0".repeat(1_000_000) + "7")))
                .isEqualTo(Locations.erase(PolicyParser.parseExpr("7")));
    }

    @Test
    void manyPoliciesAndRepetitions_parseInLinearTime() {
        String one = "@id(\"x\") permit(principal == User::\"a\", action in [Action::\"b\"], resource)"
                + " when { context.a.b has c && [1, 2, 3].contains(2) };\n";
        long start = System.nanoTime();
        List<Policy> ps = PolicyParser.parse(one.repeat(5_000));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(ps).hasSize(5_000);
        assertThat(ps.get(4_999).id()).isEqualTo("policy4999");
        assertThat(millis)
                .as("parse time in ms")
                .isLessThan(15_000); // generous: the machine may be loaded; quadratic would take hours
    }

    @Test
    void unterminatedAndStrayInput_isAClearError() {
        assertThatThrownBy(() -> PolicyParser.parse(policy("\"abc")))
                .isInstanceOf(ParseException.class)
                .hasMessage("1:44: unterminated string literal");
        assertThatThrownBy(() -> PolicyParser.parse("permit(principal, action, resource) when { true } // no end"))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("found end of input");
        assertThatThrownBy(() -> PolicyParser.parse("permit(principal, action, resource) /* block */;"))
                .isInstanceOf(ParseException.class)
                .hasMessageStartingWith("1:37:");
        for (String stray : List.of("\u0000", "#", "\u00ff", "\uD83D\uDE00", "$", "`", "\\", "~", "^", "'")) {
            assertThatThrownBy(() -> PolicyParser.parse(policy("1 " + stray + " 2")))
                    .as("stray %s", stray)
                    .isInstanceOf(ParseException.class)
                    .hasMessageStartingWith("1:46: unexpected character");
        }
        assertThatThrownBy(() -> PolicyParser.parse("\"unterminated\\"))
                .isInstanceOf(ParseException.class)
                .hasMessage("1:1: unterminated string literal");
    }

    @Test
    void lonelySurrogatesInStrings_areKeptAsText() {
        // Java strings may hold lone surrogates; the lexer works on chars and must not choke on them
        Expr e = PolicyParser.parseExpr("\"a\uD800b\"");
        assertThat(((Expr.Lit) e).value()).isEqualTo(new StringValue("a\uD800b"));
    }
}
