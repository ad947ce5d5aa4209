package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link FakeMcpServer} behind an in-process Streamable HTTP endpoint: every POSTed request is
 * answered with an SSE stream (its notifications, then its response); GET is not offered (405).
 * Remembers the headers it saw.
 */
final class FakeHttpUpstream implements AutoCloseable {
    final Server server;
    private final String name;
    final List<RequestHeaders> headers = new CopyOnWriteArrayList<>();
    final Map<String, FakeMcpServer> sessions = new ConcurrentHashMap<>();
    private final ThreadLocal<HttpResponseWriter> current = new ThreadLocal<>();

    FakeHttpUpstream(String name) {
        this(name, false);
    }

    /** {@code tasks}: every session's server offers tasks ({@link FakeTasks}). */
    FakeHttpUpstream(String name, boolean tasks) {
        this.name = name;
        server = Server.builder()
                .http(0)
                .service("/mcp", (ctx, req) -> {
                    headers.add(req.headers());
                    if (req.method() == HttpMethod.DELETE) {
                        sessions.remove(req.headers().get("mcp-session-id", ""));
                        return HttpResponse.of(HttpStatus.OK);
                    }
                    if (req.method() != HttpMethod.POST) {
                        return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED);
                    }
                    HttpResponseWriter res = HttpResponse.streaming();
                    req.aggregate().thenAccept(agg -> Thread.ofVirtual().start(() -> {
                        try {
                            ObjectNode msg = (ObjectNode) FakeMcpServer.M.readTree(agg.contentUtf8());
                            String sid = req.headers().get("mcp-session-id");
                            boolean init =
                                    "initialize".equals(msg.path("method").asText());
                            if (init) {
                                sid = UUID.randomUUID().toString();
                                FakeMcpServer fresh = new FakeMcpServer(name, m -> {
                                    HttpResponseWriter w = current.get();
                                    if (w != null) {
                                        w.write(HttpData.ofUtf8("data: " + m + "\n\n"));
                                    }
                                });
                                if (tasks) {
                                    fresh.tasks = new FakeTasks(name);
                                }
                                sessions.put(sid, fresh);
                            }
                            FakeMcpServer s = sid == null ? null : sessions.get(sid);
                            if (s == null) {
                                res.write(ResponseHeaders.of(HttpStatus.NOT_FOUND));
                                res.close();
                                return;
                            }
                            if (!msg.has("id") || !msg.has("method")) {
                                s.handle(msg);
                                res.write(ResponseHeaders.of(HttpStatus.ACCEPTED));
                                res.close();
                                return;
                            }
                            res.write(ResponseHeaders.builder(HttpStatus.OK)
                                    .contentType(MediaType.EVENT_STREAM)
                                    .add("mcp-session-id", sid)
                                    .build());
                            current.set(res);
                            try {
                                s.handle(msg);
                            } finally {
                                current.remove();
                            }
                            res.close();
                        } catch (Exception e) {
                            res.close(e);
                        }
                    }));
                    return res;
                })
                .build();
        server.start().join();
    }

    /** The task requests every session of this upstream received. */
    List<String> taskRequests() {
        List<String> out = new java.util.ArrayList<>();
        for (FakeMcpServer s : sessions.values()) {
            if (s.tasks != null) {
                out.addAll(s.tasks.asked);
            }
        }
        return out;
    }

    String name() {
        return name;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.activeLocalPort() + "/mcp");
    }

    boolean sawHeader(String name) {
        return headers.stream().anyMatch(h -> h.contains(name));
    }

    JsonNode lastVersionHeader() {
        String v = headers.get(headers.size() - 1).get("mcp-protocol-version");
        return v == null ? null : FakeMcpServer.F.textNode(v);
    }

    @Override
    public void close() {
        server.stop().join();
    }
}
