package dev.portcullis.cedar.difftest;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;

/**
 * Differential test of parse acceptance: generated policy text with one or two token mutations
 * (dropped, duplicated, swapped, replaced, inserted tokens) must be accepted by our parser exactly
 * when cedar-java 4.10.0 accepts it. Messages are not compared.
 */
class ParseAcceptanceProperties {
    @Property(tries = 3000, shrinking = ShrinkingMode.OFF)
    void bothParsersAcceptTheSameText(@ForAll long seed) {
        Random r = new Random(seed);
        String original = CaseGen.generate(seed, 0).policies();
        String text = r.nextInt(10) == 0 ? original : Mutator.mutate(original, r);
        boolean theirs = CedarJavaOracle.parses(text);
        boolean ours = Portcullis.parses(text);
        Statistics.collect(theirs ? "accepted" : "rejected");
        if (ours != theirs) {
            throw new AssertionError("\n=== parse acceptance disagreement (seed " + seed + ") ===\n" + text
                    + "\n--- portcullis "
                    + (ours ? "accepts" : "rejects: " + Portcullis.prepare(text).failure())
                    + "\n--- cedar-java 4.10.0 "
                    + (theirs
                            ? "accepts"
                            : "rejects: " + CedarJavaOracle.prepare(text).failure()) + "\n");
        }
    }
}
