package dev.portcullis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.pdp.log.DecisionLog;
import dev.portcullis.pdp.log.DecisionLogs;
import dev.portcullis.pdp.log.DecisionRecord;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portcullis audit verify|tail} on real logs. */
class AuditCommandTest {
    static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    @TempDir
    Path dir;

    Path file;
    String url;

    @BeforeEach
    void writeLog() {
        file = dir.resolve("decisions.db");
        url = "sqlite:" + file;
        append(url, 0, 10);
    }

    static void append(String url, int from, int to) {
        // a batch per entry: a row per entry, which the tests below edit and delete with SQL
        try (DecisionLog log =
                DecisionLogs.open(url, DecisionLogs.Options.defaults().withMaxBatch(1, Duration.ZERO))) {
            for (int i = from; i < to; i++) {
                log.append(record(i));
            }
        }
    }

    static DecisionRecord record(int i) {
        return new DecisionRecord(
                "d-" + i,
                T0.plusSeconds(i),
                "evaluation",
                "key",
                "User::\"u" + (i % 2) + "\"",
                "Action::\"view\"",
                "Photo::\"p" + i + "\"",
                "{\"n\":" + i + "}",
                i % 3 != 0,
                i % 3 != 0 ? List.of("viewers") : List.of(),
                List.of(),
                "v1",
                10);
    }

    void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement()) {
            st.executeUpdate(statement);
        }
    }

    static List<JsonNode> lines(MainTest.Run r) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.out().strip().split("\n")) {
            if (!line.isBlank()) {
                out.add(new ObjectMapper().readTree(line));
            }
        }
        return out;
    }

    @Test
    void verify_intactLog() {
        MainTest.Run r = MainTest.run("audit", "verify", "--log", url);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out().strip()).isEqualTo("ok: 10 entries");
    }

    @Test
    void verify_namesTheEditedEntry() throws SQLException {
        // entry 4 holds record 3, the only one about Photo::"p3"
        sql("UPDATE decision_log_batch SET entries ="
                + " CAST(replace(CAST(entries AS TEXT), 'Photo::\\\"p3\\\"', 'Photo::\\\"p9\\\"') AS BLOB)");
        MainTest.Run r = MainTest.run("audit", "verify", "--log", url);
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).startsWith("broken at entry 4: ");
    }

    @Test
    void verify_namesTheDeletedEntry() throws SQLException {
        sql("DELETE FROM decision_log_batch WHERE first_seq = 7");
        MainTest.Run r = MainTest.run("audit", "verify", "--log", url);
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).startsWith("broken at entry 7: ").contains("missing");
    }

    @Test
    void verify_missingFileIsAnErrorNotAnEmptyLog() {
        MainTest.Run r = MainTest.run("audit", "verify", "--log", "sqlite:" + dir.resolve("nope.db"));
        MainTest.assertOneLineError(r);
        assertThat(r.err()).contains("nope.db");
        assertThat(dir.resolve("nope.db")).doesNotExist();
    }

    @Test
    void badUrlsAreOneLineErrors() {
        for (String bad :
                List.of("mysql://host/db", "sqlite:", "postgresql:///db", "postgresql://host", "sqlite::memory:")) {
            MainTest.Run r = MainTest.run("audit", "verify", "--log", bad);
            MainTest.assertOneLineError(r);
            assertThat(r.err()).as(bad).contains("`");
        }
    }

    @Test
    void tail_printsTheNewestEntriesAsJsonLinesOldestFirst() throws Exception {
        MainTest.Run r = MainTest.run("audit", "tail", "-n", "3", "--log", url);
        assertThat(r.code()).as(r.toString()).isZero();
        List<JsonNode> lines = lines(r);
        assertThat(lines).extracting(j -> j.get("seq").asLong()).containsExactly(8L, 9L, 10L);
        JsonNode last = lines.getLast();
        assertThat(last.get("decision_id").asText()).isEqualTo("d-9");
        assertThat(last.get("decision").asText()).isEqualTo("deny");
        assertThat(last.get("request").get("n").asInt()).isEqualTo(9);
        assertThat(last.get("prev_hash").asText())
                .isEqualTo(lines.get(1).get("hash").asText());
    }

    @Test
    void tail_filters() throws Exception {
        MainTest.Run r = MainTest.run(
                "audit",
                "tail",
                "--log",
                url,
                "--decision",
                "allow",
                "--principal",
                "User::\"u1\"",
                "--policy",
                "viewers",
                "--since",
                T0.plusSeconds(2).toString());
        assertThat(r.code()).as(r.toString()).isZero();
        // allowed (i % 3 != 0), principal u1 (odd i), at or after i = 2: i = 5 and 7
        assertThat(lines(r)).extracting(j -> j.get("decision_id").asText()).containsExactly("d-5", "d-7");
    }

    @Test
    void tail_badTimeIsAnError() {
        MainTest.Run r = MainTest.run("audit", "tail", "--log", url, "--since", "yesterday");
        MainTest.assertOneLineError(r);
        assertThat(r.err()).contains("`yesterday`");
    }

    @Test
    void tail_followPrintsNewEntries() throws Exception {
        StringWriter out = new StringWriter();
        Thread follower = new Thread(() -> Main.run(
                new String[] {"audit", "tail", "-n", "1", "--follow", "--log", url},
                new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out),
                new PrintWriter(new StringWriter())));
        follower.start();
        try {
            waitFor(out, "\"d-9\"");
            append(url, 10, 12);
            waitFor(out, "\"d-11\"");
        } finally {
            follower.interrupt();
            follower.join(5000);
        }
        assertThat(out.toString().strip().split("\n"))
                .extracting(line -> new ObjectMapper().readTree(line).get("seq").asLong())
                .containsExactly(10L, 11L, 12L);
    }

    static void waitFor(StringWriter out, String text) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!out.toString().contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(out.toString()).contains(text);
    }

    @Test
    void verify_postgresUrl() throws SQLException {
        String server = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
        Connection c;
        try {
            c = DriverManager.getConnection(server);
        } catch (SQLException unreachable) {
            Assumptions.abort("PostgreSQL is not reachable at `" + server + "`: " + unreachable.getMessage());
            return;
        }
        String schema = "audit_" + UUID.randomUUID().toString().replace("-", "");
        try (c;
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
            try {
                // the libpq-style URL, user in the authority
                String pg = "postgresql://postgres@127.0.0.1:5432/test?currentSchema=" + schema;
                append(pg, 0, 5);
                MainTest.Run r = MainTest.run("audit", "verify", "--log", pg);
                assertThat(r.code()).as(r.toString()).isZero();
                assertThat(r.out().strip()).isEqualTo("ok: 5 entries");
            } finally {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
