package dev.portcullis.bench.mcp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One persistent HTTP/1.1 connection on a blocking socket, for {@link McpLoad}: exactly one
 * connection per load client, no pool, nothing in the background. A connection the server closes
 * is an {@link IOException} saying after how many requests and how long idle, never retried here
 * (the caller counts it as a failed call).
 *
 * <p>{@code java.net.http} was used before; under this closed-loop load it failed a few calls in a
 * few hundred thousand with "HTTP/1.1 header parser received no bytes" although the server kept
 * all its connections open (see docs/performance.md, "## MCP gateway").
 */
final class Http1Connection implements AutoCloseable {
    private final URI url;
    private final String head;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private long requests;
    private int connects;
    private long lastAnswer = System.nanoTime();

    /** A response: status, the session header, the body as text. */
    record Response(int status, String sessionId, String contentType, String body) {}

    Http1Connection(URI url) {
        this.url = url;
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        this.head = "POST " + path + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                + "\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n";
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5_000);
        s.setSoTimeout(30_000);
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        out = s.getOutputStream();
        requests = 0;
        connects++;
    }

    /** How often a new connection was opened after the first (a server's `Connection: close`). */
    int reconnects() {
        return Math.max(0, connects - 1);
    }

    /** POSTs {@code body} (with the MCP session headers when {@code session} is not null). */
    Response post(String session, String body) throws IOException {
        if (socket == null) {
            connect();
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder req = new StringBuilder(head.length() + 128 + b.length).append(head);
        if (session != null) {
            req.append("Mcp-Session-Id: ").append(session).append("\r\nMCP-Protocol-Version: 2025-11-25\r\n");
        }
        req.append("Content-Length: ").append(b.length).append("\r\n\r\n");
        byte[] h = req.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + b.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        try {
            out.write(all);
            out.flush();
            Response r = read();
            requests++;
            lastAnswer = System.nanoTime();
            return r;
        } catch (IOException e) {
            String where = "after " + requests + " request(s) on it, " + (System.nanoTime() - lastAnswer) / 1_000_000
                    + " ms after the last answer";
            close();
            throw new IOException(e.getMessage() + " (" + where + ")", e);
        }
    }

    private Response read() throws IOException {
        String status = line();
        if (status == null) {
            throw new IOException("the server closed the connection");
        }
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        String session = null;
        String type = "";
        String l;
        while ((l = line()) != null && !l.isEmpty()) {
            int colon = l.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = l.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = l.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" ->
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                case "mcp-session-id" -> session = value;
                case "content-type" -> type = value;
                default -> {}
            }
        }
        if (l == null) {
            throw new IOException("the server closed the connection in the headers");
        }
        String body;
        if (chunked) {
            body = chunkedBody();
        } else if (length >= 0) {
            body = new String(exactly((int) length), StandardCharsets.UTF_8);
        } else if (code == 204 || code == 304 || code / 100 == 1) {
            body = "";
        } else {
            close = true;
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (close) {
            // the answer is complete; the next request opens a new connection (a failed call only
            // if the server had not said so)
            close();
        }
        return new Response(code, session, type, body);
    }

    private String chunkedBody() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream(256);
        while (true) {
            String size = line();
            if (size == null) {
                throw new IOException("the server closed the connection in a chunked body");
            }
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                String t;
                while ((t = line()) != null && !t.isEmpty()) {
                    // trailers: none expected
                }
                return all.toString(StandardCharsets.UTF_8);
            }
            all.writeBytes(exactly(n));
            if (!"".equals(line())) {
                throw new IOException("a chunk does not end with CRLF");
            }
        }
    }

    private byte[] exactly(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new IOException("the server closed the connection in a body");
        }
        return b;
    }

    /** One line without its CRLF, {@code null} at the end of the stream before any byte. */
    private String line() throws IOException {
        StringBuilder b = new StringBuilder(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int len = b.length();
                if (len > 0 && b.charAt(len - 1) == '\r') {
                    b.setLength(len - 1);
                }
                return b.toString();
            }
            b.append((char) c);
        }
        return b.isEmpty() ? null : b.toString();
    }

    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}
