package dev.portcullis.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Open-loop load at a fixed rate: the latency an AuthZEN caller sees at a given number of
 * decisions per second, next to wrk's closed-loop figures (which measure a saturated server,
 * where the p99 is mostly time spent waiting for a CPU).
 *
 * <p>Each of {@code CONNECTIONS} persistent HTTP/1.1 connections sends its share of the rate on
 * a fixed schedule: request {@code k} of connection {@code c} is due at {@code start + (k *
 * CONNECTIONS + c) / RATE}. A request goes out when it is due, or as soon as the connection's
 * previous answer arrives when that is later, and its latency is counted from when it was
 * <em>due</em>: a server that falls behind is charged for the wait it causes, as wrk2 does (no
 * coordinated omission). Nothing is sent after the phase's end, so a server that cannot keep up
 * answers fewer requests than were due, later and later. The bodies are those of {@code
 * requests.tsv} in turn, each connection starting at a different line; an answer other than HTTP
 * 200 with a {@code decision} counts as an error.
 *
 * <p>One thread drives every connection with non-blocking sockets, as wrk does, so that the
 * generator adds no thread scheduling of its own to the latencies. Within a millisecond of a due
 * time it polls in steps of 50 µs (a {@link Selector} waits in whole milliseconds), so a request
 * may go out, and an answer that arrives during a step be read, up to about 0.1 ms late with the
 * timer slack: latencies may read that much high, alike for every target. The polling costs about
 * 0.6 of a CPU at 5,000 to 20,000 requests per second on the 2-CPU benchmark machine.
 *
 * <p>Usage: {@code RateLoad URL REQUESTS_TSV RATE SECONDS [CONNECTIONS=32] [WARMUP_SECONDS=3]}.
 * It first runs {@code WARMUP_SECONDS} at the rate (not counted), then measures, and prints one
 * line for {@code bench/load/summarize.py}:
 *
 * <pre>
 * RATE rate=R achieved=A requests=N errors=E late=L p50_us=… p90_us=… p99_us=… p999_us=… max_us=…
 * </pre>
 *
 * {@code achieved} is the answered requests per second over the phase (until its last answer);
 * {@code late} counts the requests sent more than 1 ms after they were due. Exit status 1 when a
 * request failed, 2 on bad arguments.
 */
public final class RateLoad {
    private static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    /** How long after the phase's end the answers to requests already sent are awaited. */
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(30);

    private RateLoad() {}

    /** The outcome of one phase: latencies from the due time in microseconds. */
    record Result(Histogram latencies, long errors, long late, double seconds, String firstError) {}

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: RateLoad URL REQUESTS_TSV RATE SECONDS [CONNECTIONS=32] [WARMUP_SECONDS=3]");
            System.exit(2);
        }
        URI url;
        List<byte[]> requests;
        double rate;
        double seconds;
        int connections;
        double warmup;
        try {
            url = URI.create(args[0]);
            if (!"http".equals(url.getScheme()) || url.getHost() == null || url.getPort() < 0) {
                throw new IllegalArgumentException("URL must be http://HOST:PORT/PATH, not `" + args[0] + "`");
            }
            requests = requests(url, Path.of(args[1]));
            rate = number("RATE", args[2], false);
            seconds = number("SECONDS", args[3], false);
            connections = args.length > 4 ? (int) number("CONNECTIONS", args[4], false) : 32;
            warmup = args.length > 5 ? number("WARMUP_SECONDS", args[5], true) : 3;
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("RateLoad: " + e.getMessage());
            System.exit(2);
            return;
        }
        try (Load load = new Load(url, requests, connections)) {
            if (warmup > 0) {
                load.run(rate, warmup);
            }
            Result r = load.run(rate, seconds);
            Histogram h = r.latencies();
            System.out.printf(
                    Locale.ROOT,
                    "RATE rate=%.0f achieved=%.0f requests=%d errors=%d late=%d p50_us=%d p90_us=%d p99_us=%d"
                            + " p999_us=%d max_us=%d%n",
                    rate,
                    h.getTotalCount() / r.seconds(),
                    h.getTotalCount(),
                    r.errors(),
                    r.late(),
                    h.getValueAtPercentile(50),
                    h.getValueAtPercentile(90),
                    h.getValueAtPercentile(99),
                    h.getValueAtPercentile(99.9),
                    h.getMaxValue());
            if (r.errors() > 0) {
                System.err.println(r.errors() + " failed request(s), the first: " + r.firstError());
                System.exit(1);
            }
        }
    }

    /** The connections and the selector that drives them. */
    static final class Load implements AutoCloseable {
        private final InetSocketAddress address;
        private final List<byte[]> requests;
        private final Selector selector;
        private final Conn[] conns;

        Load(URI url, List<byte[]> requests, int connections) throws IOException {
            this.address = new InetSocketAddress(url.getHost(), url.getPort());
            this.requests = requests;
            this.selector = Selector.open();
            this.conns = new Conn[connections];
            for (int c = 0; c < connections; c++) {
                conns[c] = new Conn(c, c % requests.size());
                connect(conns[c]);
            }
        }

        private void connect(Conn conn) throws IOException {
            SocketChannel ch = SocketChannel.open();
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.connect(address);
            ch.configureBlocking(false);
            conn.channel = ch;
            conn.key = ch.register(selector, SelectionKey.OP_READ, conn);
        }

        Result run(double rate, double seconds) throws IOException {
            int n = conns.length;
            double period = 1e9 / rate;
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            long end = start + (long) (seconds * 1e9);
            Histogram h = new Histogram(3_600_000_000L, 3);
            long[] errors = {0};
            long late = 0;
            String[] firstError = {null};
            for (Conn conn : conns) {
                conn.k = 0;
                conn.due = start + (long) (conn.index * period);
            }
            while (true) {
                long now = System.nanoTime();
                boolean busy = false;
                long next = Long.MAX_VALUE;
                for (Conn conn : conns) {
                    if (conn.sent != 0) {
                        busy = true;
                        continue;
                    }
                    if (conn.due >= end || now >= end) {
                        continue; // this phase sends nothing more on it
                    }
                    if (conn.due <= now) {
                        if (now - conn.due > LATE_NANOS) {
                            late++;
                        }
                        send(conn, now, errors, firstError);
                        busy |= conn.sent != 0;
                    } else {
                        next = Math.min(next, conn.due);
                    }
                }
                if (!busy && next == Long.MAX_VALUE) {
                    break; // everything sent has been answered and nothing more is due
                }
                if (now >= end + DRAIN_NANOS) {
                    for (Conn conn : conns) {
                        if (conn.sent != 0) {
                            fail(
                                    conn,
                                    "no answer " + DRAIN_NANOS / 1_000_000_000 + " s after the end",
                                    errors,
                                    firstError);
                        }
                    }
                    break;
                }
                // select() waits in whole milliseconds: it waits for answers until a millisecond
                // before the next due time, and the last stretch is polled
                long wait = next == Long.MAX_VALUE ? Long.MAX_VALUE : next - now;
                int ready = next == Long.MAX_VALUE
                        ? selector.select(100)
                        : wait > 2 * LATE_NANOS
                                ? selector.select((wait - LATE_NANOS) / 1_000_000)
                                : selector.selectNow();
                if (ready == 0 && wait <= 2 * LATE_NANOS) {
                    LockSupport.parkNanos(Math.min(wait, POLL_NANOS));
                    continue;
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Conn conn = (Conn) key.attachment();
                    if (key.isValid() && key.isWritable()) {
                        flush(conn, errors, firstError);
                    }
                    if (key.isValid() && key.isReadable()) {
                        read(conn, h, errors, firstError, start, period, n);
                    }
                }
                selector.selectedKeys().clear();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            return new Result(h, errors[0], late, elapsed, firstError[0]);
        }

        private void send(Conn conn, long now, long[] errors, String[] firstError) {
            conn.out = ByteBuffer.wrap(requests.get(conn.nextRequest));
            conn.nextRequest = (conn.nextRequest + 1) % requests.size();
            conn.sent = now;
            flush(conn, errors, firstError);
        }

        private void flush(Conn conn, long[] errors, String[] firstError) {
            try {
                conn.channel.write(conn.out);
                conn.key.interestOps(
                        conn.out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            } catch (IOException e) {
                fail(conn, "cannot send: " + e, errors, firstError);
            }
        }

        private void read(
                Conn conn, Histogram h, long[] errors, String[] firstError, long start, double period, int n) {
            int got;
            try {
                if (!conn.in.hasRemaining()) {
                    conn.in = ByteBuffer.allocate(conn.in.capacity() * 2).put(conn.in.flip());
                }
                got = conn.channel.read(conn.in);
            } catch (IOException e) {
                fail(conn, "cannot read: " + e, errors, firstError);
                return;
            }
            if (got < 0) {
                fail(conn, "the server closed the connection", errors, firstError);
                return;
            }
            if (conn.sent == 0) {
                fail(conn, "bytes nobody asked for", errors, firstError);
                return;
            }
            String problem;
            int length;
            try {
                length = responseLength(conn.in);
                if (length < 0) {
                    return; // not complete yet
                }
                problem = check(conn.in, length);
            } catch (IllegalStateException e) {
                fail(conn, e.getMessage(), errors, firstError);
                return;
            }
            long answered = System.nanoTime();
            if (problem != null) {
                errors[0]++;
                if (firstError[0] == null) {
                    firstError[0] = problem;
                }
            } else {
                h.recordValue(Math.max(0, (answered - conn.due) / 1000));
            }
            conn.in.clear(); // no pipelining: nothing follows the answer
            conn.sent = 0;
            conn.k++;
            conn.due = start + (long) ((conn.k * n + conn.index) * period);
        }

        /** Counts a failed request, drops the connection and opens a new one for the next. */
        private void fail(Conn conn, String why, long[] errors, String[] firstError) {
            errors[0]++;
            if (firstError[0] == null) {
                firstError[0] = why;
            }
            try {
                conn.channel.close();
                conn.in.clear();
                connect(conn);
            } catch (IOException e) {
                throw new IllegalStateException("cannot reconnect to " + address + ": " + e, e);
            }
            conn.sent = 0;
            conn.k++;
            conn.due = Long.MAX_VALUE - 1; // not used again in this phase
        }

        @Override
        public void close() throws IOException {
            for (Conn conn : conns) {
                conn.channel.close();
            }
            selector.close();
        }
    }

    /** One connection's state; {@code sent} is 0 when no request is waiting for its answer. */
    static final class Conn {
        final int index;
        int nextRequest;
        SocketChannel channel;
        SelectionKey key;
        long k;
        long due;
        long sent;
        ByteBuffer out;
        ByteBuffer in = ByteBuffer.allocate(16 * 1024);

        Conn(int index, int firstRequest) {
            this.index = index;
            this.nextRequest = firstRequest;
        }
    }

    /**
     * The length of the complete HTTP/1.1 response at the start of {@code in} (its bytes written
     * from 0 to its position), or -1 while it is incomplete; a body framed by {@code
     * Content-Length} or chunked.
     */
    static int responseLength(ByteBuffer in) {
        byte[] b = in.array();
        int len = in.position();
        int headEnd = indexOf(b, 0, len, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (headEnd < 0) {
            return -1;
        }
        int bodyStart = headEnd + 4;
        String head = new String(b, 0, headEnd, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        int cl = head.indexOf("\r\ncontent-length:");
        if (cl >= 0) {
            int from = cl + "\r\ncontent-length:".length();
            int eol = head.indexOf("\r\n", from);
            int n = Integer.parseInt(
                    head.substring(from, eol < 0 ? head.length() : eol).trim());
            return len >= bodyStart + n ? bodyStart + n : -1;
        }
        if (head.contains("\r\ntransfer-encoding:") && head.contains("chunked")) {
            int last = indexOf(b, bodyStart, len, "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            // the last chunk, at the start of the body or after a chunk's CRLF
            while (last >= 0 && last != bodyStart && !(b[last - 2] == '\r' && b[last - 1] == '\n')) {
                last = indexOf(b, last + 1, len, "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            return last < 0 ? -1 : last + 5;
        }
        throw new IllegalStateException("an answer with neither Content-Length nor chunked framing: "
                + head.lines().findFirst().orElse(""));
    }

    /** Null when the response is HTTP 200 with a decision, else what is wrong with it. */
    static String check(ByteBuffer in, int length) {
        String text = new String(in.array(), 0, length, StandardCharsets.UTF_8);
        if (!text.startsWith("HTTP/1.1 200 ")) {
            return text.lines().findFirst().orElse("") + ": "
                    + text.substring(Math.max(0, text.indexOf("\r\n\r\n") + 4), Math.min(text.length(), 400));
        }
        if (!text.contains("\"decision\"")) {
            return "HTTP 200 without a decision: " + text.substring(0, Math.min(text.length(), 400));
        }
        return null;
    }

    private static int indexOf(byte[] b, int from, int to, byte[] what) {
        outer:
        for (int i = from; i <= to - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The HTTP requests for the bodies of a requests.tsv ("allow|deny TAB json"; '#' starts a comment). */
    static List<byte[]> requests(URI url, Path file) throws IOException {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        List<byte[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            int tab = line.indexOf('\t');
            if (line.startsWith("#") || tab < 0) {
                continue;
            }
            byte[] body = line.substring(tab + 1).getBytes(StandardCharsets.UTF_8);
            byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[head.length + body.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            out.add(all);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no requests in " + file);
        }
        return out;
    }

    private static double number(String name, String value, boolean zeroAllowed) {
        double v;
        try {
            v = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not `" + value + "`");
        }
        if (!(zeroAllowed ? v >= 0 : v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(
                    name + " must be " + (zeroAllowed ? "0 or more" : "positive") + ", not `" + value + "`");
        }
        return v;
    }
}
