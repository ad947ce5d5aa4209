package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upstream MCP server behind a Streamable HTTP endpoint: every message is a POST answered with
 * JSON, an SSE stream or 202; server-initiated messages also arrive on a GET SSE stream. The
 * upstream's {@code Mcp-Session-Id} and the agreed protocol version go on every later request.
 */
final class HttpUpstream implements UpstreamTransport {
    private static final Logger LOG = LoggerFactory.getLogger(HttpUpstream.class);

    private final McpGatewayConfig.Upstream config;
    private final int maxBytes;
    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;
    private volatile Consumer<ObjectNode> onMessage;
    private volatile Consumer<String> onClosed;
    private volatile String sessionId;
    private volatile String protocolVersion;
    private volatile boolean closed;
    private volatile InputStream getStream;

    HttpUpstream(McpGatewayConfig.Upstream config, int maxBytes, HttpClient client) {
        this.config = config;
        this.maxBytes = maxBytes;
        this.client = client;
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    @Override
    public void start(Consumer<ObjectNode> messages, Consumer<String> closedCallback) {
        this.onMessage = messages;
        this.onClosed = closedCallback;
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        for (Map.Entry<String, String> h : config.headers().entrySet()) {
            b.header(h.getKey(), h.getValue());
        }
        if (sessionId != null) {
            b.header("Mcp-Session-Id", sessionId);
        }
        if (protocolVersion != null) {
            b.header("MCP-Protocol-Version", protocolVersion);
        }
        return b;
    }

    @Override
    public void send(ObjectNode message) {
        if (closed) {
            return;
        }
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(message);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        JsonNode id = message.has("method") ? message.get("id") : null;
        boolean initialize = "initialize".equals(message.path("method").asText());
        HttpRequest req = request(config.url())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        client.sendAsync(req, this::bodyHandler).whenComplete((resp, err) -> {
            if (err != null) {
                failed(id, "the request failed: " + rootMessage(err));
                return;
            }
            if (resp.body() instanceof ByteArrayInputStream) {
                answer(resp, id, initialize); // complete already: no thread needed
            } else {
                readers.execute(() -> answer(resp, id, initialize));
            }
        });
    }

    /**
     * A JSON answer of known, acceptable length is collected without blocking a thread; an event
     * stream (or anything else) is read from a stream on a thread of its own.
     */
    private HttpResponse.BodySubscriber<InputStream> bodyHandler(HttpResponse.ResponseInfo info) {
        String type = info.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        long length = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (type.startsWith("application/json") && length >= 0 && length <= maxBytes) {
            return HttpResponse.BodySubscribers.mapping(
                    HttpResponse.BodySubscribers.ofByteArray(), ByteArrayInputStream::new);
        }
        return HttpResponse.BodySubscribers.ofInputStream();
    }

    private void answer(HttpResponse<InputStream> resp, JsonNode id, boolean initialize) {
        try (InputStream in = resp.body()) {
            int status = resp.statusCode();
            if (initialize && status / 100 == 2) {
                resp.headers().firstValue("Mcp-Session-Id").ifPresent(s -> sessionId = s);
            }
            if (status == 202 || status == 204) {
                return;
            }
            if (status == 404 && sessionId != null && !initialize) {
                closed("it no longer knows its session (HTTP 404)");
                return;
            }
            if (status / 100 != 2) {
                String text = new String(in.readNBytes(512), StandardCharsets.UTF_8);
                failed(id, "it answered HTTP " + status + (text.isBlank() ? "" : ": " + text.strip()));
                return;
            }
            String type = resp.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
            boolean answered;
            if (type.startsWith("text/event-stream")) {
                answered = readSse(in, id);
            } else if (type.startsWith("application/json")) {
                byte[] bytes = in.readNBytes(maxBytes + 1);
                if (bytes.length > maxBytes) {
                    failed(id, "its answer is larger than " + maxBytes + " bytes");
                    return;
                }
                answered = deliver(Json.MAPPER.readTree(bytes), id);
            } else {
                failed(id, "it answered with content type `" + type + "`");
                return;
            }
            if (id != null && !answered) {
                // the answer to a POSTed request comes in the answer to that POST: it will not come now
                failed(id, "its answer ended without a response to the request");
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                failed(id, "reading its answer failed: " + rootMessage(e));
            }
        }
    }

    /** Delivers a message (or several); whether one of them is the response to request {@code id}. */
    private boolean deliver(JsonNode n, JsonNode id) {
        boolean answered = false;
        if (n instanceof ObjectNode o) {
            answered = id != null && !o.has("method") && id.equals(o.get("id"));
            onMessage.accept(o);
        } else if (n != null && n.isArray()) {
            for (JsonNode m : n) {
                answered |= deliver(m, id);
            }
        }
        return answered;
    }

    /**
     * Reads an SSE stream to its end, delivering the JSON of each event's data; whether the response
     * to request {@code id} was among them.
     */
    private boolean readSse(InputStream in, JsonNode id) throws IOException {
        boolean answered = false;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        StringBuilder data = new StringBuilder();
        boolean tooLong = false;
        String line;
        while ((line = r.readLine()) != null) {
            if (line.isEmpty()) {
                if (data.length() > 0 && !tooLong) {
                    try {
                        answered |= deliver(Json.MAPPER.readTree(data.toString()), id);
                    } catch (IOException e) {
                        LOG.warn("upstream `{}` sent an event that is not JSON; ignored", config.name());
                    }
                }
                data.setLength(0);
                tooLong = false;
            } else if (line.startsWith("data:")) {
                String d = line.substring(line.startsWith("data: ") ? 6 : 5);
                if (data.length() + d.length() > maxBytes) {
                    tooLong = true;
                    data.setLength(0);
                } else if (!tooLong) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(d);
                }
            }
            // event:, id:, retry: and comments need nothing here
        }
        return answered;
    }

    private void failed(JsonNode id, String why) {
        if (closed) {
            return;
        }
        if (id != null) {
            onMessage.accept(Json.error(id, Json.INTERNAL_ERROR, "upstream `" + config.name() + "`: " + why));
        } else {
            LOG.warn("upstream `{}`: {}", config.name(), why);
        }
    }

    @Override
    public void initialized(String version) {
        protocolVersion = version;
        // the stream for server-initiated messages; a server without one answers 405
        HttpRequest get = request(config.url())
                .header("Accept", "text/event-stream")
                .GET()
                .build();
        client.sendAsync(get, HttpResponse.BodyHandlers.ofInputStream()).whenComplete((resp, err) -> {
            if (err != null || resp.statusCode() != 200) {
                if (resp != null) {
                    try {
                        resp.body().close();
                    } catch (IOException e) {
                        // nothing to do
                    }
                }
                return;
            }
            readers.execute(() -> {
                try (InputStream in = resp.body()) {
                    getStream = in;
                    readSse(in, null);
                } catch (IOException | RuntimeException e) {
                    LOG.debug("upstream `{}` GET stream: {}", config.name(), e.toString());
                }
            });
        });
    }

    private void closed(String reason) {
        Consumer<String> c = onClosed;
        onClosed = null;
        if (c != null) {
            c.accept(reason);
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        InputStream g = getStream;
        if (g != null) {
            try {
                g.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
        if (sessionId != null) {
            try {
                client.sendAsync(request(config.url()).DELETE().build(), HttpResponse.BodyHandlers.discarding());
            } catch (RuntimeException e) {
                // best effort
            }
        }
        closed("it was closed");
        readers.shutdownNow();
    }
}
