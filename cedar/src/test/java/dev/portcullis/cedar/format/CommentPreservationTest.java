package dev.portcullis.cedar.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portcullis.cedar.ast.Locations;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.parser.ParseException;
import dev.portcullis.cedar.parser.PolicyParser;
import dev.portcullis.cedar.parser.SourceLayout;
import dev.portcullis.cedar.testing.ConformanceData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link PolicyFormatter#formatSource} keeps every comment, and keeps formatting's other invariants. */
class CommentPreservationTest {

    /** Tricky placements, with the number of comments each really holds (counted by hand). */
    static Stream<Object[]> tricky() {
        return Stream.of(
                new Object[] {"after `permit (`", "permit ( // why\n principal, action, resource);", 1},
                new Object[] {
                    "between scope elements",
                    "permit (principal == User::\"a\", // who\n // what\n action,\n resource // on what\n);",
                    3
                },
                new Object[] {
                    "inside when",
                    "permit (principal, action, resource) when {\n // first\n principal == User::\"a\" || // or\n"
                            + " principal == User::\"b\" // last\n};",
                    3
                },
                new Object[] {"at end of file without newline", "permit (principal, action, resource);\n// end", 1},
                new Object[] {"after `;` on the same line", "permit (principal, action, resource); // same line\n", 1},
                new Object[] {
                    "`//` inside string literals",
                    "permit (principal == User::\"http://x\", action, resource)\n"
                            + "when { context.url like \"//*\" && context[\"a//b\"] == \"//\" };",
                    0
                },
                new Object[] {"only comments", "// nothing\n\n\n// here\n", 2},
                new Object[] {
                    "empty comment and trailing spaces", "//\npermit (principal, action, resource); //   \n", 2
                },
                new Object[] {
                    "before annotations and between policies",
                    "// head\n@id(\"a\") // on annotation\n@b\npermit (principal, action, resource);\n"
                            + "// between\nforbid (principal, action, resource)\nunless { // unless\n false };\n",
                    4
                },
                new Object[] {
                    "redundant parentheses dropped by the printer",
                    "permit (principal, action, resource) when { (( // deep\n 1 + 2)) == 3 && (context has a.b) };",
                    1
                },
                new Object[] {
                    "is-in sugar in a condition",
                    "permit (principal, action, resource) when {\n principal is User in // group\n Group::\"g\" };",
                    1
                },
                new Object[] {"crlf line ends", "// a\r\npermit (principal, // b\r\n action, resource);\r\n", 2},
                new Object[] {
                    "templates", "permit (principal == ?principal, // slot\n action, resource in ?resource);", 1
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tricky")
    void keepsCommentsInTrickyPlaces(String name, String src, int commentCount) {
        assertThat(comments(src)).as("comments found in the input").hasSize(commentCount);
        checkInvariants(src);
    }

    @Test
    void keepsCommentsOfConformanceFiles() {
        Map<String, String> files = ConformanceData.files(".cedar");
        int checked = 0;
        for (Map.Entry<String, String> f : files.entrySet()) {
            try {
                PolicyParser.parse(f.getValue());
            } catch (ParseException e) {
                continue; // some files are deliberately invalid
            }
            checkInvariants(f.getValue());
            checked++;
        }
        assertThat(checked).as("parsable .cedar files").isPositive();
    }

    @Test
    void commentsInsideAPolicyStayInsideIt() {
        String src = "permit (principal, action, resource) when { // one\n true };\n"
                + "forbid (principal, action, resource) // two\nunless { false };\n";
        String out = PolicyFormatter.formatSource(src);
        String[] policies = out.split("\n\n");
        assertThat(policies).hasSize(2);
        assertThat(policies[0]).contains("// one").doesNotContain("// two");
        assertThat(policies[1]).contains("// two").doesNotContain("// one");
    }

    @Test
    void separatesPoliciesByOneBlankLineAndKeepsBlankLinesBetweenComments() {
        String src = "\n\n// a\n\n\n\n// b\npermit (principal, action, resource);permit (principal, action, resource);"
                + "\n\n\n\n// c\n";
        String p = "permit (\n  principal,\n  action,\n  resource\n);";
        assertThat(PolicyFormatter.formatSource(src)).isEqualTo("// a\n\n// b\n" + p + "\n\n" + p + "\n\n// c\n");
    }

    @Test
    void examplesAreFormatted() throws IOException {
        Path examples = Path.of(System.getProperty("user.dir")).resolveSibling("examples");
        assumeTrue(Files.isDirectory(examples), "no examples/ directory next to the module");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(examples)) {
            files = walk.filter(p -> p.toString().endsWith(".cedar")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            String text = Files.readString(f);
            assertThat(PolicyFormatter.formatSource(text))
                    .as(f + " is formatted (run `portcullis format -w` on it)")
                    .isEqualTo(text);
        }
    }

    /** Comments kept (as a multiset), same policies, and idempotent. */
    static void checkInvariants(String src) {
        String once = PolicyFormatter.formatSource(src);
        assertThat(comments(once))
                .as("comments of\n%s\nformatted as\n%s", src, once)
                .containsExactlyInAnyOrderElementsOf(comments(src));
        List<Policy> before = PolicyParser.parse(src);
        List<Policy> after = PolicyParser.parse(once);
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            assertThat(Locations.sameIgnoringLocations(before.get(i), after.get(i)))
                    .as("policy %d of\n%s\nformatted as\n%s", i, src, once)
                    .isTrue();
        }
        assertThat(PolicyFormatter.formatSource(once))
                .as("formatting\n%s\nagain", once)
                .isEqualTo(once);
    }

    private static List<String> comments(String src) {
        return SourceLayout.parse(src).comments().stream()
                .map(c -> c.text().stripTrailing())
                .toList();
    }
}
