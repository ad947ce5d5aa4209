package dev.portcullis.bench;

import dev.portcullis.bench.OopslaWorkload.Sample;
import dev.portcullis.cedar.Authorizer;
import dev.portcullis.cedar.Decision;
import dev.portcullis.cedar.Response;
import java.util.List;

/**
 * Before timing anything: do both engines give the same decisions on the benchmark's samples, and
 * how many allows are there? A benchmark of wrong answers, or of nothing but default denies, would
 * measure the wrong thing. Disagreements are printed, not fatal: correctness is the differential
 * tests' job, and a benchmark run should still report its figures.
 */
final class Agreement {
    private Agreement() {}

    static void check(String label, String policyText, List<Sample> samples, Authorizer ours) {
        check(label, policyText, samples, ours, samples.size());
    }

    /**
     * As {@link #check(String, String, List, Authorizer)}, asking cedar-java about the first {@code
     * compared} samples only: at 10,000 policies it takes a fifth of a second per decision, and the
     * full check would dominate the run.
     */
    static void check(String label, String policyText, List<Sample> samples, Authorizer ours, int compared) {
        CedarJavaBridge cedar = new CedarJavaBridge(policyText);
        int asked = 0;
        int allows = 0;
        int errors = 0;
        int disagreements = 0;
        long entities = 0;
        String first = null;
        for (Sample s : samples) {
            Response r = ours.isAuthorized(s.request(), s.entities());
            boolean allowed = r.decision() == Decision.ALLOW;
            allows += allowed ? 1 : 0;
            errors += r.errors().isEmpty() ? 0 : 1;
            entities += s.entityList().size();
            if (asked++ >= compared) {
                continue;
            }
            boolean theirs = cedar.isAllowed(cedar.prepare(s.request(), s.entityList()));
            if (allowed != theirs) {
                disagreements++;
                if (first == null) {
                    first = s.request() + " ours=" + r.decision() + " cedar-java=" + (theirs ? "ALLOW" : "DENY");
                }
            }
        }
        System.out.printf(
                "%n[agreement] %s: %d samples, %.1f entities each on average, %d%% allow, %d with errors, %d disagreements"
                        + " with cedar-java on %d compared%s%n",
                label,
                samples.size(),
                (double) entities / samples.size(),
                100 * allows / samples.size(),
                errors,
                disagreements,
                Math.min(compared, samples.size()),
                first == null ? "" : " (first: " + first + ")");
    }
}
