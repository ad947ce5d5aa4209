package dev.portcullis.cedar.difftest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks that the differential generators are worth running: the texts reach every operator and
 * extension function, and the oracle's outcomes are mixed (allows, denies, policy errors, parse
 * rejections) rather than all the same.
 */
class GeneratorCoverageTest {
    static final List<String> SYNTAX = List.of(
            " == ",
            " != ",
            " < ",
            " <= ",
            " > ",
            " >= ",
            " + ",
            " - ",
            " * ",
            " in ",
            " has ",
            " like ",
            " is ",
            "if ",
            " && ",
            " || ",
            "!",
            "-",
            ".contains(",
            ".containsAll(",
            ".containsAny(",
            ".isEmpty()",
            ".getTag(",
            ".hasTag(",
            "[\"",
            "{",
            "decimal(",
            "ip(",
            "datetime(",
            "duration(",
            ".lessThan(",
            ".lessThanOrEqual(",
            ".greaterThan(",
            ".greaterThanOrEqual(",
            ".isIpv4()",
            ".isIpv6()",
            ".isLoopback()",
            ".isMulticast()",
            ".isInRange(",
            ".offset(",
            ".durationSince(",
            ".toDate()",
            ".toTime()",
            ".toDays()",
            ".toHours()",
            ".toMinutes()",
            ".toSeconds()",
            ".toMilliseconds()",
            "unless",
            "when",
            "forbid",
            "permit",
            "principal is ",
            "resource in ",
            "action in [",
            "action == ");

    @Test
    void generatedCases_coverEveryOperatorAndMixOutcomes() throws Exception {
        StringBuilder all = new StringBuilder();
        int allow = 0, deny = 0, errors = 0, failures = 0, rejected = 0, requests = 0;
        long oracleNanos = 0;
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        for (long seed = 0; seed < 300; seed++) {
            CaseGen.Case c = CaseGen.generate(seed, 20);
            all.append(c.policies());
            long t0 = System.nanoTime();
            CedarJavaOracle.Prepared p = CedarJavaOracle.prepare(c.policies());
            if (p.failure() != null) {
                rejected++;
                System.out.println("rejected: " + p.failure());
                continue;
            }
            for (CaseGen.Req req : c.requests()) {
                Answer a = CedarJavaOracle.authorize(p, c.entities(), req);
                requests++;
                if (a.isFailure()) {
                    failures++;
                } else {
                    if (a.allow()) allow++;
                    else deny++;
                    if (!a.errors().isEmpty()) errors++;
                }
            }
            oracleNanos += System.nanoTime() - t0;
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        System.out.printf(
                "cases=300 rejected=%d requests=%d allow=%d deny=%d withErrors=%d failures=%d oracle=%.1fµs/request"
                        + " (thread cpu %.1fµs/request)%n",
                rejected,
                requests,
                allow,
                deny,
                errors,
                failures,
                oracleNanos / 1000.0 / Math.max(1, requests),
                cpu / 1000.0 / Math.max(1, requests));
        List<String> missing = new ArrayList<>();
        for (String s : SYNTAX) {
            if (!all.toString().contains(s)) missing.add(s);
        }
        assertThat(missing).as("operators never generated").isEmpty();
        assertThat(allow).isGreaterThan(requests / 20);
        assertThat(deny).isGreaterThan(requests / 20);
        assertThat(errors).isGreaterThan(requests / 50);
        assertThat(rejected).isLessThan(30);
        assertThat(failures).isLessThan(requests / 5);
    }
}
