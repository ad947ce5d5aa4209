package dev.portcullis.cedar.difftest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/** Runs one case through both engines and reports every request on which they disagree. */
final class Differ {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Disagreement(long seed, String policies, String entities, CaseGen.Req request, Answer ours, Answer theirs) {
        /** A self-contained reproduction: everything needed to replay it by hand. */
        String report() {
            return "\n=== differential disagreement (seed " + seed + ") ===\n"
                    + "--- policies (ids policy0.. by position) ---\n" + policies
                    + "--- entities ---\n" + pretty(entities) + "\n"
                    + "--- request ---\n" + request.describe() + "\n"
                    + "--- portcullis ---\n" + ours + "\n"
                    + "--- cedar-java 4.10.0 ---\n" + theirs + "\n"
                    + "replay: -Ddifftest.seed=" + seed + "\n";
        }
    }

    /** Counts of what was compared, for the measurement report. */
    static final class Stats {
        long cases, requests, allow, deny, withErrors, failures, rejectedPolicySets;
        long oursNanos, theirsNanos, cpuNanos;

        @Override
        public String toString() {
            return "cases=" + cases + " requests=" + requests + " allow=" + allow + " deny=" + deny
                    + " withPolicyErrors=" + withErrors + " rejectedInputs=" + failures
                    + " rejectedPolicySets=" + rejectedPolicySets
                    + String.format(
                            " | wall: portcullis %.1f s, cedar-java %.1f s; thread cpu %.1f s",
                            oursNanos / 1e9, theirsNanos / 1e9, cpuNanos / 1e9);
        }
    }

    private Differ() {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static List<Disagreement> run(CaseGen.Case c, Stats stats) {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        List<Disagreement> out = new ArrayList<>();
        long t0 = System.nanoTime();
        CedarJavaOracle.Prepared theirsP = CedarJavaOracle.prepare(c.policies());
        long t1 = System.nanoTime();
        Portcullis.Prepared oursP = Portcullis.prepare(c.policies());
        stats.theirsNanos += t1 - t0;
        stats.cases++;
        if (theirsP.failure() != null) {
            stats.rejectedPolicySets++;
        }
        Portcullis.Store store = Portcullis.entities(c.entities());
        stats.oursNanos += System.nanoTime() - t1;
        for (CaseGen.Req req : c.requests()) {
            long a = System.nanoTime();
            Answer ours = Portcullis.authorize(oursP, store, req);
            long b = System.nanoTime();
            Answer theirs = CedarJavaOracle.authorize(theirsP, c.entities(), req);
            stats.oursNanos += b - a;
            stats.theirsNanos += System.nanoTime() - b;
            stats.requests++;
            if (theirs.isFailure()) {
                stats.failures++;
            } else {
                if (theirs.allow()) stats.allow++;
                else stats.deny++;
                if (!theirs.errors().isEmpty()) stats.withErrors++;
            }
            if (!ours.agrees(theirs)) {
                out.add(new Disagreement(c.seed(), c.policies(), c.entities(), req, ours, theirs));
            }
        }
        stats.cpuNanos += THREADS.getCurrentThreadCpuTime() - cpu0;
        return out;
    }

    private static String pretty(String json) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json));
        } catch (Exception e) {
            return json;
        }
    }
}
