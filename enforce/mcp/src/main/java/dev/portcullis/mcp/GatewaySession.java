package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's MCP session through the gateway: its own connections to every upstream (made when
 * the client initializes), the routing of each client message to the upstream it names, and the
 * way back. Every client request and notification is put to the {@link McpAuthorizer} first; a
 * failure there denies.
 */
final class GatewaySession {
    private static final Logger LOG = LoggerFactory.getLogger(GatewaySession.class);

    /** Newest first; the first is what the gateway offers a client asking for an unknown one. */
    static final List<String> PROTOCOL_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");

    /** A client request forwarded upstream: where, under which id. */
    private record Forwarded(UpstreamLink link, long upstreamId) {}

    /** An upstream request forwarded to the client: whose, under which id. */
    private record Reverse(UpstreamLink link, JsonNode upstreamId) {}

    final McpGateway gateway;
    final String id;
    private final McpGatewayConfig config;
    volatile McpIdentity identity;
    private volatile ClientChannel channel;
    private final Map<String, UpstreamLink> links = new LinkedHashMap<>();
    private final Map<String, Forwarded> forwarded = new ConcurrentHashMap<>();
    private final Map<String, Reverse> reverse = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> progressOwners = new ConcurrentHashMap<>();
    private final Map<String, UpstreamLink> progressUpstream = new ConcurrentHashMap<>();
    private final Routes routes;
    final TaskRoutes tasks;
    private final AtomicLong reverseIds = new AtomicLong();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final List<ObjectNode> deferred = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile String protocolVersion;
    private volatile boolean initializing;
    private volatile boolean closed;

    GatewaySession(McpGateway gateway, String id, McpIdentity identity, ClientChannel channel) {
        this.gateway = gateway;
        this.config = gateway.config();
        this.tasks = new TaskRoutes(links, config);
        this.routes = new Routes(links, config, tasks);
        this.id = id;
        this.identity = identity;
        this.channel = channel;
    }

    ClientChannel channelForHttp() {
        return channel;
    }

    String protocolVersion() {
        return protocolVersion;
    }

    boolean initialized() {
        return ready.isDone() && !ready.isCompletedExceptionally();
    }

    void toClient(ObjectNode message, JsonNode related) {
        if (!message.has("method")) {
            inFlight.decrementAndGet();
        }
        ClientChannel c = channel;
        if (c == null || !c.send(message, related)) {
            LOG.debug("session {}: a message for the client could not be delivered", id);
        }
    }

    /** The client's request {@code clientId} has been answered. */
    void answered(JsonNode clientId) {
        forwarded.remove(key(clientId));
        progressOwners.values().removeIf(v -> v.equals(clientId));
    }

    private static String key(JsonNode id) {
        return Json.key(id);
    }

    // ---------------------------------------------------------------------------------------------
    // client -> gateway

    private volatile long lastActive = System.nanoTime();

    /** Nanoseconds since the client last sent something. */
    long idleNanos() {
        return System.nanoTime() - lastActive;
    }

    /** One valid JSON-RPC message from the client ({@link Json#invalid} said nothing). */
    void fromClient(ObjectNode msg) {
        lastActive = System.nanoTime();
        if (msg.has("method") && msg.has("id")) {
            inFlight.incrementAndGet();
        }
        dispatch(msg);
    }

    private void dispatch(ObjectNode msg) {
        if (closed) {
            JsonNode mid = msg.get("id");
            if (mid != null && msg.has("method")) {
                toClient(Json.error(mid, Json.INVALID_REQUEST, "the session has ended"), mid);
            }
            return;
        }
        if (!msg.has("method")) {
            clientResponse(msg);
            return;
        }
        String method = msg.get("method").asText();
        JsonNode mid = msg.get("id");
        ObjectNode params = msg.get("params") instanceof ObjectNode p ? p : Json.F.objectNode();
        if (mid == null) {
            if (initializing && !ready.isDone() && defer(msg)) {
                return;
            }
            clientNotification(method, params, msg);
            return;
        }
        if (method.equals("initialize")) {
            initialize(mid, params);
            return;
        }
        if (initializing && !ready.isDone() && defer(msg)) {
            return;
        }
        if (!initialized() && !method.equals("ping")) {
            toClient(
                    Json.error(mid, Json.INVALID_REQUEST, "the session is not initialized: send `initialize` first"),
                    mid);
            return;
        }
        try {
            request(method, mid, params, msg);
        } catch (RuntimeException e) {
            LOG.warn("session {}: `{}` failed: {}", id, method, e.toString());
            toClient(Json.error(mid, Json.INTERNAL_ERROR, "the gateway could not handle `" + method + "`"), mid);
        }
    }

    /**
     * Keeps a message that arrived while the upstreams are being initialized (a client that does not
     * wait for the initialize answer), to be handled in order once they are; {@code false} when the
     * initialization has finished meanwhile.
     */
    private boolean defer(ObjectNode msg) {
        synchronized (deferred) {
            if (ready.isDone()) {
                return false;
            }
            deferred.add(msg);
            return true;
        }
    }

    private void drainDeferred() {
        List<ObjectNode> todo;
        synchronized (deferred) {
            todo = new ArrayList<>(deferred);
            deferred.clear();
        }
        for (ObjectNode m : todo) {
            dispatch(m);
        }
    }

    /** Puts the message to the authorizer; {@code null} when it may go on, else the denial. */
    private Verdict.Deny authorize(String method, JsonNode mid, ObjectNode params, String upstream, String name) {
        Verdict v;
        try {
            v = gateway.authorizer()
                    .authorize(new McpCall(method, mid, params, upstream, name, identity, sessionIdForCall()));
        } catch (RuntimeException e) {
            LOG.warn("session {}: authorizing `{}` failed: {}", id, method, e.toString());
            v = null;
        }
        if (v instanceof Verdict.Allow) {
            return null;
        }
        if (v instanceof Verdict.Deny d) {
            return d;
        }
        ObjectNode answer = Json.F.objectNode();
        ObjectNode e = answer.putObject("error");
        e.put("code", Json.INTERNAL_ERROR);
        e.put("message", "authorization failed; the request was not forwarded");
        return new Verdict.Deny(null, answer, "authorization failed");
    }

    private String sessionIdForCall() {
        return id.startsWith("stdio") ? null : id;
    }

    private void deny(JsonNode mid, Verdict.Deny d) {
        ObjectNode out = Json.F.objectNode();
        out.put("jsonrpc", "2.0");
        out.set("id", mid);
        d.answer().fields().forEachRemaining(e -> {
            if (e.getKey().equals("error") || e.getKey().equals("result")) {
                out.set(e.getKey(), e.getValue());
            }
        });
        toClient(out, mid);
    }

    private void request(String method, JsonNode mid, ObjectNode params, ObjectNode msg) {
        Lists.Kind list = Lists.KINDS.get(method);
        if (list != null || method.equals("ping") || method.equals("logging/setLevel") || tasks.aggregates(method)) {
            Verdict.Deny d = authorize(method, mid, params, null, null);
            if (d != null) {
                deny(mid, d);
                return;
            }
            if (method.equals("ping")) {
                toClient(Json.result(mid, Json.F.objectNode()), mid);
            } else if (method.equals("logging/setLevel")) {
                gateway.background(() -> setLevel(mid, params));
            } else if (list == null) { // tasks/list over several upstreams
                gateway.background(() -> toClient(tasks.listAnswer(mid, params), mid));
            } else {
                gateway.background(() -> list(list, mid, params));
            }
            return;
        }
        Routes.Route r = routes.route(method, params);
        Verdict.Deny d = authorize(
                method,
                mid,
                r.link() == null ? params : r.params(),
                r.link() == null ? null : r.link().name,
                r.clientName());
        if (d != null) {
            deny(mid, d);
            return;
        }
        if (r.link() == null) {
            ObjectNode out = Json.F.objectNode();
            out.put("jsonrpc", "2.0");
            out.set("id", mid);
            out.set("error", r.error());
            toClient(out, mid);
            return;
        }
        ObjectNode out = msg;
        if (r.params() != params) {
            out = msg.deepCopy();
            out.set("params", r.params());
        }
        JsonNode token = params.path("_meta").get("progressToken");
        if (token != null) {
            progressOwners.put(key(token), mid);
        }
        long upstreamId = r.link().forward(out, mid);
        if (upstreamId >= 0) {
            forwarded.put(key(mid), new Forwarded(r.link(), upstreamId));
        }
    }

    private void clientNotification(String method, ObjectNode params, ObjectNode msg) {
        Verdict.Deny d = authorize(method, null, params, null, null);
        if (d != null) {
            LOG.debug("session {}: notification `{}` denied: {}", id, method, d.reason());
            return;
        }
        switch (method) {
            case "notifications/initialized" -> {
                // the gateway's upstreams were told when the gateway initialized them
            }
            case "notifications/cancelled" -> {
                JsonNode rid = params.get("requestId");
                Forwarded f = rid == null ? null : forwarded.remove(key(rid));
                if (f != null) {
                    f.link().cancel(f.upstreamId(), params.get("reason"));
                    ClientChannel c = channel;
                    if (c != null) {
                        c.abandoned(rid);
                    }
                }
            }
            case "notifications/progress" -> {
                // progress on a request an upstream made of the client
                JsonNode token = params.get("progressToken");
                UpstreamLink l = token == null ? null : progressUpstream.get(key(token));
                if (l != null) {
                    l.notify(msg);
                } else {
                    broadcast(msg);
                }
            }
            default -> broadcast(msg);
        }
    }

    private void broadcast(ObjectNode notification) {
        for (UpstreamLink l : links.values()) {
            l.notify(notification);
        }
    }

    private void clientResponse(ObjectNode msg) {
        Reverse r = reverse.remove(key(msg.get("id")));
        if (r == null) {
            LOG.debug("session {}: a response to no request of ours; ignored", id);
            return;
        }
        r.link().respond(r.upstreamId(), msg);
    }

    // ---------------------------------------------------------------------------------------------
    // initialize

    private void initialize(JsonNode mid, ObjectNode params) {
        if (initializing) {
            toClient(Json.error(mid, Json.INVALID_REQUEST, "the session is already initialized"), mid);
            return;
        }
        initializing = true;
        Verdict.Deny d = authorize("initialize", mid, params, null, null);
        if (d != null) {
            deny(mid, d);
            ready.completeExceptionally(new McpException(Json.INVALID_REQUEST, "initialize denied"));
            return;
        }
        gateway.background(() -> {
            try {
                ObjectNode result = connect(params);
                toClient(Json.result(mid, result), mid);
                settle(null);
            } catch (McpException e) {
                toClient(Json.error(mid, e.code(), e.getMessage()), mid);
                settle(e);
                close();
            } catch (RuntimeException e) {
                LOG.warn("session {}: initialize failed: {}", id, e.toString());
                toClient(Json.error(mid, Json.INTERNAL_ERROR, "initialize failed: " + e.getMessage()), mid);
                settle(e);
                close();
            }
        });
    }

    private void settle(RuntimeException failure) {
        synchronized (deferred) {
            if (failure == null) {
                ready.complete(null);
            } else {
                ready.completeExceptionally(failure);
            }
        }
        drainDeferred();
    }

    /** An upstream may take a while to start (a JVM, `npx` fetching a package): at least a minute. */
    private java.time.Duration initTimeout() {
        java.time.Duration min = java.time.Duration.ofSeconds(60);
        return config.requestTimeout().compareTo(min) > 0 ? config.requestTimeout() : min;
    }

    /** Connects and initializes every upstream; the gateway's initialize result. */
    private ObjectNode connect(ObjectNode params) {
        String asked = params.path("protocolVersion").asText("");
        String version = PROTOCOL_VERSIONS.contains(asked) ? asked : PROTOCOL_VERSIONS.get(0);
        ObjectNode upParams = Json.F.objectNode();
        upParams.put("protocolVersion", version);
        upParams.set(
                "capabilities",
                params.path("capabilities").isObject() ? params.get("capabilities") : Json.F.objectNode());
        ObjectNode clientInfo = params.path("clientInfo").isObject() ? (ObjectNode) params.get("clientInfo") : null;
        if (clientInfo == null) {
            clientInfo = Json.F.objectNode().put("name", "unknown-client").put("version", "0");
        }
        upParams.set("clientInfo", clientInfo);

        Map<String, CompletableFuture<JsonNode>> inits = new LinkedHashMap<>();
        synchronized (links) {
            for (McpGatewayConfig.Upstream u : config.upstreams()) {
                UpstreamLink l = new UpstreamLink(
                        u.name(),
                        gateway.transport(u, !channel.mayBlock()),
                        this,
                        gateway.timer(),
                        config.requestTimeout());
                links.put(u.name(), l);
                try {
                    l.start();
                } catch (java.io.IOException e) {
                    throw new McpException(
                            Json.INTERNAL_ERROR, "upstream `" + u.name() + "` could not be started: " + e.getMessage());
                }
                inits.put(u.name(), l.call("initialize", upParams, initTimeout()));
            }
        }
        for (Map.Entry<String, CompletableFuture<JsonNode>> e : inits.entrySet()) {
            UpstreamLink l = links.get(e.getKey());
            JsonNode r;
            try {
                r = e.getValue().get(initTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException ex) {
                throw new McpException(
                        Json.INTERNAL_ERROR,
                        "upstream `" + l.name + "` failed to initialize: "
                                + ex.getCause().getMessage());
            } catch (java.util.concurrent.TimeoutException ex) {
                throw new McpException(Json.INTERNAL_ERROR, "upstream `" + l.name + "` did not initialize in time");
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new McpException(Json.INTERNAL_ERROR, "interrupted");
            }
            String theirs = r.path("protocolVersion").asText(version);
            if (!PROTOCOL_VERSIONS.contains(theirs)) {
                throw new McpException(
                        Json.INTERNAL_ERROR,
                        "upstream `" + l.name + "` speaks protocol version `" + theirs
                                + "`, which the gateway does not");
            }
            l.capabilities =
                    r.path("capabilities").isObject() ? (ObjectNode) r.get("capabilities") : Json.F.objectNode();
            l.serverInfo = r.path("serverInfo").isObject() ? (ObjectNode) r.get("serverInfo") : Json.F.objectNode();
            l.instructions = r.path("instructions").asText(null);
            l.notify(Json.notification("notifications/initialized", null));
            l.initialized(theirs);
        }
        protocolVersion = version;

        ObjectNode caps = Json.F.objectNode();
        StringBuilder instructions = new StringBuilder();
        for (UpstreamLink l : links.values()) {
            ObjectNode c = l.capabilities;
            for (String k : List.of("tools", "prompts")) {
                if (c.has(k)) {
                    caps.putObject(k).put("listChanged", true);
                }
            }
            if (c.has("resources")) {
                ObjectNode r = caps.has("resources") ? (ObjectNode) caps.get("resources") : caps.putObject("resources");
                r.put("listChanged", true);
                if (c.path("resources").path("subscribe").asBoolean(false)) {
                    r.put("subscribe", true);
                }
            }
            if (c.has("logging")) {
                caps.putObject("logging");
            }
            if (c.has("completions")) {
                caps.putObject("completions");
            }
            if (c.get("experimental") instanceof ObjectNode x) {
                ObjectNode mine = caps.has("experimental")
                        ? (ObjectNode) caps.get("experimental")
                        : caps.putObject("experimental");
                mine.setAll(x);
            }
            if (l.instructions != null && !l.instructions.isBlank()) {
                if (instructions.length() > 0) {
                    instructions.append("\n\n");
                }
                if (links.size() > 1) {
                    instructions.append('[').append(l.name).append("] ");
                }
                instructions.append(l.instructions);
            }
        }
        ObjectNode taskCaps = TaskRoutes.capability(links.values());
        if (taskCaps != null) {
            caps.set("tasks", taskCaps);
        }
        ObjectNode result = Json.F.objectNode();
        result.put("protocolVersion", version);
        result.set("capabilities", caps);
        ObjectNode info = result.putObject("serverInfo");
        info.put("name", "portcullis-mcp-gateway");
        info.put("version", McpGateway.VERSION);
        if (instructions.length() > 0) {
            result.put("instructions", instructions.toString());
        }
        return result;
    }

    // ---------------------------------------------------------------------------------------------
    // lists

    private void list(Lists.Kind kind, JsonNode mid, ObjectNode params) {
        ObjectNode result;
        try {
            ArrayNode all = Json.F.arrayNode();
            List<String> failures = new ArrayList<>();
            for (UpstreamLink l : links.values()) {
                if (!l.has(kind.capability())) {
                    continue;
                }
                try {
                    // each upstream's entries are filtered on their own, so that the authorizer
                    // knows which upstream (and which name prefix) they come from
                    all.addAll(filtered(kind, mid, params, l, fetchAll(kind, l)));
                } catch (McpException e) {
                    failures.add(e.getMessage());
                    LOG.warn(
                            "session {}: listing `{}` of upstream `{}` failed: {}",
                            id,
                            kind.method(),
                            l.name,
                            e.getMessage());
                }
            }
            if (all.isEmpty() && !failures.isEmpty()) {
                toClient(Json.error(mid, Json.INTERNAL_ERROR, String.join("; ", failures)), mid);
                return;
            }
            ObjectNode filtered = Json.F.objectNode();
            filtered.set(kind.key(), all);
            result = page(filtered, kind.key(), params, mid);
            if (result == null) {
                return;
            }
        } catch (RuntimeException e) {
            LOG.warn("session {}: `{}` failed: {}", id, kind.method(), e.toString());
            toClient(Json.error(mid, Json.INTERNAL_ERROR, "the gateway could not list: " + e.getMessage()), mid);
            return;
        }
        toClient(Json.result(mid, result), mid);
    }

    /**
     * The entries of {@code l}'s list the caller may see. Throws {@link McpException} when the
     * authorizer fails or answers no list, so the entries are withheld, never shown unfiltered.
     */
    private ArrayNode filtered(Lists.Kind kind, JsonNode mid, ObjectNode params, UpstreamLink l, ArrayNode entries) {
        ObjectNode one = Json.F.objectNode();
        one.set(kind.key(), entries);
        ObjectNode answer;
        try {
            answer = gateway.authorizer()
                    .filterList(
                            new McpCall(kind.method(), mid, params, l.name, null, identity, sessionIdForCall()), one);
        } catch (RuntimeException e) {
            LOG.warn("session {}: filtering `{}` of upstream `{}` failed: {}", id, kind.method(), l.name, e.toString());
            answer = null;
        }
        if (answer == null || !(answer.get(kind.key()) instanceof ArrayNode kept)) {
            throw new McpException(
                    Json.INTERNAL_ERROR, "authorization failed; the list of upstream `" + l.name + "` is withheld");
        }
        return kept;
    }

    /** Every entry of one upstream's list (following its cursors), names prefixed, routes learnt. */
    private ArrayNode fetchAll(Lists.Kind kind, UpstreamLink l) {
        ArrayNode entries = Lists.fetchAll(kind, l, config);
        if (kind.key().equals("tools")) {
            tasks.forbidTaskSupport(l, entries);
        }
        routes.learn(l, entries);
        return entries;
    }

    /** One page of the aggregated (and filtered) list; {@code null} when the cursor was refused. */
    private ObjectNode page(ObjectNode filtered, String key, ObjectNode params, JsonNode mid) {
        try {
            return Lists.page(filtered, key, params.get("cursor"), config.pageSize());
        } catch (IllegalArgumentException e) {
            toClient(Json.error(mid, Json.INVALID_PARAMS, "Invalid cursor"), mid);
            return null;
        }
    }

    private void setLevel(JsonNode mid, ObjectNode params) {
        List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
        for (UpstreamLink l : links.values()) {
            if (l.has("logging")) {
                calls.add(l.call("logging/setLevel", params));
            }
        }
        List<String> failures = new ArrayList<>();
        for (CompletableFuture<JsonNode> c : calls) {
            try {
                c.get();
            } catch (java.util.concurrent.ExecutionException e) {
                failures.add(e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add("interrupted");
            }
        }
        if (failures.isEmpty()) {
            toClient(Json.result(mid, Json.F.objectNode()), mid);
        } else {
            toClient(Json.error(mid, Json.INTERNAL_ERROR, String.join("; ", failures)), mid);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // upstream -> client

    /** A request or notification from an upstream. */
    void fromUpstream(UpstreamLink link, ObjectNode m) {
        String method = m.get("method").asText();
        JsonNode uid = m.get("id");
        if (uid != null) {
            if (method.equals("ping")) {
                link.respond(uid, Json.result(uid, Json.F.objectNode()));
                return;
            }
            long mine = reverseIds.incrementAndGet();
            JsonNode clientId = LongNode.valueOf(mine);
            reverse.put(key(clientId), new Reverse(link, uid));
            JsonNode token = m.path("params").path("_meta").get("progressToken");
            if (token != null) {
                progressUpstream.put(key(token), link);
            }
            ObjectNode out = m.deepCopy();
            out.set("id", clientId);
            ClientChannel c = channel;
            if (c == null || !c.send(out, link.onlyPendingClientRequest())) {
                reverse.remove(key(clientId));
                link.respond(uid, Json.error(uid, Json.INTERNAL_ERROR, "the client cannot take requests now"));
            }
            return;
        }
        switch (method) {
            case "notifications/tools/list_changed",
                    "notifications/prompts/list_changed",
                    "notifications/resources/list_changed" -> gateway.background(() -> listChanged(link, method, m));
            case "notifications/progress" -> {
                JsonNode token = m.path("params").get("progressToken");
                JsonNode owner = token == null ? null : progressOwners.get(key(token));
                toClient(m, owner);
            }
            case "notifications/cancelled" -> {
                // the upstream withdraws a request it made of the client
                JsonNode rid = m.path("params").get("requestId");
                String found = null;
                if (rid != null) {
                    for (Map.Entry<String, Reverse> e : reverse.entrySet()) {
                        if (e.getValue().link() == link
                                && e.getValue().upstreamId().equals(rid)) {
                            found = e.getKey();
                        }
                    }
                }
                if (found != null) {
                    reverse.remove(found);
                    ObjectNode out = m.deepCopy();
                    ((ObjectNode) out.get("params")).set("requestId", LongNode.valueOf(Long.parseLong(found)));
                    toClient(out, null);
                }
            }
            default -> {
                if (method.equals("notifications/tasks/status")) {
                    tasks.status(link, m);
                }
                toClient(m, link.onlyPendingClientRequest());
            }
        }
    }

    /** An upstream's list changed: re-fetch it, let the authorizer see it, tell the client. */
    private void listChanged(UpstreamLink link, String method, ObjectNode m) {
        String list = method.substring("notifications/".length(), method.length() - "_changed".length());
        Lists.Kind kind = Lists.KINDS.get(list);
        if (kind != null && link.has(kind.capability())) {
            try {
                ObjectNode r = Json.F.objectNode();
                r.set(kind.key(), fetchAll(kind, link));
                gateway.authorizer()
                        .filterList(
                                new McpCall(
                                        kind.method(),
                                        null,
                                        Json.F.objectNode(),
                                        link.name,
                                        null,
                                        identity,
                                        sessionIdForCall()),
                                r);
            } catch (RuntimeException e) {
                LOG.debug("session {}: re-fetching `{}` of `{}`: {}", id, list, link.name, e.toString());
            }
        }
        toClient(m, null);
    }

    /** The policies changed: what the client may see may have changed too. */
    void policiesChanged() {
        if (!initialized()) {
            return;
        }
        boolean tools = false;
        boolean prompts = false;
        boolean resources = false;
        for (UpstreamLink l : links.values()) {
            tools |= l.has("tools");
            prompts |= l.has("prompts");
            resources |= l.has("resources");
        }
        if (tools) {
            toClient(Json.notification("notifications/tools/list_changed", null), null);
        }
        if (prompts) {
            toClient(Json.notification("notifications/prompts/list_changed", null), null);
        }
        if (resources) {
            toClient(Json.notification("notifications/resources/list_changed", null), null);
        }
    }

    /** Waits (at most {@code limit}) until every request of the client has been answered. */
    void awaitAnswers(java.time.Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < end && !closed) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<UpstreamLink> all;
        synchronized (links) {
            all = new ArrayList<>(links.values());
        }
        for (UpstreamLink l : all) {
            try {
                l.close();
            } catch (RuntimeException e) {
                LOG.debug("closing upstream `{}`: {}", l.name, e.toString());
            }
        }
        gateway.forget(this);
        ClientChannel c = channel;
        if (c != null) {
            c.closed();
        }
    }
}
