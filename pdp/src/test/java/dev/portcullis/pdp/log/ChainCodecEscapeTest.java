package dev.portcullis.pdp.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The encoding's string escaping (an ASCII fast path, then UTF-8 bytes from the first other char)
 * gives exactly the bytes of the reference below, the byte-level escaping of the whole
 * {@code String.getBytes(UTF_8)} that the hashes in existing logs were made with.
 */
class ChainCodecEscapeTest {
    private static final String PREV = "ab".repeat(32);

    @Test
    void hash_ofRandomStrings_matchesTheReferenceEncoding() throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < 4000; i++) {
            DecisionRecord r = new DecisionRecord(
                    text(random, 40),
                    Instant.ofEpochSecond(random.nextLong(4_000_000_000L), random.nextInt(1_000_000_000)),
                    random.nextInt(8) == 0 ? null : text(random, 12),
                    text(random, 12),
                    text(random, 60),
                    text(random, 30),
                    text(random, 60),
                    text(random, i % 100 == 0 ? 20_000 : 400),
                    random.nextBoolean(),
                    List.of(text(random, 20), text(random, 20)),
                    random.nextBoolean() ? List.of() : List.of(text(random, 50)),
                    random.nextInt(8) == 0 ? null : text(random, 70),
                    random.nextLong(),
                    random.nextBoolean() ? null : text(random, 30),
                    List.of());
            long seq = random.nextLong(1, Long.MAX_VALUE);
            // a previous hash is hex, but a tampered head row could hold anything
            String prev = i % 10 == 0 ? text(random, 64) : PREV;
            byte[] expected = MessageDigest.getInstance("SHA-256").digest(reference(prev, seq, r));
            assertThat(ChainCodec.hash(prev, seq, r))
                    .as("entry %d: %s", i, r)
                    .isEqualTo(HexFormat.of().formatHex(expected));
            assertThat(ChainCodec.jsonArray(r.reasons()))
                    .isEqualTo(new String(referenceArray(r.reasons()), StandardCharsets.UTF_8));
        }
    }

    @Test
    void hash_ofStringsEndingOrTurningNonAsciiAnywhere_matchesTheReferenceEncoding() throws Exception {
        // every position of the first non-ASCII char, after escapes that grow the buffer
        List<String> tails = List.of("\u00e9", "\ud83d\ude00", "\ud800", "\udc00", "\ud800\"", "\u4e2d\u0001\\");
        for (String tail : tails) {
            for (int at = 0; at < 40; at++) {
                String s = "\"\\\u0000a".repeat(at / 4) + "\"\\\u0000a".substring(0, at % 4) + tail + "z\"";
                DecisionRecord r = new DecisionRecord(
                        s, Instant.EPOCH, s, s, s, s, s, s.repeat(300), true, List.of(s), List.of(), s, 1);
                byte[] expected = MessageDigest.getInstance("SHA-256").digest(reference(PREV, 1, r));
                assertThat(ChainCodec.hash(PREV, 1, r))
                        .as("%s at %d", tail, at)
                        .isEqualTo(HexFormat.of().formatHex(expected));
            }
        }
    }

    /** Mostly ASCII with quotes, backslashes and control chars; sometimes anything at all. */
    private static String text(Random random, int maxLength) {
        int n = random.nextInt(maxLength + 1);
        boolean asciiOnly = random.nextInt(3) == 0;
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(asciiOnly ? 4 : 9);
            switch (kind) {
                case 0, 1 -> b.append((char) random.nextInt(0x20, 0x80));
                case 2 -> b.append("\"\\\u007f".charAt(random.nextInt(3)));
                case 3 -> b.append((char) random.nextInt(0x20));
                case 4 -> b.append((char) random.nextInt(0x80, 0x800));
                case 5 -> b.append((char) random.nextInt(0x800, 0x10000)); // lone surrogates too
                case 6 -> b.appendCodePoint(random.nextInt(0x10000, 0x110000));
                case 7 -> b.append((char) random.nextInt(0xd800, 0xe000));
                default -> b.append('\ud83d').append('\ude00');
            }
        }
        return b.toString();
    }

    // the reference: the layout of ChainCodec's Javadoc, strings escaped as it did until 2026-11-29

    private static byte[] reference(String prev, long seq, DecisionRecord r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ascii(out, prev);
        ascii(out, "{\"v\":" + (r.sessionId() == null ? 1 : 2) + ",\"seq\":" + seq);
        List<String> keys =
                List.of("decisionId", "time", "kind", "caller", "principal", "action", "resource", "request");
        List<String> values = java.util.Arrays.asList(
                r.decisionId(),
                r.time().toString(),
                r.kind(),
                r.caller(),
                r.principal(),
                r.action(),
                r.resource(),
                r.requestJson());
        for (int i = 0; i < keys.size(); i++) {
            ascii(out, ",\"" + keys.get(i) + "\":");
            string(out, values.get(i));
        }
        ascii(out, ",\"allowed\":" + r.allowed() + ",\"reasons\":");
        out.writeBytes(referenceArray(r.reasons()));
        ascii(out, ",\"errors\":");
        out.writeBytes(referenceArray(r.errors()));
        ascii(out, ",\"policyVersion\":");
        string(out, r.policyVersion());
        ascii(out, ",\"latencyMicros\":" + r.latencyMicros());
        if (r.sessionId() != null) {
            ascii(out, ",\"sessionId\":");
            string(out, r.sessionId());
        }
        ascii(out, "}");
        return out.toByteArray();
    }

    private static byte[] referenceArray(List<String> items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ascii(out, "[");
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                ascii(out, ",");
            }
            string(out, items.get(i));
        }
        ascii(out, "]");
        return out.toByteArray();
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static void string(ByteArrayOutputStream out, String s) {
        if (s == null) {
            ascii(out, "null");
            return;
        }
        out.write('"');
        for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
            if (c == '"' || c == '\\') {
                out.write('\\');
                out.write(c);
            } else if (c >= 0 && c < 0x20) {
                ascii(out, String.format("\\u%04x", c));
            } else {
                out.write(c);
            }
        }
        out.write('"');
    }
}
