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

    static final Path POLICIES = MainTest.EXAMPLE.resolve("policies.cedar");

    @Test
    void validateAcceptsTheExample() {
        Run r = run("validate", "--schema", SCHEMA.toString(), "--policies", POLICIES.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("valid: 0 errors");
    }

    @Test
    void validateShowsWhereAndWhy() throws IOException {
        Path p = Files.writeString(
                tmp.resolve("policies.cedar"),
                "permit(principal, action, resource);\n"
                        + "permit(principal, action == Action::\"view\", resource is Photo)\n"
                        + "when { resource.ownr == principal };\n");
        Run r = run("validate", "--schema", SCHEMA.toString(), "--policies", p.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(3);
        String[] lines = r.out().split("\n");
        // file:line:col: error: [policy] message, then the source line and a caret under the column
        assertThat(lines[0])
                .startsWith(p + ":3:")
                .contains(": error: [policy1] ")
                .contains("ownr");
        assertThat(lines[1]).isEqualTo("  when { resource.ownr == principal };");
        int column = Integer.parseInt(lines[0].substring((p + ":3:").length()).split(":")[0]);
        assertThat(lines[2].indexOf('^')).isEqualTo(2 + column - 1);
        assertThat(r.out()).contains("invalid: 1 error");
    }

    @Test
    void validateJson() throws IOException {
        Path p = Files.writeString(
                tmp.resolve("policies.cedar"),
                "permit(principal, action == Action::\"view\", resource is Photo)\nwhen { resource.private + 1 > 0 };\n");
        Run r = run("validate", "--schema", SCHEMA.toString(), "--policies", p.toString(), "--format", "json");
        assertThat(r.code()).as(r.toString()).isEqualTo(3);
        var json = r.json();
        assertThat(json.get("valid").asBoolean()).isFalse();
        var error = json.get("errors").get(0);
        assertThat(error.get("policy").asText()).isEqualTo("policy0");
        assertThat(error.get("line").asInt()).isEqualTo(2);
        assertThat(error.get("column").asInt()).isPositive();
        assertThat(error.get("kind").asText()).isEqualTo("unexpected_type");
        assertThat(error.get("message").asText()).doesNotStartWith("policy `");
        assertThat(json.get("warnings").isArray()).isTrue();
    }

    @Test
    void validateChecksTemplateLinks() throws IOException {
        Path p = Files.writeString(
                tmp.resolve("templates.cedar"),
                "@id(\"viewer\")\npermit(principal == ?principal, action == Action::\"view\", resource is Photo);\n");
        Path good = Files.writeString(
                tmp.resolve("good.json"),
                "[{\"template_id\": \"viewer\", \"link_id\": \"alice\", \"args\": {\"?principal\": \"User::\\\"alice\\\"\"}}]");
        Run ok = run(
                "validate",
                "--schema",
                SCHEMA.toString(),
                "--policies",
                p.toString(),
                "--template-links",
                good.toString());
        assertThat(ok.code()).as(ok.toString()).isZero();
        // a photo can never be the principal of `view`: the link can never apply
        Path bad = Files.writeString(
                tmp.resolve("bad.json"),
                "[{\"template_id\": \"viewer\", \"link_id\": \"oops\", \"args\": {\"?principal\": \"Photo::\\\"x\\\"\"}}]");
        Run r = run(
                "validate",
                "--schema",
                SCHEMA.toString(),
                "--policies",
                p.toString(),
                "--template-links",
                bad.toString(),
                "--format",
                "json");
        assertThat(r.code()).as(r.toString()).isEqualTo(3);
        assertThat(r.json().get("errors").get(0).get("policy").asText()).isEqualTo("oops");
    }

    @Test
    void validateBadInputIsExitOne() throws IOException {
        Path p = Files.writeString(tmp.resolve("broken.cedar"), "permit(principal,");
        assertOneLineError(run("validate", "--schema", SCHEMA.toString(), "--policies", p.toString()));
        assertOneLineError(run("validate", "--schema", p.toString(), "--policies", POLICIES.toString()));
        assertOneLineError(run("validate", "--policies", POLICIES.toString()));
    }

    @Test
    void authorizeWithASchemaRejectsRequestsItDoesNotAllow() {
        String[] base = {
            "authorize",
            "--schema",
            SCHEMA.toString(),
            "--policies",
            POLICIES.toString(),
            "--entities",
            MainTest.EXAMPLE.resolve("entities.json").toString(),
            "--resource",
            "Photo::\"diary.jpg\""
        };
        Run ok = run(concat(base, "--principal", "User::\"bob\"", "--action", "Action::\"view\""));
        assertThat(ok.code()).as(ok.toString()).isIn(0, 2);
        Run badAction = run(concat(base, "--principal", "User::\"bob\"", "--action", "Action::\"share\""));
        assertOneLineError(badAction);
        assertThat(badAction.err()).contains("does not conform to the schema").contains("Action::\"share\"");
        Run badPrincipal = run(concat(base, "--principal", "UserGroup::\"g\"", "--action", "Action::\"view\""));
        assertOneLineError(badPrincipal);
        assertThat(badPrincipal.err()).contains("principal").contains("`UserGroup`");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
