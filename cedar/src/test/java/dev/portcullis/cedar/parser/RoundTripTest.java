package dev.portcullis.cedar.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.ast.Locations;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.format.PolicyFormatter;
import dev.portcullis.cedar.json.PolicyJson;
import dev.portcullis.cedar.testing.ConformanceData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every policy file of the conformance data is valid Cedar: it must parse, and both the text
 * formatter and the JSON (EST) form must give back the same tree.
 */
class RoundTripTest {

    @Test
    void handWrittenAndExampleFiles_roundTrip() {
        Map<String, String> files = ConformanceData.files(".cedar");
        assertThat(files).hasSizeGreaterThan(20);
        assertRoundTrips(files);
    }

    @Test
    void generatedCorpus_roundTrips() {
        Map<String, String> files = ConformanceData.corpus(name -> name.endsWith(".cedar"));
        assertThat(files).hasSize(7809);
        assertRoundTrips(files);
    }

    private static void assertRoundTrips(Map<String, String> files) {
        List<String> failures = new ArrayList<>();
        int policies = 0;
        for (Map.Entry<String, String> f : files.entrySet()) {
            try {
                List<Policy> parsed = PolicyParser.parse(f.getValue());
                policies += parsed.size();
                List<Policy> expected = parsed.stream().map(Locations::erase).toList();
                String text = PolicyFormatter.format(parsed);
                List<Policy> reparsed =
                        PolicyParser.parse(text).stream().map(Locations::erase).toList();
                if (!reparsed.equals(expected)) {
                    failures.add(f.getKey() + ": format round trip differs:\n" + text);
                    continue;
                }
                for (Policy p : parsed) {
                    Policy back = Locations.erase(PolicyJson.parse(p.id(), PolicyJson.toJson(p)));
                    if (!back.equals(Locations.erase(p))) {
                        failures.add(
                                f.getKey() + ": json round trip differs for " + p.id() + ":\n" + PolicyJson.toJson(p));
                    }
                }
            } catch (RuntimeException e) {
                failures.add(f.getKey() + ": " + e);
            }
        }
        assertThat(failures)
                .as("round-trip failures (%d policies checked)", policies)
                .isEmpty();
    }
}
