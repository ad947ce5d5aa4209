package dev.portcullis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI run in-process: output, exit codes, and one-line errors without stack traces. */
class MainTest {
    /** The example policy set shipped in the repository (tests run in the {@code server} module). */
    static final Path EXAMPLE = Path.of("..", "examples", "photoflash");

    record Run(int code, String out, String err) {
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(out);
        }
    }

    static Run run(String... args) {
        return runWithStdin("", args);
    }

    static Run runWithStdin(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(
                args,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out),
                new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    static void assertOneLineError(Run r) {
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(r.err().strip().lines().count()).as(r.err()).isLessThanOrEqualTo(2);
    }

    String[] example(String... rest) {
        String[] base = {
            "authorize",
            "--policies",
            EXAMPLE.resolve("policies.cedar").toString(),
            "--entities",
            EXAMPLE.resolve("entities.json").toString()
        };
        String[] all = new String[base.length + rest.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(rest, 0, all, base.length, rest.length);
        return all;
    }

    @Test
    void readmeCommandAllows() throws IOException {
        Run r = run(example(
                "--principal",
                "User::\"alice\"",
                "--action",
                "Action::\"view\"",
                "--resource",
                "Photo::\"vacation.jpg\""));
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode json = r.json();
        assertThat(json.get("decision").asText()).isEqualTo("allow");
        assertThat(json.get("reasons").toString()).isEqualTo("[\"viewers-may-view\"]");
        assertThat(json.get("errors").size()).isZero();
    }

    @Test
    void denyExitsTwo() throws IOException {
        // mallory is in no viewer group and owns nothing: default deny, no reasons
        Run r = run(example(
                "--principal",
                "User::\"mallory\"",
                "--action",
                "Action::\"view\"",
                "--resource",
                "Photo::\"vacation.jpg\""));
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.json().get("decision").asText()).isEqualTo("deny");
        assertThat(r.json().get("reasons").size()).isZero();
    }

    @Test
    void requestFileWithSchemaDeniesThroughTheForbid() throws IOException {
        Run r = run(example(
                "--schema", EXAMPLE.resolve("schema.cedarschema").toString(),
                "--request-json", EXAMPLE.resolve("request.json").toString()));
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.json().get("reasons").toString()).isEqualTo("[\"locked-photos-are-read-only\"]");
    }

    @Test
    void badInputIsOneLineWithTheFileName(@TempDir Path dir) throws IOException {
        Run missing = run(
                "authorize",
                "--policies",
                dir.resolve("nope.cedar").toString(),
                "--principal",
                "User::\"a\"",
                "--action",
                "Action::\"b\"",
                "--resource",
                "R::\"c\"");
        assertOneLineError(missing);
        assertThat(missing.err()).contains("nope.cedar");

        Path badJson = dir.resolve("entities.json");
        Files.writeString(badJson, "[\n  {\"uid\": \n");
        Run json = run(
                "authorize",
                "--policies",
                EXAMPLE.resolve("policies.cedar").toString(),
                "--entities",
                badJson.toString(),
                "--principal",
                "User::\"a\"",
                "--action",
                "Action::\"b\"",
                "--resource",
                "R::\"c\"");
        assertOneLineError(json);
        assertThat(json.err()).contains("entities.json");

        Path latin1 = dir.resolve("latin1.cedar");
        Files.write(latin1, new byte[] {'/', '/', ' ', (byte) 0xE9, '\n'});
        Run utf8 = run("check-parse", latin1.toString());
        assertOneLineError(utf8);
        assertThat(utf8.err()).contains("latin1.cedar:1:4: invalid UTF-8");
    }

    @Test
    void badUidAndUsageErrorsExitOne() {
        assertOneLineError(
                run(example("--principal", "alice", "--action", "Action::\"view\"", "--resource", "P::\"x\"")));
        assertOneLineError(run(example("--principal", "User::\"alice\"")));
        assertOneLineError(run("authorize"));
        assertOneLineError(run("no-such-command"));
    }

    @Test
    void templateLinks(@TempDir Path dir) throws IOException {
        Path policies = dir.resolve("p.cedar");
        Files.writeString(
                policies, "@id(\"viewer\")\npermit (principal == ?principal, action, resource in ?resource);\n");
        Path links = dir.resolve("links.json");
        Files.writeString(links, """
                [{"template_id": "viewer", "link_id": "aliceDocs",
                  "args": {"?principal": "User::\\"alice\\"", "?resource": {"type": "Folder", "id": "docs"}}}]
                """);
        Path entities = dir.resolve("e.json");
        Files.writeString(entities, """
                [{"uid": {"type": "Doc", "id": "a"}, "attrs": {}, "parents": [{"type": "Folder", "id": "docs"}]}]
                """);
        String[] base = {
            "authorize",
            "--policies",
            policies.toString(),
            "--entities",
            entities.toString(),
            "--template-links",
            links.toString(),
            "--action",
            "Action::\"read\"",
            "--resource",
            "Doc::\"a\""
        };
        Run alice = run(concat(base, "--principal", "User::\"alice\""));
        assertThat(alice.code()).as(alice.toString()).isZero();
        assertThat(alice.json().get("reasons").toString()).isEqualTo("[\"aliceDocs\"]");
        Run bob = run(concat(base, "--principal", "User::\"bob\""));
        assertThat(bob.code()).as(bob.toString()).isEqualTo(2);

        Files.writeString(links, "[{\"template_id\": \"nope\", \"link_id\": \"l\", \"args\": {}}]");
        Run bad = run(concat(base, "--principal", "User::\"alice\""));
        assertOneLineError(bad);
        assertThat(bad.err()).contains("links.json").contains("`nope`");
    }

    @Test
    void checkParseAndFormat(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.cedar");
        Files.writeString(good, "permit(principal,action,resource);");
        Path bad = dir.resolve("bad.cedar");
        Files.writeString(bad, "permit(principal,action,resource)\nwhen { 1 + };");
        Run ok = run("check-parse", good.toString());
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("good.cedar: ok (1 policies");
        Run ko = run("check-parse", good.toString(), bad.toString());
        assertOneLineError(ko);
        assertThat(ko.err()).contains("bad.cedar:2:");

        Run formatted = runWithStdin("permit(principal,action,resource);", "format");
        assertThat(formatted.code()).as(formatted.toString()).isZero();
        Path canonical = dir.resolve("canonical.cedar");
        Files.writeString(canonical, formatted.out());
        assertThat(run("format", "--check", canonical.toString()).code()).isZero();
        // formatting is idempotent, so the formatted text needs no change
        assertThat(runWithStdin(formatted.out(), "format").out()).isEqualTo(formatted.out());
    }

    @Test
    void conformanceCommandCountsRequests(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("policies.cedar"), "permit(principal == User::\"alice\", action, resource);");
        Files.writeString(dir.resolve("entities.json"), "[]");
        Files.createDirectories(dir.resolve("tests"));
        Files.writeString(dir.resolve("tests/t.json"), """
                {"policies": "policies.cedar", "entities": "entities.json", "shouldValidate": false,
                 "requests": [
                  {"description": "alice", "principal": {"type": "User", "id": "alice"},
                   "action": {"type": "Action", "id": "a"}, "resource": {"type": "R", "id": "r"},
                   "context": {}, "decision": "allow", "reason": ["policy0"], "errors": []},
                  {"description": "bob (wrong expectation)", "principal": {"type": "User", "id": "bob"},
                   "action": {"type": "Action", "id": "a"}, "resource": {"type": "R", "id": "r"},
                   "context": {}, "decision": "allow", "reason": ["policy0"], "errors": []}]}
                """);
        Run r = run("conformance", dir.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out())
                .contains("bob (wrong expectation)")
                .doesNotContain("FAIL " + dir.resolve("tests/t.json") + ": alice");
        assertThat(r.out().strip()).endsWith("1 passed, 1 failed");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
