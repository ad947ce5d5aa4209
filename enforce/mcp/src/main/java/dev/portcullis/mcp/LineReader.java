package dev.portcullis.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Newline-delimited messages from a stream, each at most {@code max} bytes. A longer line is
 * skipped up to its newline and reported as {@link #TOO_LONG}, so an oversized message neither
 * exhausts memory nor stalls the messages after it.
 */
final class LineReader {
    static final byte[] TOO_LONG = new byte[0];

    private final InputStream in;
    private final int max;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int end;
    private byte[] line = new byte[8 * 1024];
    private int len;
    /** The start and the end of the last line that was too long, for finding its JSON-RPC id. */
    private final byte[] head = new byte[256];

    private int headLen;
    private final byte[] tail = new byte[256];
    private int tailLen;

    LineReader(InputStream in, int max) {
        this.in = in;
        this.max = max;
    }

    /** The next line without its line terminator, {@link #TOO_LONG}, or {@code null} at the end. */
    byte[] next() throws IOException {
        len = 0;
        boolean skipping = false;
        while (true) {
            if (pos == end) {
                end = in.read(buf, 0, buf.length);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    if (skipping) {
                        return TOO_LONG;
                    }
                    return len == 0 ? null : take();
                }
            }
            int nl = -1;
            for (int i = pos; i < end; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int stop = nl < 0 ? end : nl;
            if (!skipping) {
                int n = stop - pos;
                if ((long) len + n > max) {
                    skipping = true;
                    headLen = Math.min(len, head.length);
                    System.arraycopy(line, 0, head, 0, headLen);
                    int more = Math.min(n, head.length - headLen);
                    System.arraycopy(buf, pos, head, headLen, more);
                    headLen += more;
                    tailLen = 0;
                    keepTail(pos, n);
                    len = 0;
                } else {
                    append(pos, n);
                }
            } else {
                keepTail(pos, stop - pos);
            }
            pos = nl < 0 ? end : nl + 1;
            if (nl >= 0) {
                if (skipping) {
                    return TOO_LONG;
                }
                if (len > 0 && line[len - 1] == '\r') {
                    len--;
                }
                return take();
            }
        }
    }

    private void keepTail(int from, int n) {
        if (n >= tail.length) {
            System.arraycopy(buf, from + n - tail.length, tail, 0, tail.length);
            tailLen = tail.length;
        } else {
            int keep = Math.min(tailLen, tail.length - n);
            System.arraycopy(tail, tailLen - keep, tail, 0, keep);
            System.arraycopy(buf, from, tail, keep, n);
            tailLen = keep + n;
        }
    }

    /**
     * The numeric JSON-RPC id of the last line that was {@link #TOO_LONG}, when its start (as the
     * gateway's serializer writes it) or its end (as the TypeScript SDK's does) shows one; else
     * {@code -1}.
     */
    long tooLongId() {
        String h = new String(head, 0, headLen, java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher m = HEAD_ID.matcher(h);
        if (m.find()) {
            return Long.parseLong(m.group(1));
        }
        String t = new String(tail, 0, tailLen, java.nio.charset.StandardCharsets.UTF_8);
        m = TAIL_ID.matcher(t);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static final java.util.regex.Pattern HEAD_ID = java.util.regex.Pattern.compile(
            "^\\s*\\{\\s*\"jsonrpc\"\\s*:\\s*\"2\\.0\"\\s*,\\s*\"id\"\\s*:\\s*(\\d{1,18})\\s*,");
    private static final java.util.regex.Pattern TAIL_ID =
            java.util.regex.Pattern.compile(",\\s*\"id\"\\s*:\\s*(\\d{1,18})\\s*}\\s*$");

    private void append(int from, int n) {
        if (len + n > line.length) {
            line = Arrays.copyOf(line, Math.max(len + n, Math.min(line.length * 2, max + 1)));
        }
        System.arraycopy(buf, from, line, len, n);
        len += n;
    }

    private byte[] take() {
        byte[] out = Arrays.copyOf(line, len);
        len = 0;
        if (line.length > 1024 * 1024) {
            line = new byte[8 * 1024];
        }
        return out;
    }
}
