package dev.portcullis.cedar.difftest;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;

/**
 * Differential test of the JSON data formats: like {@link DifferentialAuthorizationProperties},
 * but most entity stores and many contexts carry an oddity ({@link Corruptor}: bad values, unusual
 * escapes, unknown keys, duplicates). Accepting or rejecting the data, and the decision when
 * accepted, must match cedar-java. Kept apart so that a data-format disagreement does not hide the
 * evaluation disagreements the main property looks for.
 */
class DifferentialJsonProperties {
    static final int REQUESTS_PER_CASE = 10;

    @Property(tries = 400, shrinking = ShrinkingMode.OFF)
    void bothEnginesReadDataAlike(@ForAll long seed) {
        List<Differ.Disagreement> d = Differ.run(CaseGen.generate(seed, REQUESTS_PER_CASE, true), new Differ.Stats());
        if (!d.isEmpty()) {
            throw new AssertionError(d.get(0).report() + "(a JSON-oddities case: add -Ddifftest.oddities=true)\n");
        }
    }
}
