package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's connection to one upstream. Every request sent upstream gets an id of this link's
 * own (so the client's ids, the gateway's own requests and several upstreams never collide); the
 * answer is mapped back to the client's id. A request that is not answered in time, or is pending
 * when the upstream goes away, is answered with a JSON-RPC error naming the upstream.
 */
final class UpstreamLink {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamLink.class);

    /** A request sent upstream: for the client ({@code clientId}) or for the gateway ({@code future}). */
    private record Pending(
            JsonNode clientId, CompletableFuture<JsonNode> future, String method, ScheduledFuture<?> timeout) {}

    final String name;
    private final UpstreamTransport transport;
    private final GatewaySession session;
    private final ScheduledExecutorService timer;
    private final Duration timeout;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private volatile String closedReason;
    volatile ObjectNode capabilities = Json.F.objectNode();
    volatile ObjectNode serverInfo = Json.F.objectNode();
    volatile String instructions;
    volatile String protocolVersion;

    UpstreamLink(
            String name,
            UpstreamTransport transport,
            GatewaySession session,
            ScheduledExecutorService timer,
            Duration timeout) {
        this.name = name;
        this.transport = transport;
        this.session = session;
        this.timer = timer;
        this.timeout = timeout;
    }

    void start() throws java.io.IOException {
        transport.start(this::onMessage, this::onClosed);
    }

    boolean has(String capability) {
        return capabilities.has(capability);
    }

    /** Why the upstream is gone, or {@code null} while it is connected. */
    String closedReason() {
        return closedReason;
    }

    /** A request of the gateway's own; completes with the result or an {@link McpException}. */
    CompletableFuture<JsonNode> call(String method, ObjectNode params) {
        return call(method, params, timeout);
    }

    /** {@link #call(String, ObjectNode)} with a timeout of its own (initialize: a process starting). */
    CompletableFuture<JsonNode> call(String method, ObjectNode params, Duration limit) {
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        String gone = closedReason;
        if (gone != null) {
            f.completeExceptionally(unavailable(gone));
            return f;
        }
        long id = ids.incrementAndGet();
        pending.put(id, new Pending(null, f, method, schedule(id, limit)));
        if (lostRace(id)) {
            return f;
        }
        transport.send(Json.request(LongNode.valueOf(id), method, params));
        return f;
    }

    /** Forwards a client request (already authorized, names already stripped) under an id of ours. */
    long forward(ObjectNode request, JsonNode clientId) {
        String gone = closedReason;
        if (gone != null) {
            session.toClient(
                    Json.error(clientId, Json.INTERNAL_ERROR, unavailable(gone).getMessage()), clientId);
            return -1;
        }
        long id = ids.incrementAndGet();
        pending.put(id, new Pending(clientId, null, request.path("method").asText(), schedule(id, timeout)));
        if (lostRace(id)) {
            return -1;
        }
        transport.send(Json.withId(request, LongNode.valueOf(id)));
        return id;
    }

    /** The upstream closed between the check and the registration: answer now rather than never. */
    private boolean lostRace(long id) {
        String gone = closedReason;
        if (gone == null) {
            return false;
        }
        Pending p = pending.remove(id);
        if (p != null) {
            if (p.timeout() != null) {
                p.timeout().cancel(false);
            }
            fail(p, unavailable(gone));
        }
        return true;
    }

    /** The client gave up on request {@code id} (ours): tell the upstream, forget the answer. */
    void cancel(long id, JsonNode reason) {
        Pending p = pending.remove(id);
        if (p == null) {
            return;
        }
        if (p.timeout() != null) {
            p.timeout().cancel(false);
        }
        ObjectNode params = Json.F.objectNode();
        params.put("requestId", id);
        if (reason != null && !reason.isNull()) {
            params.set("reason", reason);
        }
        notify(Json.notification("notifications/cancelled", params));
    }

    void notify(ObjectNode notification) {
        if (closedReason == null) {
            transport.send(notification);
        }
    }

    /** Sends the client's response to a request the upstream made, under the upstream's id. */
    void respond(JsonNode upstreamId, ObjectNode response) {
        if (closedReason == null) {
            transport.send(Json.withId(response, upstreamId));
        }
    }

    /** The client id of the one client request pending here, when there is exactly one. */
    JsonNode onlyPendingClientRequest() {
        JsonNode found = null;
        for (Pending p : pending.values()) {
            if (p.clientId() != null) {
                if (found != null) {
                    return null;
                }
                found = p.clientId();
            }
        }
        return found;
    }

    void initialized(String version) {
        protocolVersion = version;
        transport.initialized(version);
    }

    private ScheduledFuture<?> schedule(long id, Duration limit) {
        return timer.schedule(() -> timedOut(id, limit), limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void timedOut(long id, Duration limit) {
        Pending p = pending.remove(id);
        if (p == null) {
            return;
        }
        String msg = "upstream `" + name + "` did not answer `" + p.method() + "` within " + limit.toSeconds() + " s";
        LOG.warn("{}", msg);
        ObjectNode params = Json.F.objectNode();
        params.put("requestId", id);
        params.put("reason", "timed out at the gateway");
        notify(Json.notification("notifications/cancelled", params));
        fail(p, new McpException(Json.REQUEST_TIMEOUT, msg));
    }

    private McpException unavailable(String reason) {
        return new McpException(Json.INTERNAL_ERROR, "upstream `" + name + "` is not available: " + reason);
    }

    private void fail(Pending p, McpException e) {
        if (p.future() != null) {
            p.future().completeExceptionally(e);
        } else {
            session.answered(p.clientId());
            session.toClient(Json.error(p.clientId(), e.code(), e.getMessage()), p.clientId());
        }
    }

    private void onMessage(ObjectNode m) {
        try {
            if (m.has("method")) {
                session.fromUpstream(this, m);
                return;
            }
            JsonNode id = m.get("id");
            if (id == null || !id.canConvertToLong()) {
                LOG.debug("upstream `{}` sent a response without an id of ours; ignored", name);
                return;
            }
            Pending p = pending.remove(id.asLong());
            if (p == null) {
                return; // cancelled or timed out: the answer is no longer wanted
            }
            if (p.timeout() != null) {
                p.timeout().cancel(false);
            }
            if (p.future() != null) {
                if (m.get("error") instanceof ObjectNode err) {
                    p.future().completeExceptionally(McpException.of(err));
                } else {
                    p.future().complete(m.path("result"));
                }
                return;
            }
            ObjectNode out = Json.withId(m, p.clientId());
            session.tasks.answered(this, m);
            session.answered(p.clientId());
            session.toClient(out, p.clientId());
        } catch (RuntimeException e) {
            LOG.warn("handling a message from upstream `{}` failed: {}", name, e.toString());
        }
    }

    private void onClosed(String reason) {
        closedReason = reason;
        LOG.info("upstream `{}` closed: {}", name, reason);
        McpException e = new McpException(Json.INTERNAL_ERROR, "upstream `" + name + "` closed: " + reason);
        for (Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Pending p = it.next().getValue();
            it.remove();
            if (p.timeout() != null) {
                p.timeout().cancel(false);
            }
            fail(p, e);
        }
    }

    void close() {
        if (closedReason == null) {
            closedReason = "the session ended";
        }
        transport.close();
        for (Pending p : pending.values()) {
            if (p.timeout() != null) {
                p.timeout().cancel(false);
            }
            if (p.future() != null) {
                p.future().completeExceptionally(unavailable(closedReason));
            }
        }
        pending.clear();
    }
}
