package dev.portcullis.cedar.difftest;

import com.fasterxml.jackson.databind.ObjectMapper;
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

        @Override
        public String toString() {
            return "cases=" + cases + " requests=" + requests + " allow=" + allow + " deny=" + deny
                    + " withPolicyErrors=" + withErrors + " rejectedInputs=" + failures
                    + " rejectedPolicySets=" + rejectedPolicySets;
        }
    }

    private Differ() {}

    static List<Disagreement> run(CaseGen.Case c, Stats stats) {
        List<Disagreement> out = new ArrayList<>();
        CedarJavaOracle.Prepared theirsP = CedarJavaOracle.prepare(c.policies());
        Portcullis.Prepared oursP = Portcullis.prepare(c.policies());
        stats.cases++;
        if (theirsP.failure() != null) {
            stats.rejectedPolicySets++;
        }
        Portcullis.Store store = Portcullis.entities(c.entities());
        boolean policiesRejected = theirsP.failure() != null && oursP.failure() != null;
        for (CaseGen.Req req : c.requests()) {
            Answer ours = Portcullis.authorize(oursP, store, req);
            Answer theirs = CedarJavaOracle.authorize(theirsP, c.entities(), req);
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
            if (policiesRejected) {
                break; // nothing more to learn from this case's requests
            }
        }
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
