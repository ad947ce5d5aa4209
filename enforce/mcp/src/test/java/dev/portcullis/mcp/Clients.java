package dev.portcullis.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Test clients of the gateway (stdio streams, Streamable HTTP) and a stdio fake upstream. */
final class Clients {
    private Clients() {}

    /** The fake upstream as a child process running this test classpath. */
    static McpGatewayConfig.Upstream stdioFake(String name) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return McpGatewayConfig.Upstream.stdio(
                name, java, List.of("-cp", System.getProperty("java.class.path"), FakeMcpServer.class.getName(), name));
    }

    static ObjectNode request(Object id, String method, String paramsJson) {
        try {
            ObjectNode n = FakeMcpServer.F.objectNode().put("jsonrpc", "2.0");
            n.set("id", FakeMcpServer.M.valueToTree(id));
            n.put("method", method);
            if (paramsJson != null) {
                n.set("params", FakeMcpServer.M.readTree(paramsJson));
            }
            return n;
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ObjectNode initialize(Object id) {
        return request(
                id,
                "initialize",
                "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"sampling\":{}},\"clientInfo\":{\"name\":\"test\",\"version\":\"1\"}}");
    }

    /** A client on the gateway's stdio. */
    static final class Stdio implements AutoCloseable {
        private final LinkedBlockingQueue<byte[]> toGateway = new LinkedBlockingQueue<>();
        final BlockingQueue<ObjectNode> received = new LinkedBlockingQueue<>();
        final List<String> rawLines = new ArrayList<>();
        final Thread thread;

        Stdio(McpGateway gw) {
            InputStream in = new InputStream() {
                private byte[] cur = new byte[0];
                private int pos;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    while (pos >= cur.length) {
                        try {
                            cur = toGateway.take();
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                        pos = 0;
                        if (cur.length == 0) {
                            return -1;
                        }
                    }
                    int n = Math.min(len, cur.length - pos);
                    System.arraycopy(cur, pos, b, off, n);
                    pos += n;
                    return n;
                }
            };
            OutputStream out = new OutputStream() {
                private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

                @Override
                public synchronized void write(int b) {
                    if (b == '\n') {
                        String s = line.toString(StandardCharsets.UTF_8);
                        line.reset();
                        synchronized (rawLines) {
                            rawLines.add(s);
                        }
                        try {
                            received.add((ObjectNode) FakeMcpServer.M.readTree(s));
                        } catch (IOException e) {
                            throw new IllegalStateException("the gateway wrote a line that is not JSON: " + s);
                        }
                    } else {
                        line.write(b);
                    }
                }
            };
            thread = gw.startStdio(in, out);
        }

        void sendRaw(String s) {
            toGateway.add(s.getBytes(StandardCharsets.UTF_8));
        }

        void send(JsonNode msg) {
            sendRaw(msg + "\n");
        }

        ObjectNode next() throws InterruptedException {
            ObjectNode n = received.poll(30, TimeUnit.SECONDS);
            assertThat(n).as("a message from the gateway within 30 s").isNotNull();
            return n;
        }

        /** The next message that is not a notification. */
        ObjectNode nextResponse() throws InterruptedException {
            while (true) {
                ObjectNode n = next();
                if (n.has("id")) {
                    return n;
                }
            }
        }

        ObjectNode call(JsonNode request) throws InterruptedException {
            send(request);
            return nextResponse();
        }

        @Override
        public void close() throws InterruptedException {
            toGateway.add(new byte[0]);
            thread.join(10_000);
        }
    }

    /** A Streamable HTTP client. */
    static final class Http {
        final HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        final URI url;
        String session;
        String token;

        Http(URI url) {
            this.url = url;
        }

        HttpResponse<String> post(String body, Map<String, String> headers) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(url)
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            Map<String, String> all = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            if (session != null) {
                all.put("Mcp-Session-Id", session);
                all.put("MCP-Protocol-Version", "2025-11-25");
            }
            if (token != null) {
                all.put("Authorization", "Bearer " + token);
            }
            all.putAll(headers);
            all.forEach(b::header);
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Every message in a response body: one JSON object, or the data of SSE events. */
        static List<ObjectNode> messages(HttpResponse<String> r) throws IOException {
            List<ObjectNode> out = new ArrayList<>();
            String type = r.headers().firstValue("content-type").orElse("");
            if (type.startsWith("text/event-stream")) {
                for (String line : r.body().split("\n")) {
                    if (line.startsWith("data:")) {
                        out.add((ObjectNode)
                                FakeMcpServer.M.readTree(line.substring(5).strip()));
                    }
                }
            } else if (!r.body().isEmpty()) {
                out.add((ObjectNode) FakeMcpServer.M.readTree(r.body()));
            }
            return out;
        }

        /** The final response of a request (the last message). */
        ObjectNode call(JsonNode request) throws IOException, InterruptedException {
            HttpResponse<String> r = post(request.toString(), Map.of());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            List<ObjectNode> all = messages(r);
            assertThat(all).isNotEmpty();
            return all.get(all.size() - 1);
        }

        ObjectNode initialize() throws IOException, InterruptedException {
            HttpResponse<String> r = post(Clients.initialize(1).toString(), Map.of());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            session = r.headers().firstValue("mcp-session-id").orElseThrow();
            ObjectNode init = messages(r).get(0);
            HttpResponse<String> n = post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", Map.of());
            assertThat(n.statusCode()).isEqualTo(202);
            return init;
        }
    }
}
