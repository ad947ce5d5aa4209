package dev.portcullis.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    private static LineReader reader(String text, int max) {
        return new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
    }

    @Test
    void linesOverTheLimitAreSkippedAndTheNextOnesRead() throws IOException {
        String big = "{\"result\":{\"t\":\"" + "y".repeat(200_000) + "\"},\"jsonrpc\":\"2.0\",\"id\":42}";
        LineReader r = reader(
                "{\"a\":1}\r\n" + big + "\n{\"b\":2}\n{\"jsonrpc\":\"2.0\",\"id\":7,\"x\":\"" + "z".repeat(3000)
                        + "\"}\nlast",
                2048);
        assertThat(new String(r.next(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(r.next()).isSameAs(LineReader.TOO_LONG);
        assertThat(r.tooLongId())
                .as("the id at the end, as the TypeScript SDK writes it")
                .isEqualTo(42);
        assertThat(new String(r.next(), StandardCharsets.UTF_8)).isEqualTo("{\"b\":2}");
        assertThat(r.next()).isSameAs(LineReader.TOO_LONG);
        assertThat(r.tooLongId())
                .as("the id at the start, as Jackson writes it")
                .isEqualTo(7);
        assertThat(new String(r.next(), StandardCharsets.UTF_8)).isEqualTo("last");
        assertThat(r.next()).isNull();
    }

    @Test
    void aTooLongLineWithoutAnIdHasNone() throws IOException {
        LineReader r = reader("{\"method\":\"notifications/message\",\"params\":\"" + "q".repeat(5000) + "\"}\n", 1024);
        assertThat(r.next()).isSameAs(LineReader.TOO_LONG);
        assertThat(r.tooLongId()).isEqualTo(-1);
        assertThat(r.next()).isNull();
    }
}
