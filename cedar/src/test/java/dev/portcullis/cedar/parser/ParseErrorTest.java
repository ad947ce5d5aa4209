package dev.portcullis.cedar.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs the table {@code parse-errors.txt}: each input must fail at the given position with the given message. */
class ParseErrorTest {

    record Case(String kind, String input, String at, String fragment) {
        @Override
        public String toString() {
            return kind + ": " + input.replace("\n", "⏎");
        }
    }

    static Stream<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        try (InputStream in = ParseErrorTest.class.getResourceAsStream("parse-errors.txt")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (line.startsWith("expr: ") || line.startsWith("policy: ")) {
                    int colon = line.indexOf(": ");
                    String at = lines[i + 1];
                    String msg = lines[i + 2];
                    assertThat(at).startsWith("at: ");
                    assertThat(msg).startsWith("msg: ");
                    out.add(new Case(
                            line.substring(0, colon),
                            line.substring(colon + 2).replace("⏎", "\n"),
                            at.substring(4),
                            msg.substring(5)));
                }
            }
        }
        assertThat(out).hasSizeGreaterThan(60);
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsWithPositionAndMessage(Case c) {
        ParseException e = catchThrowableOfType(ParseException.class, () -> {
            if (c.kind.equals("expr")) {
                PolicyParser.parseExpr(c.input);
            } else {
                PolicyParser.parse(c.input);
            }
        });
        assertThat(e).as("expected a parse error").isNotNull();
        assertThat(e.getMessage()).startsWith(c.at + ": ").contains(c.fragment);
        assertThat(e.line() + ":" + e.column()).isEqualTo(c.at);
        assertThat(e.getMessage()).doesNotContain("\n");
    }
}
