package dev.portcullis.pdp.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The documented canonical encoding (version 1) and chain hash. */
class ChainCodecTest {
    static final DecisionRecord SAMPLE = new DecisionRecord(
            "dec-1",
            Instant.parse("2025-01-02T03:04:05.120Z"),
            "evaluation",
            "ci",
            "User::\"alice\"",
            "Action::\"view\"",
            "Photo::\"a.jpg\"",
            "{\"context\":{}}",
            true,
            List.of("p1", "p2"),
            List.of(),
            "v7",
            42);

    @Test
    void encode_matchesTheDocumentedLayout() {
        // written by hand from the format in ChainCodec's Javadoc
        String expected = "{\"v\":1,\"seq\":3,\"decisionId\":\"dec-1\",\"time\":\"2025-01-02T03:04:05.120Z\","
                + "\"kind\":\"evaluation\",\"caller\":\"ci\",\"principal\":\"User::\\\"alice\\\"\","
                + "\"action\":\"Action::\\\"view\\\"\",\"resource\":\"Photo::\\\"a.jpg\\\"\","
                + "\"request\":\"{\\\"context\\\":{}}\",\"allowed\":true,\"reasons\":[\"p1\",\"p2\"],"
                + "\"errors\":[],\"policyVersion\":\"v7\",\"latencyMicros\":42}";
        assertThat(ChainCodec.encode(3, SAMPLE)).isEqualTo(expected);
    }

    @Test
    void hash_isSha256OfPrevHashThenEncoding() throws Exception {
        String prev = "ab".repeat(32);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] expected = sha.digest((prev + ChainCodec.encode(3, SAMPLE)).getBytes(StandardCharsets.UTF_8));
        assertThat(ChainCodec.hash(prev, 3, SAMPLE)).isEqualTo(HexFormat.of().formatHex(expected));
    }

    @Test
    void encode_isJsonWhoseValuesReadBackExactly() throws Exception {
        String awkward = "q\"b\\s/\u0000\u001f\u007f\u00e9\u4e2d\ud83d\ude00\n\t";
        DecisionRecord r = new DecisionRecord(
                awkward,
                Instant.EPOCH,
                null,
                awkward,
                awkward,
                "a",
                null,
                awkward,
                false,
                List.of(awkward),
                List.of("e: x"),
                null,
                -5);
        JsonNode json = new ObjectMapper().readTree(ChainCodec.encode(1, r));
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        assertThat(keys)
                .containsExactly(
                        "v",
                        "seq",
                        "decisionId",
                        "time",
                        "kind",
                        "caller",
                        "principal",
                        "action",
                        "resource",
                        "request",
                        "allowed",
                        "reasons",
                        "errors",
                        "policyVersion",
                        "latencyMicros");
        assertThat(json.get("decisionId").asText()).isEqualTo(awkward);
        assertThat(json.get("request").asText()).isEqualTo(awkward);
        assertThat(json.get("reasons").get(0).asText()).isEqualTo(awkward);
        assertThat(json.get("kind").isNull()).isTrue();
        assertThat(json.get("time").asText()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(json.get("latencyMicros").asLong()).isEqualTo(-5);
        assertThat(ChainCodec.encode(1, r)).doesNotContain("\n").doesNotContain("\u0000");
    }

    @Test
    void hash_changesWithEveryFieldSeqAndPrevHash() {
        DecisionRecord s = SAMPLE;
        List<DecisionRecord> variants = List.of(
                s,
                new DecisionRecord(
                        "x",
                        s.time(),
                        s.kind(),
                        s.caller(),
                        s.principal(),
                        s.action(),
                        s.resource(),
                        s.requestJson(),
                        s.allowed(),
                        s.reasons(),
                        s.errors(),
                        s.policyVersion(),
                        s.latencyMicros()),
                new DecisionRecord(
                        s.decisionId(),
                        s.time().plusNanos(1),
                        s.kind(),
                        s.caller(),
                        s.principal(),
                        s.action(),
                        s.resource(),
                        s.requestJson(),
                        s.allowed(),
                        s.reasons(),
                        s.errors(),
                        s.policyVersion(),
                        s.latencyMicros()),
                new DecisionRecord(
                        s.decisionId(),
                        s.time(),
                        s.kind(),
                        null,
                        s.principal(),
                        s.action(),
                        s.resource(),
                        s.requestJson(),
                        s.allowed(),
                        s.reasons(),
                        s.errors(),
                        s.policyVersion(),
                        s.latencyMicros()),
                new DecisionRecord(
                        s.decisionId(),
                        s.time(),
                        s.kind(),
                        s.caller(),
                        s.principal(),
                        s.action(),
                        s.resource(),
                        s.requestJson(),
                        false,
                        s.reasons(),
                        s.errors(),
                        s.policyVersion(),
                        s.latencyMicros()),
                new DecisionRecord(
                        s.decisionId(),
                        s.time(),
                        s.kind(),
                        s.caller(),
                        s.principal(),
                        s.action(),
                        s.resource(),
                        s.requestJson(),
                        s.allowed(),
                        List.of("p1,p2"),
                        s.errors(),
                        s.policyVersion(),
                        s.latencyMicros()),
                new DecisionRecord(
                        s.decisionId(),
                        s.time(),
                        s.kind(),
                        s.caller(),
                        s.principal(),
                        s.action(),
                        s.resource(),
                        s.requestJson(),
                        s.allowed(),
                        List.of("p2", "p1"),
                        s.errors(),
                        s.policyVersion(),
                        s.latencyMicros()),
                new DecisionRecord(
                        s.decisionId(),
                        s.time(),
                        s.kind(),
                        s.caller(),
                        s.principal(),
                        s.action(),
                        s.resource(),
                        s.requestJson(),
                        s.allowed(),
                        s.reasons(),
                        s.errors(),
                        s.policyVersion(),
                        43));
        Set<String> hashes = new HashSet<>();
        for (DecisionRecord v : variants) {
            hashes.add(ChainCodec.hash(ChainCodec.GENESIS, 1, v));
        }
        hashes.add(ChainCodec.hash(ChainCodec.GENESIS, 2, s));
        hashes.add(ChainCodec.hash("1" + ChainCodec.GENESIS.substring(1), 1, s));
        assertThat(hashes).hasSize(variants.size() + 2);
    }

    @Test
    void epochNanos_isExactAndRejectsTimesOutsideItsRange() {
        Instant t = Instant.parse("1900-05-06T07:08:09.987654321Z");
        assertThat(ChainCodec.fromEpochNanos(ChainCodec.epochNanos(t))).isEqualTo(t);
        assertThatThrownBy(() -> ChainCodec.epochNanos(Instant.parse("2300-01-01T00:00:00Z")))
                .isInstanceOf(DecisionLogException.class)
                .hasMessageContaining("`2300-01-01T00:00:00Z`");
        assertThat(ChainCodec.epochNanosClamped(Instant.MAX)).isEqualTo(Long.MAX_VALUE);
        assertThat(ChainCodec.epochNanosClamped(Instant.MIN)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void encode_withASession_isVersion2WithTheSessionLast() {
        DecisionRecord inSession = SAMPLE.withSessionId("ses_\"1");
        String v1 = ChainCodec.encode(3, SAMPLE);
        String v2 = ChainCodec.encode(3, inSession);
        assertThat(v2)
                .isEqualTo("{\"v\":2" + v1.substring("{\"v\":1".length(), v1.length() - 1)
                        + ",\"sessionId\":\"ses_\\\"1\"}");
        assertThat(ChainCodec.hash("0".repeat(64), 3, inSession))
                .isNotEqualTo(ChainCodec.hash("0".repeat(64), 3, SAMPLE));
    }

    @Test
    void encode_inASubAgentsSession_isVersion3WithTheParentsLast() {
        DecisionRecord inSession = SAMPLE.withSessionId("ses_c");
        DecisionRecord inChild = SAMPLE.withSession("ses_c", List.of("ses_\"p", "ses_r"));
        String v2 = ChainCodec.encode(3, inSession);
        assertThat(ChainCodec.encode(3, inChild))
                .isEqualTo("{\"v\":3" + v2.substring("{\"v\":2".length(), v2.length() - 1)
                        + ",\"sessionParents\":[\"ses_\\\"p\",\"ses_r\"]}");
        // a session without parents stays version 2, as it was before version 3
        assertThat(SAMPLE.withSession("ses_c", List.of())).isEqualTo(inSession);
        assertThat(ChainCodec.hash("0".repeat(64), 3, inChild))
                .isNotEqualTo(ChainCodec.hash("0".repeat(64), 3, inSession));
    }

    @Test
    void hash_ofAwkwardEntries_isFrozen() {
        // hashes of entries already in logs must never change: these values were computed with
        // the first (char-by-char) implementation of the encoding; a lone surrogate is encoded
        // as UTF-8 encodes it ('?'), as String.getBytes always did
        String awkward = "q\"b\\s/\u0000\u001f\u007f\u00e9\u4e2d\ud83d\ude00\n\t";
        DecisionRecord r = new DecisionRecord(
                awkward,
                Instant.parse("2025-01-02T03:04:05.000000120Z"),
                null,
                "lone \ud800 high",
                awkward,
                "a",
                null,
                "{\"principal\":{\"type\":\"User\",\"id\":\"\u00e9\\\"x\"},\"context\":{}}",
                false,
                List.of(awkward, "p"),
                List.of("e: x", "lone low \udc00"),
                null,
                -5);
        assertThat(ChainCodec.hash(ChainCodec.GENESIS, 1, r))
                .isEqualTo("736c5c953b3f8fb75af0582fcab1cbfff7bf6ec17dfeeb698003bdc30a17935e");
        assertThat(ChainCodec.hash("ab".repeat(32), Long.MAX_VALUE, r.withSessionId("\u0001s")))
                .isEqualTo("4ac149fb07b0495a1a226a76bd0bb463cf935c08f9bbcaec6bf90665e20f4c6c");
        assertThat(ChainCodec.hash(ChainCodec.GENESIS, 3, SAMPLE))
                .isEqualTo("f893923275feff6e896fb45182fb8cb8a479ae7384234c3c14ea3b28b74411e0");
    }

    @Test
    void time_isWrittenExactlyAsInstantToString() throws Exception {
        // the encoding writes the time digit by digit; it must stay Instant.toString's text
        List<Instant> times = new ArrayList<>(List.of(
                Instant.EPOCH,
                Instant.ofEpochSecond(0, 1),
                Instant.parse("1972-02-29T23:59:59.999999999Z"),
                Instant.parse("2000-02-29T12:00:00.100Z"),
                Instant.parse("2100-03-01T00:00:00.000100Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("1969-12-31T23:59:59.5Z"),
                Instant.parse("0001-01-01T00:00:00Z")));
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            long secs = random.nextLong(253_402_300_800L);
            int nano =
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1000;
                        default -> random.nextInt(1_000_000_000);
                    };
            times.add(Instant.ofEpochSecond(secs, nano));
        }
        ObjectMapper json = new ObjectMapper();
        for (Instant t : times) {
            DecisionRecord r =
                    new DecisionRecord("d", t, "k", "c", "p", "a", "r", "{}", true, List.of(), List.of(), "v", 1);
            assertThat(json.readTree(ChainCodec.encode(1, r)).get("time").asText())
                    .as("time %s", t)
                    .isEqualTo(t.toString());
        }
    }
}
