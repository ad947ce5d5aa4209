package dev.portcullis.pdp.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
 *   Version 3, for an entry made in a sub-agent's session (sessionParents not empty): version 2
 *   with "v":3 and one more key at the end, the session's ancestors, its parent first:
 *     {"v":3, ...as version 2... ,"sessionId":S,"sessionParents":[S,...]}
 *   A session without a parent is encoded as version 2, as before version 3 existed.
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
    /** The encoding of entries that name a sub-agent's session, with its ancestors. */
    static final int VERSION_SESSION_PARENTS = 3;

    static final String GENESIS = "0".repeat(64);

    private static final HexFormat HEX = HexFormat.of();
    /** A digest per thread: looking one up costs about as much as hashing an entry. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(ChainCodec::sha256);
    /** The encoding buffer per thread (the log's writer, a verifier): no garbage per entry. */
    private static final ThreadLocal<Utf8> BUFFER = ThreadLocal.withInitial(() -> new Utf8(1024));

    private static final int MAX_KEPT_BUFFER = 64 * 1024;
    /** 9999-12-31T23:59:59Z: the last second {@code Instant.toString} prints with a four-digit year. */
    private static final long LAST_FOUR_DIGIT_SECOND = 253_402_300_799L;

    private ChainCodec() {}

    /** The canonical encoding (version 1, or 2 with a session) of entry {@code seq} holding {@code r}. */
    static String encode(long seq, DecisionRecord r) {
        Utf8 out = new Utf8(256 + length(r.requestJson()));
        encode(out, seq, r);
        return new String(out.buf, 0, out.len, StandardCharsets.UTF_8);
    }

    /** The chain hash of entry {@code seq} holding {@code r} after an entry hashed {@code prevHash}. */
    static String hash(String prevHash, long seq, DecisionRecord r) {
        Utf8 out = BUFFER.get();
        out.len = 0;
        out.asciiOf(prevHash);
        encode(out, seq, r);
        MessageDigest sha = SHA256.get();
        sha.reset();
        sha.update(out.buf, 0, out.len);
        if (out.buf.length > MAX_KEPT_BUFFER || out.chars.length > MAX_KEPT_BUFFER) {
            BUFFER.remove(); // one huge request must not pin its buffer to the writer for good
        }
        return HEX.formatHex(sha.digest());
    }

    /**
     * Writes the UTF-8 bytes of the canonical encoding straight into {@code out}: each string is
     * encoded with {@link String#getBytes} and escaped byte by byte (the bytes to escape are all
     * ASCII, and no UTF-8 sequence contains an ASCII byte), which gives exactly the bytes of
     * encoding the whole text at once, at a fraction of the cost of building it char by char.
     */
    private static void encode(Utf8 out, long seq, DecisionRecord r) {
        out.ascii("{\"v\":")
                .ascii(
                        r.sessionId() == null
                                ? VERSION
                                : r.sessionParents().isEmpty() ? VERSION_SESSION : VERSION_SESSION_PARENTS);
        out.ascii(",\"seq\":").ascii(seq);
        out.ascii(",\"decisionId\":").string(r.decisionId());
        out.ascii(",\"time\":").instant(r.time());
        out.ascii(",\"kind\":").string(r.kind());
        out.ascii(",\"caller\":").string(r.caller());
        out.ascii(",\"principal\":").string(r.principal());
        out.ascii(",\"action\":").string(r.action());
        out.ascii(",\"resource\":").string(r.resource());
        out.ascii(",\"request\":").string(r.requestJson());
        out.ascii(",\"allowed\":").ascii(r.allowed() ? "true" : "false");
        out.ascii(",\"reasons\":").array(r.reasons());
        out.ascii(",\"errors\":").array(r.errors());
        out.ascii(",\"policyVersion\":").string(r.policyVersion());
        out.ascii(",\"latencyMicros\":").ascii(r.latencyMicros());
        if (r.sessionId() != null) {
            out.ascii(",\"sessionId\":").string(r.sessionId());
            if (!r.sessionParents().isEmpty()) {
                out.ascii(",\"sessionParents\":").array(r.sessionParents());
            }
        }
        out.ascii("}");
    }

    /** The UTF-8 of {@code s} as the encoding writes a string value (a JSON string, or null). */
    static byte[] jsonString(String s) {
        Utf8 out = new Utf8(16 + length(s));
        out.string(s);
        return Arrays.copyOf(out.buf, out.len);
    }

    /**
     * The entries of one row of the SQLite batch layout and their chain hashes, built by one
     * thread (the log's writer) and reused from row to row.
     *
     * <pre>
     * entries  UTF-8 of a JSON array of canonical encodings in seq order, one per line:
     *            '[' e1 ',' '\n' e2 ',' '\n' ... en ']'
     *          (an encoding holds no raw line break: control characters are escaped)
     * hashes   the entries' chain hashes, 32 bytes each, in the same order
     * </pre>
     */
    static final class Batch {
        private final Utf8 out = new Utf8(64 * 1024);
        private final MessageDigest sha = sha256();
        /** ASCII hex of the hash before the next entry (what the chain hashes it after). */
        private final byte[] prevHex = new byte[64];

        private byte[] hashes = new byte[32 * 512];
        private byte[] firstPrev = new byte[32];
        private long firstSeq;
        private int count;
        private long minTime;
        private long maxTime;

        /** Starts a row whose first entry is {@code firstSeq}, after an entry hashed {@code prevHash}. */
        void start(long firstSeq, byte[] prevHash) {
            this.firstSeq = firstSeq;
            this.firstPrev = prevHash.clone();
            hexAscii(prevHash, prevHex);
            count = 0;
            out.len = 0;
            minTime = Long.MAX_VALUE;
            maxTime = Long.MIN_VALUE;
            if (out.buf.length > 4 * MAX_BATCH_ROW_BYTES) {
                out.buf = new byte[64 * 1024]; // one huge request must not pin its buffer for good
            }
        }

        /** Appends {@code r} as entry {@link #nextSeq()} and chains its hash. */
        void add(DecisionRecord r) {
            out.ascii(count == 0 ? "[" : ",\n");
            int from = out.len;
            encode(out, firstSeq + count, r);
            sha.reset();
            sha.update(prevHex);
            sha.update(out.buf, from, out.len - from);
            if (hashes.length < 32 * (count + 1)) {
                hashes = Arrays.copyOf(hashes, 2 * hashes.length);
            }
            try {
                sha.digest(hashes, 32 * count, 32);
            } catch (DigestException e) {
                throw new IllegalStateException("SHA-256 digests are 32 bytes", e);
            }
            hexAscii(hashes, 32 * count, prevHex);
            long t = epochNanos(r.time());
            minTime = Math.min(minTime, t);
            maxTime = Math.max(maxTime, t);
            count++;
        }

        long firstSeq() {
            return firstSeq;
        }

        long nextSeq() {
            return firstSeq + count;
        }

        int count() {
            return count;
        }

        /** Whether the row is large enough to be written before more entries join it. */
        boolean full() {
            return out.len >= MAX_BATCH_ROW_BYTES;
        }

        long minTime() {
            return minTime;
        }

        long maxTime() {
            return maxTime;
        }

        byte[] firstPrevHash() {
            return firstPrev;
        }

        /** The entries column: closes the array, so call it once per row, after the last add. */
        byte[] entries() {
            out.ascii("]");
            return Arrays.copyOf(out.buf, out.len);
        }

        byte[] hashes() {
            return Arrays.copyOf(hashes, 32 * count);
        }

        /** The last entry's hash (the next row's first prevHash). */
        byte[] lastHash() {
            return Arrays.copyOfRange(hashes, 32 * (count - 1), 32 * count);
        }
    }

    /** An entry read back from its canonical encoding. */
    record Decoded(long seq, DecisionRecord record) {}

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Reads the canonical encoding in {@code bytes[from, to)}: its keys in exactly the order of
     * its version. Lenient only where JSON allows several spellings of one value (escapes); a
     * verifier compares the bytes with {@link #isEncodingOf} for that.
     *
     * @throws IllegalArgumentException naming what is wrong, when it is not such an encoding
     */
    static Decoded decode(byte[] bytes, int from, int to) {
        try (JsonParser p = JSON.createParser(bytes, from, to - from)) {
            expect(p, JsonToken.START_OBJECT, "an object");
            int v = (int) number(p, "v");
            if (v < VERSION || v > VERSION_SESSION_PARENTS) {
                throw new IllegalArgumentException("unknown encoding version " + v);
            }
            long seq = number(p, "seq");
            String decisionId = string(p, "decisionId");
            String time = string(p, "time");
            if (time == null) {
                throw new IllegalArgumentException("`time` is null");
            }
            String kind = string(p, "kind");
            String caller = string(p, "caller");
            String principal = string(p, "principal");
            String action = string(p, "action");
            String resource = string(p, "resource");
            String request = string(p, "request");
            key(p, "allowed");
            JsonToken b = p.nextToken();
            if (b != JsonToken.VALUE_TRUE && b != JsonToken.VALUE_FALSE) {
                throw new IllegalArgumentException("`allowed` is not a boolean");
            }
            boolean allowed = b == JsonToken.VALUE_TRUE;
            List<String> reasons = strings(p, "reasons");
            List<String> errors = strings(p, "errors");
            String policyVersion = string(p, "policyVersion");
            long latency = number(p, "latencyMicros");
            String sessionId = v >= VERSION_SESSION ? string(p, "sessionId") : null;
            List<String> parents = v == VERSION_SESSION_PARENTS ? strings(p, "sessionParents") : List.of();
            expect(p, JsonToken.END_OBJECT, "the end of the entry");
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("text after the entry");
            }
            if (v >= VERSION_SESSION && sessionId == null) {
                throw new IllegalArgumentException("`sessionId` is null in a version " + v + " entry");
            }
            return new Decoded(
                    seq,
                    new DecisionRecord(
                            decisionId,
                            Instant.parse(time),
                            kind,
                            caller,
                            principal,
                            action,
                            resource,
                            request,
                            allowed,
                            reasons,
                            errors,
                            policyVersion,
                            latency,
                            sessionId,
                            parents));
        } catch (IOException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(
                    e.getMessage().lines().findFirst().orElse("malformed"), e);
        }
    }

    private static void expect(JsonParser p, JsonToken t, String what) throws IOException {
        if (p.nextToken() != t) {
            throw new IllegalArgumentException(
                    "expected " + what + " at byte " + p.currentTokenLocation().getByteOffset());
        }
    }

    private static void key(JsonParser p, String name) throws IOException {
        if (p.nextToken() != JsonToken.FIELD_NAME || !name.equals(p.currentName())) {
            throw new IllegalArgumentException("expected key `" + name + "` at byte "
                    + p.currentTokenLocation().getByteOffset());
        }
    }

    private static long number(JsonParser p, String name) throws IOException {
        key(p, name);
        if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new IllegalArgumentException("`" + name + "` is not an integer");
        }
        return p.getLongValue();
    }

    private static String string(JsonParser p, String name) throws IOException {
        key(p, name);
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("`" + name + "` is not a string");
        }
        return p.getText();
    }

    private static List<String> strings(JsonParser p, String name) throws IOException {
        key(p, name);
        if (p.nextToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("`" + name + "` is not an array");
        }
        List<String> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_STRING) {
                throw new IllegalArgumentException("`" + name + "` holds something other than strings");
            }
            out.add(p.getText());
        }
        return out;
    }

    /** Rows of the batch layout are cut at about this many bytes of entries. */
    static final int MAX_BATCH_ROW_BYTES = 1 << 20;

    private static final byte[] HEX_ASCII = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    static void hexAscii(byte[] hash, byte[] out64) {
        hexAscii(hash, 0, out64);
    }

    private static void hexAscii(byte[] hash, int from, byte[] out64) {
        for (int i = 0; i < 32; i++) {
            int b = hash[from + i] & 0xff;
            out64[2 * i] = HEX_ASCII[b >> 4];
            out64[2 * i + 1] = HEX_ASCII[b & 15];
        }
    }

    /** The chain hash of an entry whose canonical encoding is {@code bytes[from, to)}. */
    static byte[] hashEncoded(byte[] prevHash, byte[] bytes, int from, int to) {
        byte[] prevHex = new byte[64];
        hexAscii(prevHash, prevHex);
        MessageDigest sha = SHA256.get();
        sha.reset();
        sha.update(prevHex);
        sha.update(bytes, from, to - from);
        return sha.digest();
    }

    /** Whether {@code bytes[from, to)} is exactly the canonical encoding of entry {@code seq} holding {@code r}. */
    static boolean isEncodingOf(byte[] bytes, int from, int to, long seq, DecisionRecord r) {
        Utf8 out = BUFFER.get();
        out.len = 0;
        encode(out, seq, r);
        boolean same = Arrays.equals(out.buf, 0, out.len, bytes, from, to);
        if (out.buf.length > MAX_KEPT_BUFFER || out.chars.length > MAX_KEPT_BUFFER) {
            BUFFER.remove();
        }
        return same;
    }

    /**
     * A JSON array of strings with the same escaping; also how the stores keep {@code reasons}
     * and {@code errors} in one column (so a row re-reads to exactly the hashed lists).
     */
    static String jsonArray(List<String> items) {
        if (items.isEmpty()) {
            return "[]";
        }
        Utf8 out = new Utf8(64);
        out.array(items);
        return new String(out.buf, 0, out.len, StandardCharsets.UTF_8);
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

    /** A growable UTF-8 byte buffer with the encoding's few writing operations. */
    private static final class Utf8 {
        private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        /** Per ASCII char: 0 to write it as it is, else the char after its backslash. */
        private static final byte[] ESCAPE = new byte[0x80];

        static {
            for (int c = 0; c < 0x20; c++) {
                ESCAPE[c] = 'u';
            }
            ESCAPE['"'] = '"';
            ESCAPE['\\'] = '\\';
        }

        byte[] buf;
        int len;
        /** The chars of the string being written. */
        char[] chars = new char[0];

        Utf8(int capacity) {
            buf = new byte[capacity];
        }

        private void room(int n) {
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        private void put(byte[] b, int from, int to) {
            room(to - from);
            System.arraycopy(b, from, buf, len, to - from);
            len += to - from;
        }

        /** Text known to be ASCII (keys, numbers, literals). */
        Utf8 ascii(String s) {
            room(s.length());
            for (int i = 0; i < s.length(); i++) {
                buf[len++] = (byte) s.charAt(i);
            }
            return this;
        }

        /** {@code s} as {@code getBytes(US_ASCII)} encodes it ('?' for what is not ASCII). */
        Utf8 asciiOf(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) >= 0x80) {
                    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
                    put(b, 0, b.length);
                    return this;
                }
            }
            return ascii(s);
        }

        Utf8 ascii(long n) {
            return ascii(Long.toString(n));
        }

        /**
         * {@code t} as a JSON string in ISO_INSTANT form, exactly as {@link Instant#toString}
         * prints it; written digit by digit for the years 1970 to 9999 (every decision's time),
         * through {@code toString} otherwise.
         */
        Utf8 instant(Instant t) {
            if (t == null) {
                return ascii("null");
            }
            long secs = t.getEpochSecond();
            if (secs < 0 || secs > LAST_FOUR_DIGIT_SECOND) {
                return string(t.toString());
            }
            long days = secs / 86_400;
            int secOfDay = (int) (secs % 86_400);
            // civil date from days since 1970-01-01 (era-based, proleptic Gregorian)
            long z = days + 719_468;
            long era = z / 146_097;
            int doe = (int) (z - era * 146_097);
            int yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
            int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            int mp = (5 * doy + 2) / 153;
            int day = doy - (153 * mp + 2) / 5 + 1;
            int month = mp < 10 ? mp + 3 : mp - 9;
            int year = (int) (yoe + era * 400) + (month <= 2 ? 1 : 0);
            room(32);
            buf[len++] = '"';
            digits(year, 4);
            buf[len++] = '-';
            digits(month, 2);
            buf[len++] = '-';
            digits(day, 2);
            buf[len++] = 'T';
            digits(secOfDay / 3600, 2);
            buf[len++] = ':';
            digits(secOfDay / 60 % 60, 2);
            buf[len++] = ':';
            digits(secOfDay % 60, 2);
            int nano = t.getNano();
            if (nano > 0) {
                buf[len++] = '.';
                if (nano % 1_000_000 == 0) {
                    digits(nano / 1_000_000, 3);
                } else if (nano % 1000 == 0) {
                    digits(nano / 1000, 6);
                } else {
                    digits(nano, 9);
                }
            }
            buf[len++] = 'Z';
            buf[len++] = '"';
            return this;
        }

        /** {@code n >= 0} in exactly {@code width} decimal digits (room already made). */
        private void digits(int n, int width) {
            for (int i = len + width - 1; i >= len; i--) {
                buf[i] = (byte) ('0' + n % 10);
                n /= 10;
            }
            len += width;
        }

        /**
         * A JSON string with the fixed escaping, or {@code null}. Its ASCII prefix (usually the
         * whole string) is escaped from a copy of its chars straight into the buffer; from the
         * first other char on, the rest is encoded by {@link #utf8Tail}. Cheaper than encoding
         * the whole string to UTF-8 first and copying the runs between escapes: a request's JSON
         * has an escaped quote every five bytes or so.
         */
        Utf8 string(String s) {
            if (s == null) {
                return ascii("null");
            }
            int n = s.length();
            if (chars.length < n) {
                chars = new char[Math.max(n, 2 * chars.length)];
            }
            char[] cs = chars;
            s.getChars(0, n, cs, 0);
            // INVARIANT: buf has room for one byte per char not yet written plus the closing quote
            room(n + 2);
            byte[] b = buf;
            b[len] = '"';
            int shift = len + 1; // char i is written at i + shift (an affine index: no range checks)
            int i = 0;
            while (i < n) {
                char c = cs[i];
                if (c < 0x80 && ESCAPE[c] == 0) {
                    b[i + shift] = (byte) c;
                    i++;
                    continue;
                }
                if (c >= 0x80) {
                    len = i + shift;
                    return utf8Tail(s, i);
                }
                int at = i + shift;
                if (at + 6 + (n - i) > b.length) { // an escape takes up to 6 bytes, not 1
                    len = at;
                    room(6 + (n - i));
                    b = buf;
                }
                b[at++] = '\\';
                byte e = ESCAPE[c];
                if (e == 'u') {
                    b[at++] = 'u';
                    b[at++] = '0';
                    b[at++] = '0';
                    b[at++] = HEX_DIGITS[c >> 4];
                    b[at++] = HEX_DIGITS[c & 15];
                } else {
                    b[at++] = e;
                }
                i++;
                shift = at - i;
            }
            b[n + shift] = '"';
            len = n + shift + 1;
            return this;
        }

        /**
         * Chars {@code from..} of {@code s} (the first of them not ASCII) and the closing quote:
         * the UTF-8 of the whole string, of which the first {@code from} bytes are the ASCII chars
         * already written (so lone surrogates come out exactly as {@link String#getBytes} makes
         * them), escaped byte by byte (the bytes to escape are all ASCII, and no UTF-8 sequence
         * contains an ASCII byte).
         */
        private Utf8 utf8Tail(String s, int from) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            room(b.length - from + 1);
            int run = from;
            for (int i = from; i < b.length; i++) {
                byte c = b[i];
                if (c == '"' || c == '\\' || (c >= 0 && c < 0x20)) {
                    put(b, run, i);
                    run = i + 1;
                    room(6);
                    buf[len++] = '\\';
                    if (c == '"' || c == '\\') {
                        buf[len++] = c;
                    } else {
                        buf[len++] = 'u';
                        buf[len++] = '0';
                        buf[len++] = '0';
                        buf[len++] = HEX_DIGITS[c >> 4];
                        buf[len++] = HEX_DIGITS[c & 15];
                    }
                }
            }
            put(b, run, b.length);
            room(1);
            buf[len++] = '"';
            return this;
        }

        Utf8 array(List<String> items) {
            ascii("[");
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    ascii(",");
                }
                string(items.get(i));
            }
            return ascii("]");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
