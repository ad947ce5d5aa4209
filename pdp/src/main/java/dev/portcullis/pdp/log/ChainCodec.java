package dev.portcullis.pdp.log;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The canonical encoding of a log entry and its chain hash.
 *
 * <pre>
 * Canonical encoding, version 1 (what {@link #encode} produces for an entry without a session; a
 * verifier in any language can reproduce it from a row):
 *
 *   a JSON object without any whitespace, with exactly these keys in exactly this order:
 *     {"v":1,"seq":N,"decisionId":S,"time":S,"kind":S,"caller":S,"principal":S,"action":S,
 *      "resource":S,"request":S,"allowed":B,"reasons":[S,...],"errors":[S,...],
 *      "policyVersion":S,"latencyMicros":N}
 *   N  a decimal integer, '-' for negatives, no leading zeros, no exponent
 *   B  true or false
 *   S  a JSON string, or null for an absent value; escaping is fixed: '"' as \", '\' as \\,
 *      U+0000..U+001F as backslash-u and 4 lowercase hex digits, every other character
 *      literally; "request" is the request JSON as one string (it is not re-canonicalised)
 *   time  ISO-8601 in UTC as java.time.format.DateTimeFormatter.ISO_INSTANT prints it
 *         (fraction digits in groups of 3, only as many as needed: 2025-01-02T03:04:05.120Z)
 *
 *   Version 2, for an entry made in an agent session (session_id not null): the same object with
 *   "v":2 and one more key at the end:
 *     {"v":2, ...as version 1... ,"latencyMicros":N,"sessionId":S}
 *   An entry without a session is always encoded as version 1, so logs written before sessions
 *   existed, and every entry outside a session, hash exactly as before.
 *
 *   bytes = UTF-8 of that text.
 *   hash(entry) = lowercase hex of SHA-256( ASCII(prevHash) || bytes )
 *   prevHash of the first entry = 64 zeros; of entry n = hash(entry n-1).
 * </pre>
 *
 * The sequence number is part of the encoding so that renumbering rows to hide a deletion breaks
 * the hashes. "v" leads the object so that a future encoding can be told apart entry by entry.
 */
final class ChainCodec {
    static final int VERSION = 1;
    /** The encoding of entries that name a session. */
    static final int VERSION_SESSION = 2;

    static final String GENESIS = "0".repeat(64);

    private static final HexFormat HEX = HexFormat.of();
    /** A digest per thread: looking one up costs about as much as hashing an entry. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(ChainCodec::sha256);

    private ChainCodec() {}

    /** The canonical encoding (version 1, or 2 with a session) of entry {@code seq} holding {@code r}. */
    static String encode(long seq, DecisionRecord r) {
        StringBuilder b = new StringBuilder(256 + length(r.requestJson()));
        b.append("{\"v\":").append(r.sessionId() == null ? VERSION : VERSION_SESSION);
        b.append(",\"seq\":").append(seq);
        b.append(",\"decisionId\":");
        string(b, r.decisionId());
        b.append(",\"time\":");
        string(b, r.time() == null ? null : r.time().toString());
        b.append(",\"kind\":");
        string(b, r.kind());
        b.append(",\"caller\":");
        string(b, r.caller());
        b.append(",\"principal\":");
        string(b, r.principal());
        b.append(",\"action\":");
        string(b, r.action());
        b.append(",\"resource\":");
        string(b, r.resource());
        b.append(",\"request\":");
        string(b, r.requestJson());
        b.append(",\"allowed\":").append(r.allowed());
        b.append(",\"reasons\":");
        array(b, r.reasons());
        b.append(",\"errors\":");
        array(b, r.errors());
        b.append(",\"policyVersion\":");
        string(b, r.policyVersion());
        b.append(",\"latencyMicros\":").append(r.latencyMicros());
        if (r.sessionId() != null) {
            b.append(",\"sessionId\":");
            string(b, r.sessionId());
        }
        return b.append('}').toString();
    }

    /** The chain hash of entry {@code seq} holding {@code r} after an entry hashed {@code prevHash}. */
    static String hash(String prevHash, long seq, DecisionRecord r) {
        MessageDigest sha = SHA256.get();
        sha.reset();
        sha.update(prevHash.getBytes(StandardCharsets.US_ASCII));
        sha.update(encode(seq, r).getBytes(StandardCharsets.UTF_8));
        return HEX.formatHex(sha.digest());
    }

    /**
     * A JSON array of strings with the same escaping; also how the stores keep {@code reasons}
     * and {@code errors} in one column (so a row re-reads to exactly the hashed lists).
     */
    static String jsonArray(List<String> items) {
        if (items.isEmpty()) {
            return "[]";
        }
        StringBuilder b = new StringBuilder();
        array(b, items);
        return b.toString();
    }

    /** Exact time in nanoseconds since the epoch, the stores' time column. */
    static long epochNanos(Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (ArithmeticException e) {
            throw new DecisionLogException("decision time `" + t + "` is outside the loggable range");
        }
    }

    static Instant fromEpochNanos(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** Clamps a query bound to the time column's range instead of failing on far-away instants. */
    static long epochNanosClamped(Instant t) {
        if (t.isBefore(fromEpochNanos(Long.MIN_VALUE))) {
            return Long.MIN_VALUE;
        }
        if (t.isAfter(fromEpochNanos(Long.MAX_VALUE))) {
            return Long.MAX_VALUE;
        }
        return epochNanos(t);
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    private static void array(StringBuilder b, List<String> items) {
        b.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            string(b, items.get(i));
        }
        b.append(']');
    }

    private static void string(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        // runs of characters that need no escape are copied whole: most strings (ids, the
        // request JSON's text outside its quotes) have long runs, and a char-by-char append
        // cost the writer more than the SHA-256 itself
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20) {
                b.append(s, run, i);
                run = i + 1;
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    default ->
                        b.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                }
            }
        }
        if (run == 0) {
            b.append(s);
        } else {
            b.append(s, run, s.length());
        }
        b.append('"');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
