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
        CedarJavaBridge cedar = new CedarJavaBridge(policyText);
        int allows = 0;
        int errors = 0;
        int disagreements = 0;
        long entities = 0;
        String first = null;
        for (Sample s : samples) {
            Response r = ours.isAuthorized(s.request(), s.entities());
            boolean allowed = r.decision() == Decision.ALLOW;
            boolean theirs = cedar.isAllowed(cedar.prepare(s.request(), s.entityList()));
            allows += allowed ? 1 : 0;
            errors += r.errors().isEmpty() ? 0 : 1;
            entities += s.entityList().size();
            if (allowed != theirs) {
                disagreements++;
                if (first == null) {
                    first = s.request() + " ours=" + r.decision() + " cedar-java=" + (theirs ? "ALLOW" : "DENY");
                }
            }
        }
        System.out.printf(
                "%n[agreement] %s: %d samples, %.1f entities each on average, %d%% allow, %d with errors, %d disagreements%s%n",
                label,
                samples.size(),
                (double) entities / samples.size(),
                100 * allows / samples.size(),
                errors,
                disagreements,
                first == null ? "" : " (first: " + first + ")");
    }
}
