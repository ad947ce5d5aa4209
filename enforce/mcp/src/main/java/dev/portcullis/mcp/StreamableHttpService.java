package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.portcullis.pdp.identity.TokenException;
import dev.portcullis.pdp.identity.TokenVerifier;
import dev.portcullis.pdp.identity.VerifiedToken;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Streamable HTTP transport towards clients (MCP 2025-11-25, basic/transports): POST one
 * message (a request is answered with JSON, or with an SSE stream when the upstream sends related
 * messages before its answer), GET an SSE stream for messages of the server's own, DELETE to end
 * the session. Before anything else: {@code Origin} and {@code Host} against DNS rebinding, then
 * the bearer token when tokens are checked.
 */
final class StreamableHttpService {
    private static final Logger LOG = LoggerFactory.getLogger(StreamableHttpService.class);
    static final String SESSION_HEADER = "Mcp-Session-Id";
    static final String VERSION_HEADER = "MCP-Protocol-Version";
    private static final String METADATA = "/.well-known/oauth-protected-resource";

    private final McpGateway gateway;
    private final McpGatewayConfig.Http config;
    private final TokenVerifier verifier;
    private final int maxBytes;

    StreamableHttpService(McpGateway gateway, TokenVerifier verifier) {
        this.gateway = gateway;
        this.config = gateway.config().http();
        this.verifier = verifier;
        this.maxBytes = gateway.config().maxMessageBytes();
    }

    void addRoutes(ServerBuilder sb) {
        sb.service(config.path(), (ctx, req) -> serve(ctx, req));
        if (config.resource() != null) {
            sb.service(METADATA, (ctx, req) -> metadata(ctx, req));
            String suffix = config.resource().getPath();
            if (suffix != null && !suffix.isEmpty() && !suffix.equals("/")) {
                sb.service(METADATA + suffix, (ctx, req) -> metadata(ctx, req));
            }
        }
    }

    /** RFC 9728 protected-resource metadata. */
    private HttpResponse metadata(ServiceRequestContext ctx, HttpRequest req) {
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED);
        }
        ObjectNode m = Json.F.objectNode();
        m.put("resource", config.resource().toString());
        var servers = m.putArray("authorization_servers");
        config.authorizationServers().forEach(servers::add);
        if (config.authorizationServers().isEmpty()) {
            config.issuers().forEach(i -> servers.add(i.issuer()));
        }
        m.putArray("bearer_methods_supported").add("header");
        m.put("resource_name", "Portcullis MCP gateway");
        return HttpResponse.ofJson(m);
    }

    /** Where a client finds the metadata: the well-known path with the resource's path appended. */
    String metadataUrl() {
        URI r = config.resource();
        String path = r.getPath() == null || r.getPath().equals("/") ? "" : r.getPath();
        return r.getScheme() + "://" + r.getRawAuthority() + METADATA + path;
    }

    private HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        RequestHeaders h = req.headers();
        String rebinding = rebinding(h);
        if (rebinding != null) {
            LOG.warn("refused a request: {}", rebinding);
            return jsonError(HttpStatus.FORBIDDEN, null, Json.INVALID_REQUEST, "Forbidden: " + rebinding);
        }
        HttpMethod m = req.method();
        if (m != HttpMethod.POST && m != HttpMethod.GET && m != HttpMethod.DELETE) {
            return HttpResponse.of(ResponseHeaders.builder(HttpStatus.METHOD_NOT_ALLOWED)
                    .add(HttpHeaderNames.ALLOW, "GET, POST, DELETE")
                    .build());
        }
        if (m == HttpMethod.POST) {
            long declared = h.contentLength();
            if (declared > maxBytes) {
                return tooLarge();
            }
            ctx.setMaxRequestLength(maxBytes);
            ctx.setRequestTimeout(gateway.config().requestTimeout().plus(Duration.ofSeconds(30)));
            // the answer: whole (JSON, with its length) when it comes first, else an SSE stream
            CompletableFuture<HttpResponse> reply = new CompletableFuture<>();
            HttpResponse response = HttpResponse.of(reply);
            req.aggregate().handle((agg, err) -> {
                if (err != null) {
                    boolean large = err instanceof com.linecorp.armeria.common.ContentTooLargeException
                            || err.getCause() instanceof com.linecorp.armeria.common.ContentTooLargeException;
                    if (large) {
                        reply.complete(tooLarge());
                    } else {
                        reply.completeExceptionally(err);
                    }
                    return null;
                }
                gateway.background(() -> {
                    try {
                        post(h, agg, reply, response);
                    } catch (RuntimeException e) {
                        LOG.warn("handling a POST failed: {}", e.toString());
                        reply.complete(jsonError(
                                HttpStatus.INTERNAL_SERVER_ERROR, null, Json.INTERNAL_ERROR, "internal error"));
                    }
                });
                return null;
            });
            return response;
        }
        HttpResponseWriter res = HttpResponse.streaming();
        if (m == HttpMethod.GET) {
            ctx.clearRequestTimeout();
        }
        gateway.background(() -> {
            try {
                if (m == HttpMethod.GET) {
                    get(h, res);
                } else {
                    delete(h, res);
                }
            } catch (RuntimeException e) {
                LOG.warn("handling a {} failed: {}", m, e.toString());
                writeWhole(res, HttpResponse.of(HttpStatus.INTERNAL_SERVER_ERROR));
            }
        });
        return res;
    }

    private HttpResponse tooLarge() {
        return jsonError(
                HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                null,
                Json.INVALID_REQUEST,
                "message too large: the limit is " + maxBytes + " bytes");
    }

    // ---------------------------------------------------------------------------------------------
    // DNS rebinding

    /** Why the request's Origin or Host is refused, or {@code null}. */
    private String rebinding(RequestHeaders h) {
        String host = h.authority();
        if (host == null) {
            host = h.get(HttpHeaderNames.HOST);
        }
        if (host == null || !hostAllowed(host)) {
            return "Host `" + host + "` is not allowed";
        }
        String origin = h.get(HttpHeaderNames.ORIGIN);
        if (origin != null && !originAllowed(origin)) {
            return "Origin `" + origin + "` is not allowed";
        }
        return null;
    }

    private boolean hostAllowed(String authority) {
        String a = authority.toLowerCase(Locale.ROOT);
        String bare = stripPort(a);
        if (config.allowedHosts().isEmpty()) {
            return isLoopback(bare);
        }
        for (String allowed : config.allowedHosts()) {
            String x = allowed.toLowerCase(Locale.ROOT);
            if (x.equals("*") || x.equals(a) || x.equals(bare)) {
                return true;
            }
        }
        return false;
    }

    private boolean originAllowed(String origin) {
        String o = origin.toLowerCase(Locale.ROOT);
        if (config.allowedOrigins().isEmpty()) {
            URI u;
            try {
                u = URI.create(o);
            } catch (IllegalArgumentException e) {
                return false;
            }
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
                    && u.getHost() != null
                    && isLoopback(u.getHost());
        }
        for (String allowed : config.allowedOrigins()) {
            String x = allowed.toLowerCase(Locale.ROOT);
            if (x.equals("*") || x.equals(o)) {
                return true;
            }
        }
        return false;
    }

    private static String stripPort(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? authority : authority.substring(0, end + 1);
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1");
    }

    // ---------------------------------------------------------------------------------------------
    // identity

    /** The caller, or the 401 to answer. */
    private sealed interface Auth {}

    private record Authenticated(McpIdentity identity) implements Auth {}

    private record Refused(HttpResponse response) implements Auth {}

    private Auth authenticate(RequestHeaders h) {
        if (verifier == null) {
            McpIdentity base = gateway.config().identity().toIdentity();
            String s = sessionFromHeader(h);
            return new Authenticated(
                    s == null ? base : new McpIdentity(base.subject(), base.claims(), s, base.caller()));
        }
        String authz = h.get(HttpHeaderNames.AUTHORIZATION);
        if (authz == null
                || !authz.regionMatches(true, 0, "Bearer ", 0, 7)
                || authz.substring(7).isBlank()) {
            return new Refused(unauthorized(null, "a bearer token is required"));
        }
        VerifiedToken t;
        try {
            t = verifier.verify(authz.substring(7).strip());
        } catch (TokenException e) {
            return new Refused(unauthorized("invalid_token", e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("verifying a token failed: {}", e.toString());
            return new Refused(unauthorized("invalid_token", "the token could not be verified"));
        }
        String claim = config.subjectClaim();
        Object sub = claim.equals("sub") ? t.subject() : t.claims().get(claim);
        if (!(sub instanceof String subject) || subject.isBlank()) {
            return new Refused(unauthorized("invalid_token", "the token has no `" + claim + "` claim"));
        }
        String session = null;
        if (config.sessionClaim() != null && t.claims().get(config.sessionClaim()) instanceof String s) {
            session = s;
        }
        if (session == null) {
            session = sessionFromHeader(h);
        }
        return new Authenticated(new McpIdentity(subject, t.claims(), session, subject));
    }

    private String sessionFromHeader(RequestHeaders h) {
        if (config.sessionHeader() == null) {
            return null;
        }
        String v = h.get(config.sessionHeader());
        return v == null || v.isBlank() ? null : v.strip();
    }

    private HttpResponse unauthorized(String error, String description) {
        StringBuilder b = new StringBuilder("Bearer resource_metadata=\"")
                .append(metadataUrl())
                .append('"');
        if (error != null) {
            b.append(", error=\"").append(error).append('"');
            b.append(", error_description=\"")
                    .append(description.replace('"', '\'').replace('\\', '/'))
                    .append('"');
        }
        ObjectNode body = Json.error(null, Json.INVALID_REQUEST, "Unauthorized: " + description);
        return HttpResponse.of(
                ResponseHeaders.builder(HttpStatus.UNAUTHORIZED)
                        .add(HttpHeaderNames.WWW_AUTHENTICATE, b.toString())
                        .contentType(MediaType.JSON_UTF_8)
                        .build(),
                HttpData.ofUtf8(body.toString()));
    }

    // ---------------------------------------------------------------------------------------------
    // POST / GET / DELETE

    /**
     * Handles a POSTed message; its answer completes {@code reply} ({@code response} is what
     * Armeria sends: the deferred {@code reply}).
     */
    private void post(
            RequestHeaders h, AggregatedHttpRequest agg, CompletableFuture<HttpResponse> reply, HttpResponse response) {
        Auth auth = authenticate(h);
        if (auth instanceof Refused r) {
            reply.complete(r.response());
            return;
        }
        McpIdentity identity = ((Authenticated) auth).identity();
        JsonNode msg;
        try {
            msg = Json.MAPPER.readTree(agg.content().array());
        } catch (IOException e) {
            reply.complete(jsonError(HttpStatus.BAD_REQUEST, null, Json.PARSE_ERROR, "Parse error: not JSON"));
            return;
        }
        if (msg == null || msg.isMissingNode()) {
            reply.complete(jsonError(HttpStatus.BAD_REQUEST, null, Json.PARSE_ERROR, "Parse error: empty body"));
            return;
        }
        String bad = Json.invalid(msg);
        if (bad != null) {
            reply.complete(
                    jsonError(HttpStatus.BAD_REQUEST, Json.idOf(msg), Json.INVALID_REQUEST, "Invalid request: " + bad));
            return;
        }
        ObjectNode m = (ObjectNode) msg;
        boolean isRequest = m.has("method") && m.has("id");
        String sid = h.get(SESSION_HEADER);
        GatewaySession session;
        HttpChannel channel;
        if (isRequest && "initialize".equals(m.get("method").asText())) {
            if (sid != null) {
                GatewaySession existing = gateway.session(sid);
                if (existing == null) {
                    reply.complete(
                            jsonError(HttpStatus.NOT_FOUND, m.get("id"), Json.INVALID_REQUEST, "Session not found"));
                    return;
                }
            }
            channel = new HttpChannel();
            session = gateway.newSession("", identity, channel);
            channel.session = session;
        } else {
            if (sid == null) {
                reply.complete(jsonError(
                        HttpStatus.BAD_REQUEST,
                        Json.idOf(m),
                        Json.INVALID_REQUEST,
                        "Bad Request: the " + SESSION_HEADER + " header is required (initialize first)"));
                return;
            }
            String problem = checkSession(h, sid, identity);
            if (problem != null) {
                reply.complete(jsonError(statusOf(problem), Json.idOf(m), Json.INVALID_REQUEST, problem));
                return;
            }
            session = gateway.session(sid);
            session.identity = identity;
            channel = (HttpChannel) session.channelForHttp();
        }
        if (!isRequest) {
            session.fromClient(m);
            reply.complete(HttpResponse.of(HttpStatus.ACCEPTED));
            return;
        }
        String accept = h.get(HttpHeaderNames.ACCEPT, "");
        boolean sse = accept.contains("text/event-stream") || accept.contains("*/*");
        JsonNode id = m.get("id");
        channel.posts.put(Json.key(id), new PostStream(reply, response, sse, session.id, id));
        response.whenComplete().handle((v, e) -> channel.posts.remove(Json.key(id)));
        session.fromClient(m);
    }

    /** Why this request may not use session {@code sid}, or {@code null}. */
    private String checkSession(RequestHeaders h, String sid, McpIdentity identity) {
        GatewaySession s = gateway.session(sid);
        if (s == null) {
            return "Session not found: it ended or never existed; initialize a new one";
        }
        if (!s.identity.subject().equals(identity.subject())) {
            return "Forbidden: the session belongs to another subject";
        }
        String v = h.get(VERSION_HEADER);
        if (v != null && !GatewaySession.PROTOCOL_VERSIONS.contains(v)) {
            return "Bad Request: unsupported " + VERSION_HEADER + " `" + v + "` (supported: "
                    + String.join(", ", GatewaySession.PROTOCOL_VERSIONS) + ")";
        }
        return null;
    }

    /** The session a GET or DELETE names, or {@code null} when the refusal has been written. */
    private GatewaySession existingSession(RequestHeaders h, HttpResponseWriter res) {
        Auth auth = authenticate(h);
        if (auth instanceof Refused r) {
            writeWhole(res, r.response());
            return null;
        }
        String sid = h.get(SESSION_HEADER);
        if (sid == null) {
            writeWhole(
                    res,
                    jsonError(
                            HttpStatus.BAD_REQUEST,
                            null,
                            Json.INVALID_REQUEST,
                            "Bad Request: the " + SESSION_HEADER + " header is required"));
            return null;
        }
        String problem = checkSession(h, sid, ((Authenticated) auth).identity());
        if (problem != null) {
            writeWhole(res, jsonError(statusOf(problem), null, Json.INVALID_REQUEST, problem));
            return null;
        }
        return gateway.session(sid);
    }

    private static HttpStatus statusOf(String problem) {
        return problem.startsWith("Session not found")
                ? HttpStatus.NOT_FOUND
                : problem.startsWith("Forbidden") ? HttpStatus.FORBIDDEN : HttpStatus.BAD_REQUEST;
    }

    private void get(RequestHeaders h, HttpResponseWriter res) {
        String accept = h.get(HttpHeaderNames.ACCEPT, "");
        if (!accept.contains("text/event-stream")) {
            writeWhole(
                    res,
                    jsonError(
                            HttpStatus.NOT_ACCEPTABLE,
                            null,
                            Json.INVALID_REQUEST,
                            "Not Acceptable: GET opens an event stream; accept text/event-stream"));
            return;
        }
        GatewaySession session = existingSession(h, res);
        if (session == null) {
            return;
        }
        String sid = session.id;
        HttpChannel channel = (HttpChannel) gateway.session(sid).channelForHttp();
        synchronized (channel) {
            if (channel.get != null && channel.get.isOpen()) {
                writeWhole(
                        res,
                        jsonError(
                                HttpStatus.CONFLICT,
                                null,
                                Json.INVALID_REQUEST,
                                "Conflict: this session already has an event stream"));
                return;
            }
            res.write(ResponseHeaders.builder(HttpStatus.OK)
                    .contentType(MediaType.EVENT_STREAM)
                    .add(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                    .add(SESSION_HEADER, sid)
                    .build());
            channel.get = res;
        }
        res.whenComplete().handle((v, e) -> {
            synchronized (channel) {
                if (channel.get == res) {
                    channel.get = null;
                }
            }
            return null;
        });
    }

    private void delete(RequestHeaders h, HttpResponseWriter res) {
        GatewaySession s = existingSession(h, res);
        if (s == null) {
            return;
        }
        s.close();
        writeWhole(res, HttpResponse.of(HttpStatus.OK));
    }

    // ---------------------------------------------------------------------------------------------
    // streams

    /**
     * A POSTed request waiting for its answer: JSON (whole, with its length) when the answer comes
     * first, else an SSE stream that carries the related messages and then the answer.
     */
    private static final class PostStream {
        final CompletableFuture<HttpResponse> reply;
        final HttpResponse response;
        final boolean sseAllowed;
        final String sessionId;
        final JsonNode id;
        HttpResponseWriter sse;

        PostStream(
                CompletableFuture<HttpResponse> reply,
                HttpResponse response,
                boolean sseAllowed,
                String sessionId,
                JsonNode id) {
            this.reply = reply;
            this.response = response;
            this.sseAllowed = sseAllowed;
            this.sessionId = sessionId;
            this.id = id;
        }

        /** Writes a message; {@code false} when this stream cannot take it. */
        synchronized boolean write(ObjectNode message) {
            if (!response.isOpen() || (reply.isDone() && (sse == null || !sse.isOpen()))) {
                return false;
            }
            boolean last = !message.has("method") && id.equals(message.get("id"));
            if (sse == null) {
                if (last) {
                    ResponseHeaders headers = ResponseHeaders.builder(HttpStatus.OK)
                            .contentType(MediaType.JSON_UTF_8)
                            .add(SESSION_HEADER, sessionId)
                            .build();
                    return reply.complete(HttpResponse.of(headers, HttpData.wrap(Json.bytes(message))));
                }
                if (!sseAllowed) {
                    return false;
                }
                HttpResponseWriter stream = HttpResponse.streaming();
                stream.write(ResponseHeaders.builder(HttpStatus.OK)
                        .contentType(MediaType.EVENT_STREAM)
                        .add(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                        .add(SESSION_HEADER, sessionId)
                        .build());
                if (!reply.complete(stream)) {
                    stream.abort();
                    return false;
                }
                sse = stream;
            }
            sse.write(event(message));
            if (last) {
                sse.close();
            }
            return true;
        }

        synchronized void abandon() {
            if (sse == null) {
                reply.complete(HttpResponse.of(ResponseHeaders.builder(HttpStatus.ACCEPTED)
                        .add(SESSION_HEADER, sessionId)
                        .build()));
            } else {
                sse.close();
            }
        }
    }

    static HttpData event(ObjectNode message) {
        return HttpData.ofUtf8("event: message\ndata: " + Json.write(message) + "\n\n");
    }

    /** The client side of one HTTP session: its waiting POSTs and its GET stream. */
    static final class HttpChannel implements ClientChannel {
        final Map<String, PostStream> posts = new ConcurrentHashMap<>();
        volatile HttpResponseWriter get;
        volatile GatewaySession session;

        /** Writing to an HTTP response never blocks: Armeria queues it for the connection's event loop. */
        @Override
        public boolean mayBlock() {
            return false;
        }

        @Override
        public boolean send(ObjectNode message, JsonNode related) {
            if (related != null) {
                PostStream p = posts.get(Json.key(related));
                if (p != null && p.write(message)) {
                    return true;
                }
            }
            HttpResponseWriter g = get;
            if (g != null && g.isOpen()) {
                synchronized (this) {
                    if (g.tryWrite(event(message))) {
                        return true;
                    }
                }
            }
            // last resort: any open POST stream of the session
            for (PostStream p : posts.values()) {
                if (!message.has("id") || message.has("method")) {
                    if (p.write(message)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** Whether the client holds an open stream (a GET, or a request waiting for its answer). */
        boolean streaming() {
            HttpResponseWriter g = get;
            return (g != null && g.isOpen()) || !posts.isEmpty();
        }

        @Override
        public void abandoned(JsonNode id) {
            PostStream p = posts.remove(Json.key(id));
            if (p != null) {
                p.abandon();
            }
        }

        @Override
        public void closed() {
            for (PostStream p : posts.values()) {
                p.abandon();
            }
            posts.clear();
            HttpResponseWriter g = get;
            if (g != null) {
                g.close();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    static HttpResponse jsonError(HttpStatus status, JsonNode id, int code, String message) {
        return HttpResponse.of(
                status, MediaType.JSON_UTF_8, Json.error(id, code, message).toString());
    }

    /** Writes a complete response into a streaming writer. */
    static void writeWhole(HttpResponseWriter res, HttpResponse whole) {
        whole.aggregate().handle((agg, err) -> {
            if (err != null) {
                res.close(err);
            } else if (res.isOpen()) {
                res.write(agg.headers());
                if (!agg.content().isEmpty()) {
                    res.write(agg.content());
                }
                res.close();
            }
            return null;
        });
    }
}
