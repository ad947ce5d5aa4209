package dev.portcullis.server.cli;

import static dev.portcullis.server.cli.MainTest.assertOneLineError;
import static dev.portcullis.server.cli.MainTest.run;
import static dev.portcullis.server.cli.MainTest.runWithStdin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.server.cli.MainTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema and validation commands: {@code schema translate}, {@code validate}. */
class SchemaToolsTest {
    static final Path SCHEMA = MainTest.EXAMPLE.resolve("schema.cedarschema");

    @TempDir
    Path tmp;

    @Test
    void translateCedarToJsonAndBack() throws IOException {
        Run json = run("schema", "translate", "--from", "cedar", "--to", "json", SCHEMA.toString());
        assertThat(json.code()).as(json.err()).isZero();
        assertThat(Schema.parseJson(json.out())).isEqualTo(Schema.parseCedar(Files.readString(SCHEMA)));
        Run cedar = runWithStdin(json.out(), "schema", "translate", "--from", "json", "--to", "cedar", "-");
        assertThat(cedar.code()).as(cedar.err()).isZero();
        assertThat(Schema.parseCedar(cedar.out())).isEqualTo(Schema.parseCedar(Files.readString(SCHEMA)));
    }

    @Test
    void translateRejectsAnInvalidSchemaWithItsLocation() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.cedarschema"), "entity A {\n  b: Nope\n};\n");
        Run r = run("schema", "translate", "--from", "cedar", "--to", "json", bad.toString());
        assertOneLineError(r);
        assertThat(r.err()).contains("bad.cedarschema").contains("2:").contains("`Nope`");
    }

    @Test
    void translateNeedsKnownFormats() {
        assertOneLineError(run("schema", "translate", "--from", "yaml", "--to", "json", SCHEMA.toString()));
        assertOneLineError(run("schema"));
    }
}
