package dev.portcullis.cedar.validation.difftest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.schema.SchemaPrinter;
import dev.portcullis.cedar.validation.ValidationError;
import dev.portcullis.cedar.validation.ValidationResult;
import dev.portcullis.cedar.validation.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Portcullis's strict validator against Cedar's (cedar-java 4.10.0) on generated schemas and
 * policies: for every policy, both must agree on valid or invalid. Cases come in batches of one
 * schema and {@value #BATCH} policies validated as one set, compared policy by policy.
 *
 * <p>Every other batch gives cedar the schema in the JSON format, as {@link SchemaPrinter}
 * translates it, so the test also checks that translation keeps the meaning.
 *
 * <p>{@code -Dportcullis.validation.cases=N} runs N cases (default 20,000) and {@code
 * -Dportcullis.validation.seed=S} changes the seed. A disagreement is shrunk (one policy, fewest
 * conditions, smallest expressions) and printed as a ready-made regression case.
 */
class ValidationDifferentialTest {
    static final int BATCH = 50;

    record Case(String schema, String policy, boolean cedarValid, String cedarErrors, String ourErrors) {}

    @Test
    void agreesWithCedarOnGeneratedPolicies() {
        int cases = Integer.getInteger("portcullis.validation.cases", 20_000);
        long seed = Long.getLong("portcullis.validation.seed", 20261128L);
        Random rnd = new Random(seed);
        int done = 0;
        int invalid = 0;
        int disagreeing = 0;
        int batches = 0;
        List<Case> disagreements = new ArrayList<>();
        Map<String, Integer> oracleFailures = new TreeMap<>();
        while (done < cases) {
            String schemaText = new SchemaGen(rnd).generate();
            Schema schema = Schema.parseCedar(schemaText);
            if (schema.actions().isEmpty()) {
                continue;
            }
            PolicyGen gen = new PolicyGen(rnd, schema);
            List<PolicyGen.Gen> policies = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                policies.add(gen.generate());
            }
            String text = join(policies);
            // every other batch, cedar gets our JSON translation of the schema: a translation that
            // changed the meaning would show up as disagreements
            boolean viaJson = (batches++ & 1) == 1;
            CedarValidatorOracle.Verdict cedar = viaJson
                    ? CedarValidatorOracle.validate(
                            SchemaPrinter.cedarToJson(schemaText),
                            com.cedarpolicy.model.schema.Schema.JsonOrCedar.Json,
                            text)
                    : CedarValidatorOracle.validate(schemaText, text);
            if (cedar.failure() != null) {
                oracleFailures.merge(cedar.failure().split(":")[0], 1, Integer::sum);
                assertThat(cedar.failure())
                        .as("cedar could not validate a generated case; schema:\n" + schemaText)
                        .startsWith("policies:");
                continue;
            }
            Map<String, String> ours = ours(schema, text);
            for (int i = 0; i < policies.size(); i++) {
                String id = "policy" + i;
                boolean cedarValid = !cedar.errors().containsKey(id);
                boolean ourValid = !ours.containsKey(id);
                invalid += cedarValid ? 0 : 1;
                if (cedarValid != ourValid) {
                    disagreeing++;
                    // shrinking costs hundreds of oracle calls: a few examples say enough
                    if (disagreements.size() < 6) {
                        disagreements.add(shrink(schemaText, schema, policies.get(i)));
                    }
                }
                done++;
            }
        }
        System.out.printf(
                "validation difftest: %d cases (%d invalid per cedar), %d disagreements, oracle failures %s%n",
                done, invalid, disagreeing, oracleFailures);
        // the generator must exercise both verdicts in earnest
        assertThat(invalid).isBetween(done / 10, done * 9 / 10);
        assertThat(disagreements).as(report(disagreements)).isEmpty();
    }

    static Map<String, String> ours(Schema schema, String text) {
        ValidationResult r = new Validator(schema).validate(PolicySet.parse(text));
        Map<String, String> out = new TreeMap<>();
        for (ValidationError e : r.errors()) {
            out.merge(e.policyId(), e.message(), (a, b) -> a + "; " + b);
        }
        return out;
    }

    static String join(List<PolicyGen.Gen> policies) {
        StringBuilder b = new StringBuilder();
        for (PolicyGen.Gen g : policies) {
            b.append(g.text()).append('\n');
        }
        return b.toString();
    }

    /** Whether the single policy {@code g} still makes the two validators disagree. */
    static boolean disagrees(String schemaText, Schema schema, PolicyGen.Gen g) {
        String text = g.text();
        CedarValidatorOracle.Verdict cedar = CedarValidatorOracle.validate(schemaText, text);
        if (cedar.failure() != null) {
            return false;
        }
        try {
            return cedar.errors().isEmpty() != ours(schema, text).isEmpty();
        } catch (RuntimeException e) {
            return false; // a shrink step that our parser rejects is not the disagreement we chase
        }
    }

    static Case shrink(String schemaText, Schema schema, PolicyGen.Gen g) {
        PolicyGen.Gen best = g;
        if (disagrees(schemaText, schema, best)) {
            boolean progress = true;
            while (progress) {
                progress = false;
                for (int i = 0; i < best.bodies().size() && !progress; i++) {
                    List<Boolean> w = new ArrayList<>(best.when());
                    List<Node> b = new ArrayList<>(best.bodies());
                    w.remove(i);
                    b.remove(i);
                    PolicyGen.Gen fewer = new PolicyGen.Gen(best.head(), w, b);
                    if (disagrees(schemaText, schema, fewer)) {
                        best = fewer;
                        progress = true;
                    }
                    for (Node smaller :
                            progress ? List.<Node>of() : best.bodies().get(i).shrinks()) {
                        List<Node> bb = new ArrayList<>(best.bodies());
                        bb.set(i, smaller);
                        PolicyGen.Gen cand = new PolicyGen.Gen(best.head(), best.when(), bb);
                        if (disagrees(schemaText, schema, cand)) {
                            best = cand;
                            progress = true;
                            break;
                        }
                    }
                }
            }
        }
        String text = best.text();
        CedarValidatorOracle.Verdict cedar = CedarValidatorOracle.validate(schemaText, text);
        String ourErrors;
        try {
            ourErrors = ours(schema, text).toString();
        } catch (RuntimeException e) {
            ourErrors = "crash: " + e;
        }
        return new Case(
                schemaText, text, cedar.errors().isEmpty(), cedar.errors().toString(), ourErrors);
    }

    static String report(List<Case> cases) {
        StringBuilder b = new StringBuilder();
        Set<String> seen = new TreeSet<>();
        for (Case c : cases) {
            if (!seen.add(c.policy())) {
                continue;
            }
            b.append("\n--- schema:\n")
                    .append(c.schema())
                    .append("--- policy: ")
                    .append(c.policy());
            b.append("\n--- cedar: ").append(c.cedarValid() ? "valid" : "invalid " + c.cedarErrors());
            b.append("\n--- ours: ").append(c.ourErrors()).append('\n');
        }
        return b.toString();
    }
}
