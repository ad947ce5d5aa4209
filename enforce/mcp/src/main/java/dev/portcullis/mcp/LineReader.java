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
                    len = 0;
                } else {
                    append(pos, n);
                }
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
