package dev.portcullis.cedar.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.cedarpolicy.model.schema.Schema.JsonOrCedar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two formats of one schema give equal models. The conformance data has each schema in one
 * format only, so cedar-java (the reference, test scope) converts it to the other.
 */
class SchemaFormatsEquivalenceTest {

    @Test
    void cedarSchemasEqualTheirJsonTranslations() throws Exception {
        List<Path> files = new ArrayList<>(ConformanceData.find(ConformanceData.shared(), ".cedarschema"));
        // a spread of the corpus (every 25th schema) keeps the test fast while covering its features
        List<Path> corpus = ConformanceData.find(ConformanceData.corpusRoot().resolve("corpus-tests"), ".cedarschema");
        for (int i = 0; i < corpus.size(); i += 25) {
            files.add(corpus.get(i));
        }
        List<String> failures = new ArrayList<>();
        for (Path f : files) {
            String text = Files.readString(f);
            String json = com.cedarpolicy.model.schema.Schema.parse(JsonOrCedar.Cedar, text)
                    .toJsonFormat()
                    .toString();
            Schema fromText = Schema.parseCedar(text);
            Schema fromJson = Schema.parseJson(json);
            if (!fromText.equals(fromJson)) {
                failures.add(f.getFileName().toString());
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void jsonSchemasEqualTheirCedarTranslations() throws Exception {
        for (Path f : ConformanceData.find(ConformanceData.shared(), ".cedarschema.json")) {
            String json = Files.readString(f);
            String text = com.cedarpolicy.model.schema.Schema.parse(JsonOrCedar.Json, json)
                    .toCedarFormat();
            assertThat(Schema.parseCedar(text)).as(f.toString()).isEqualTo(Schema.parseJson(json));
        }
    }
}
