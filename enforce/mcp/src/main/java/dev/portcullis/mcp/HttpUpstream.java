package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.SplitHttpResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
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
 * An upstream MCP server behind a Streamable HTTP endpoint (Armeria's client, on the event loops the
 * gateway's server uses): every message is a POST answered with
 * JSON, an SSE stream or 202; server-initiated messages also arrive on a GET SSE stream. The
 * upstream's {@code Mcp-Session-Id} and the agreed protocol version go on every later request.
 */
final class HttpUpstream implements UpstreamTransport {
    private static final Logger LOG = LoggerFactory.getLogger(HttpUpstream.class);

    private final McpGatewayConfig.Upstream config;
    private final int maxBytes;
    private final boolean deliverInline;
    private final ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
    private final WebClient client;
    private final String path;
    private volatile Consumer<ObjectNode> onMessage;
    private volatile Consumer<String> onClosed;
    private volatile String sessionId;
    private volatile String protocolVersion;
    private volatile boolean closed;
    private volatile com.linecorp.armeria.common.HttpResponse getStream;

    /**
     * {@code deliverInline}: a JSON answer of known length is parsed and delivered on the event loop
     * that received it (the client's channel does not block); else on a virtual thread of its own.
     */
    HttpUpstream(McpGatewayConfig.Upstream config, int maxBytes, boolean deliverInline) {
        this.config = config;
        this.maxBytes = maxBytes;
        this.deliverInline = deliverInline;
        URI url = config.url();
        // the gateway times requests out itself; event streams may stay open for as long as they like.
        // Cleartext: HTTP/1.1 (what MCP servers speak; Armeria would first try an HTTP/2 preface, and
        // a multiplexed connection puts all of an upstream's calls on one event loop); TLS: ALPN.
        String scheme = url.getScheme().equals("http") ? "h1c" : url.getScheme();
        this.client = WebClient.builder(scheme + "://" + url.getRawAuthority())
                .responseTimeout(Duration.ZERO)
                .writeTimeout(Duration.ofSeconds(30))
                .maxResponseLength(0)
                .followRedirects(com.linecorp.armeria.client.redirect.RedirectConfig.disabled())
                .build();
        String p = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        this.path = url.getRawQuery() == null ? p : p + "?" + url.getRawQuery();
    }

    @Override
    public void start(Consumer<ObjectNode> messages, Consumer<String> closedCallback) {
        this.onMessage = messages;
        this.onClosed = closedCallback;
    }

    private RequestHeadersBuilder request(HttpMethod method) {
        RequestHeadersBuilder b = RequestHeaders.builder(method, path);
        for (Map.Entry<String, String> h : config.headers().entrySet()) {
            b.add(h.getKey(), h.getValue());
        }
        if (sessionId != null) {
            b.set("mcp-session-id", sessionId);
        }
        if (protocolVersion != null) {
            b.set("mcp-protocol-version", protocolVersion);
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
        RequestHeaders headers = request(HttpMethod.POST)
                .contentType(MediaType.JSON)
                .set(HttpHeaderNames.ACCEPT, "application/json, text/event-stream")
                .build();
        SplitHttpResponse res;
        try {
            res = client.execute(headers, HttpData.wrap(body)).split();
        } catch (RuntimeException e) {
            failed(id, "the request failed: " + rootMessage(e));
            return;
        }
        res.headers().whenComplete((h, err) -> {
            if (err != null) {
                failed(id, "the request failed: " + rootMessage(err));
                return;
            }
            String type =
                    h.contentType() == null ? "" : h.contentType().toString().toLowerCase(Locale.ROOT);
            long length = h.contentLength();
            if (h.status().code() / 100 == 2
                    && type.startsWith("application/json")
                    && length >= 0
                    && length <= maxBytes) {
                // a JSON answer of known, acceptable length: collected without a thread of its own
                res.body().collect().whenComplete((parts, e2) -> {
                    if (e2 != null) {
                        failed(id, "reading its answer failed: " + rootMessage(e2));
                        return;
                    }
                    byte[] bytes;
                    if (parts.size() == 1 && parts.get(0).length() == length) {
                        bytes = parts.get(0).array();
                    } else {
                        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream((int) length);
                        for (HttpData d : parts) {
                            all.writeBytes(d.array());
                        }
                        bytes = all.toByteArray();
                    }
                    if (deliverInline) {
                        json(h, bytes, id, initialize);
                    } else {
                        // on a thread of its own: delivering may block writing to a stdio client
                        readers.execute(() -> json(h, bytes, id, initialize));
                    }
                });
            } else {
                InputStream in = res.body().toInputStream(d -> d);
                readers.execute(() -> answer(h, in, id, initialize));
            }
        });
    }

    /** A 2xx JSON answer, whole: parsed and delivered. */
    private void json(ResponseHeaders h, byte[] bytes, JsonNode id, boolean initialize) {
        try {
            if (initialize && h.get("mcp-session-id") != null) {
                sessionId = h.get("mcp-session-id");
            }
            if (!deliver(Json.MAPPER.readTree(bytes), id) && id != null) {
                failed(id, "its answer ended without a response to the request");
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                failed(id, "reading its answer failed: " + rootMessage(e));
            }
        }
    }

    private void answer(ResponseHeaders h, InputStream body, JsonNode id, boolean initialize) {
        try (InputStream in = body) {
            int status = h.status().code();
            if (initialize && status / 100 == 2 && h.get("mcp-session-id") != null) {
                sessionId = h.get("mcp-session-id");
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
            String type =
                    h.contentType() == null ? "" : h.contentType().toString().toLowerCase(Locale.ROOT);
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
        com.linecorp.armeria.common.HttpResponse get = client.execute(request(HttpMethod.GET)
                .set(HttpHeaderNames.ACCEPT, "text/event-stream")
                .build());
        getStream = get;
        SplitHttpResponse res = get.split();
        res.headers().whenComplete((h, err) -> {
            if (err != null || h.status().code() != 200) {
                res.body().abort();
                return;
            }
            InputStream in = res.body().toInputStream(d -> d);
            readers.execute(() -> {
                try (in) {
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
        com.linecorp.armeria.common.HttpResponse g = getStream;
        if (g != null) {
            g.abort();
        }
        if (sessionId != null) {
            try {
                client.execute(request(HttpMethod.DELETE).build()).aggregate();
            } catch (RuntimeException e) {
                // best effort
            }
        }
        closed("it was closed");
        readers.shutdownNow();
    }
}
