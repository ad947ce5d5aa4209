package dev.portcullis.cedar.difftest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Differential test of authorization: random policy sets, entity stores and requests, decided by
 * our engine and by cedar-java 4.10.0; decision, determining policies and erroring policies must
 * be equal. jqwik draws the case seeds (shrinking a seed is meaningless, so it is off); a failure
 * prints a self-contained reproduction and the seed.
 *
 * <p>Volume: 2,000 cases x 50 requests = 100,000 requests per run. Replay one case with {@code
 * -Ddifftest.seed=N}; survey many cases and print every disagreement (instead of stopping at the
 * first) with {@code -Ddifftest.survey=CASES}.
 */
class DifferentialAuthorizationProperties {
    static final int REQUESTS_PER_CASE = 50;
    private static final Differ.Stats STATS = new Differ.Stats();
    private static long started = System.nanoTime();

    @Property(tries = 2000, shrinking = ShrinkingMode.OFF)
    void bothEnginesDecideAlike(@ForAll long seed) {
        List<Differ.Disagreement> d = Differ.run(CaseGen.generate(seed, REQUESTS_PER_CASE), STATS);
        if (!d.isEmpty()) {
            throw new AssertionError(d.get(0).report());
        }
    }

    @Example
    void replay() {
        String seed = System.getProperty("difftest.seed");
        Assume.that(seed != null && !seed.isBlank());
        CaseGen.Case c = Boolean.getBoolean("difftest.oddities")
                ? CaseGen.generate(Long.parseLong(seed), DifferentialJsonProperties.REQUESTS_PER_CASE, true)
                : CaseGen.generate(Long.parseLong(seed), REQUESTS_PER_CASE);
        List<Differ.Disagreement> d = Differ.run(c, new Differ.Stats());
        d.forEach(x -> System.out.println(x.report()));
        assertThat(d).isEmpty();
    }

    /** Prints every disagreement of many cases, grouped by the shape of the two answers. */
    @Example
    void survey() {
        String n = System.getProperty("difftest.survey");
        Assume.that(n != null && !n.isBlank());
        Differ.Stats stats = new Differ.Stats();
        Map<String, Differ.Disagreement> firstOfKind = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        long base = Long.getLong("difftest.base", 1L);
        boolean oddities = Boolean.getBoolean("difftest.oddities");
        for (long s = base; s < base + Long.parseLong(n); s++) {
            for (Differ.Disagreement d : Differ.run(CaseGen.generate(s, REQUESTS_PER_CASE, oddities), stats)) {
                String kind = kind(d);
                counts.merge(kind, 1, Integer::sum);
                firstOfKind.putIfAbsent(kind, d);
            }
        }
        firstOfKind.forEach((k, d) -> System.out.println("### " + counts.get(k) + " x " + k + d.report()));
        System.out.println("survey: " + stats + " kinds=" + counts);
    }

    private static String kind(Differ.Disagreement d) {
        Answer o = d.ours(), t = d.theirs();
        if (o.isFailure() || t.isFailure()) {
            return "ours[" + shape(o) + "] theirs[" + shape(t) + "]";
        }
        return "decision/reasons/errors differ: " + (o.allow() != t.allow() ? "decision " : "")
                + (o.reasons().equals(t.reasons()) ? "" : "reasons ")
                + (o.errors().equals(t.errors()) ? "" : "errors");
    }

    /** A failure message without the parts that vary between instances (paths, quoted input). */
    private static String shape(Answer a) {
        if (!a.isFailure()) {
            return "decided";
        }
        String s = a.failure()
                .replaceAll("(entities|context)(\\[[^]]*]|\\.[^ :]*)*", "<path>")
                .replaceAll("`[^`]*`", "<x>")
                .replaceAll("\\(entity .*\\)", "");
        return s.substring(0, Math.min(90, s.length()));
    }

    @AfterContainer
    static void report() {
        if (STATS.requests > 0) {
            System.out.printf("differential authorization: %s in %.1f s%n", STATS, (System.nanoTime() - started) / 1e9);
        }
    }
}
