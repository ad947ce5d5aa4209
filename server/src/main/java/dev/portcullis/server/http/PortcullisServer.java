package dev.portcullis.server.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.ExchangeType;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.TlsKeyPair;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.RoutingContext;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.mcp.McpGateway;
import dev.portcullis.pdp.DecisionService;
import dev.portcullis.pdp.authzen.AuthZenMapping;
import dev.portcullis.pdp.authzen.BadRequestException;
import dev.portcullis.pdp.entity.EntityProvider;
import dev.portcullis.pdp.entity.JsonFileEntityProvider;
import dev.portcullis.pdp.log.DecisionLog;
import dev.portcullis.pdp.log.DecisionLogs;
import dev.portcullis.pdp.policy.DirectoryPolicySource;
import dev.portcullis.pdp.policy.DirectoryWatcher;
import dev.portcullis.pdp.policy.PolicySnapshot;
import dev.portcullis.pdp.policy.PolicyStore;
import dev.portcullis.server.admin.AdminApi;
import dev.portcullis.server.authzen.AnswerJson;
import dev.portcullis.server.authzen.AuthZenApi;
import dev.portcullis.server.config.ServerConfig;
import dev.portcullis.server.config.ServerConfig.Role;
import dev.portcullis.server.http.Authenticator.Caller;
import io.netty.handler.ssl.ClientAuth;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Portcullis HTTP server on Armeria: the AuthZEN API under {@code /access/v1/}, its metadata at
 * {@code /.well-known/authzen-configuration}, the admin API under {@code /v1/}, the agent sessions,
 * Shared Signals and approvals APIs ({@link AgentRoutes}), and {@code /metrics}, {@code
 * /health/live}, {@code /health/ready}. HTTP/1.1 and HTTP/2 on one port: cleartext
 * (h2c), or HTTPS with ALPN when {@code server.tls} is configured.
 *
 * <p>Who may call what: the AuthZEN API needs the {@code pep} role, the admin API the {@code admin}
 * role; metadata, metrics and health need no credentials (they reveal no decisions).
 *
 * <p>Decisions run on the event loop when the log is buffered (the append only queues), and on the
 * blocking executor when it is durable (the append waits for the commit).
 */
public final class PortcullisServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PortcullisServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final ServerConfig config;
    private final DecisionLog log;
    private final PolicyStore store;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final ServerMetrics metrics;
    private final Authenticator authenticator;
    private final AuthZenApi authzen;
    private final AdminApi admin;
    private final Readiness readiness;
    private final AgentRoutes agents;
    private final Server server;
    private final TlsKeyPair tlsKeys;
    private final McpGateway mcp;
    private volatile boolean closed;

    private PortcullisServer(ServerConfig config, DecisionLogs.Options logOptions) {
        this.config = config;
        // first: a certificate that cannot be used stops the start before anything is opened
        this.tlsKeys = config.tls() == null ? null : tlsKeys(config.tls());
        this.store = new PolicyStore();
        PolicyBundleLoader loader = new PolicyBundleLoader(config.policies(), config.schema());
        // the first load must succeed: a PDP without policies would only deny
        store.update(loader.load());
        if (config.watch()) {
            closeables.add(DirectoryWatcher.start(
                    config.policies(),
                    DirectoryPolicySource.DEFAULT_DEBOUNCE,
                    DirectoryPolicySource.DEFAULT_POLL,
                    new DirectoryReload(loader, store)));
        }
        List<JsonFileEntityProvider> providers = new ArrayList<>();
        for (Path p : config.entities()) {
            JsonFileEntityProvider provider = JsonFileEntityProvider.following(p, store);
            if (config.watch()) {
                provider.watch(DirectoryPolicySource.DEFAULT_DEBOUNCE, DirectoryPolicySource.DEFAULT_POLL);
            }
            providers.add(provider);
            closeables.add(provider);
        }
        EntityProvider entities = combine(providers, store);
        DecisionLogs.Options options = logOptions.withDurable(config.durableLog());
        this.log = openLog(config.logUrl(), options);
        this.metrics = new ServerMetrics(store, log, () -> providers.stream()
                .mapToLong(JsonFileEntityProvider::refusals)
                .sum());
        this.agents = new AgentRoutes(config, closeables);
        DecisionService service = new DecisionService(
                store::current, entities, log, Clock.systemUTC(), agents.gate(), agents.approvals());
        AuthZenMapping mapping =
                new AuthZenMapping(config.mapping(), agents.gate().enabled());
        this.authzen = new AuthZenApi(
                service, store::current, entities, mapping, config.responseContext(), metrics::record, agents.gate());
        this.admin = new AdminApi(store, log);
        this.readiness = new Readiness(store::current, entities, log, () -> closed);
        this.authenticator = config.auth().disabled() ? Authenticator.disabled() : authenticator(config.auth());
        this.mcp = config.mcp() == null
                ? null
                : McpHosting.create(config.mcp(), service, agents.sessions(), store, entities, closeables);
        this.server = build();
    }

    /** API keys and/or bearer JWTs, as configured; API keys are asked first (a digest lookup). */
    private Authenticator authenticator(ServerConfig.Auth auth) {
        List<Authenticator> all = new ArrayList<>();
        if (!auth.apiKeys().isEmpty()) {
            all.add(new ApiKeyAuthenticator(auth.apiKeys()));
        }
        if (auth.jwt() != null) {
            JwtAuthenticator jwt = new JwtAuthenticator(auth.jwt());
            closeables.add(jwt);
            all.add(jwt);
        }
        return Authenticator.firstOf(all);
    }

    private static DecisionLog openLog(String url, DecisionLogs.Options options) {
        if (url.startsWith("sqlite:")) {
            Path file = Path.of(url.substring("sqlite:".length()));
            Path dir = file.toAbsolutePath().getParent();
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new IllegalStateException("log.url: cannot create directory `" + dir + "`: " + e.getMessage());
            }
        }
        return DecisionLogs.open(url, options);
    }

    /** Starts a server; throws with a one-line message when the configuration cannot be served. */
    public static PortcullisServer start(ServerConfig config) {
        return start(config, DecisionLogs.Options.defaults());
    }

    /** {@link #start(ServerConfig)} with the decision log's queue and batching set (tests). */
    static PortcullisServer start(ServerConfig config, DecisionLogs.Options logOptions) {
        PortcullisServer s = new PortcullisServer(config, logOptions);
        try {
            s.server.start().join();
        } catch (RuntimeException e) {
            s.close();
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException(
                    "cannot listen on " + config.bind() + ":" + config.port() + ": " + c.getMessage());
        }
        LOG.info(
                "portcullis serving {} on {}://{}:{}{}; decision log {} ({}); {} event loop{}",
                config.policies(),
                s.scheme(),
                config.bind(),
                s.port(),
                config.auth().disabled() ? " (authentication disabled)" : "",
                redact(config.logUrl()),
                config.durableLog() ? "durable" : "buffered",
                config.eventLoops(),
                config.eventLoops() == 1 ? "" : "s");
        return s;
    }

    /** {@code https} when TLS is configured, else {@code http}. */
    public String scheme() {
        return config.tls() == null ? "http" : "https";
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.activePort().localAddress().getPort();
    }

    /** The MCP gateway hosted at {@code /mcp}, or {@code null} without an {@code mcp:} section. */
    public McpGateway mcpGateway() {
        return mcp;
    }

    public PolicyStore policyStore() {
        return store;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    private static EntityProvider combine(List<JsonFileEntityProvider> providers, PolicyStore store) {
        if (providers.size() == 1) {
            return providers.get(0);
        }
        if (providers.isEmpty()) {
            // no entity data: the schema's actions (for `action in` groups), built once per schema
            return new EntityProvider() {
                private Schema last;
                private Entities cached = Entities.EMPTY;

                @Override
                public synchronized Entities current() {
                    PolicySnapshot s = store.current();
                    Schema schema = s == null ? null : s.schemaOrNull();
                    if (schema != last) {
                        last = schema;
                        cached = schema == null ? Entities.EMPTY : Entities.of(schema.actionEntities());
                    }
                    return cached;
                }
            };
        }
        // several files: merged, rebuilt only when one of them reloaded
        return new EntityProvider() {
            private List<Entities> parts = List.of();
            private Entities merged;

            @Override
            public synchronized Entities current() {
                List<Entities> now =
                        providers.stream().map(JsonFileEntityProvider::current).toList();
                boolean same = now.size() == parts.size();
                for (int i = 0; same && i < now.size(); i++) {
                    same = now.get(i) == parts.get(i);
                }
                if (!same) {
                    Map<Object, Entity> all = new LinkedHashMap<>();
                    for (Entities e : now) {
                        for (Entity x : e.all()) {
                            all.putIfAbsent(x.uid(), x);
                        }
                    }
                    merged = Entities.of(all.values());
                    parts = now;
                }
                return merged;
            }
        };
    }

    private Server build() {
        ServerBuilder sb = Server.builder();
        listen(sb);
        // the server's own event loops, stopped with it (see ConfigLoader.defaultEventLoops)
        sb.workerGroup(config.eventLoops())
                .meterRegistry(metrics.registry())
                .gracefulShutdownTimeout(Duration.ZERO, config.shutdownGrace())
                .maxRequestLength(10 * 1024 * 1024);
        if (mcp != null) {
            mcp.addRoutes(sb);
        }
        // a shared session store may be read during a decision: not on the event loop then
        boolean blocking = config.durableLog() || agents.sessionsShared();
        sb.service("/access/v1/evaluation", unary((ctx, req) -> json(
                        Role.PEP,
                        blocking,
                        (body, received, caller) -> new Reply(
                                200, null, authzen.evaluationJson(body, received, caller.name(), sessionHeader(req))))
                .serve(ctx, req)));
        sb.service("/access/v1/evaluations", unary((ctx, req) -> json(
                        Role.PEP,
                        blocking,
                        (body, caller) -> ok(authzen.evaluations(body, caller.name(), sessionHeader(req))))
                .serve(ctx, req)));
        sb.service("/access/v1/search/subject", unary((ctx, req) -> json(Role.PEP, blocking, (body, caller) -> {
                    noSessionHeader(req);
                    return ok(authzen.searchSubject(body, caller.name()));
                })
                .serve(ctx, req)));
        sb.service("/access/v1/search/resource", unary((ctx, req) -> json(Role.PEP, blocking, (body, caller) -> {
                    noSessionHeader(req);
                    return ok(authzen.searchResource(body, caller.name()));
                })
                .serve(ctx, req)));
        sb.service("/access/v1/search/action", unary((ctx, req) -> json(Role.PEP, blocking, (body, caller) -> {
                    noSessionHeader(req);
                    return ok(authzen.searchAction(body, caller.name()));
                })
                .serve(ctx, req)));
        sb.service("/.well-known/authzen-configuration", (ctx, req) -> {
            String host = req.headers().authority();
            String base = scheme() + "://" + (host == null ? config.bind() + ":" + port() : host);
            return respond(ctx, 200, authzen.metadata(base));
        });
        sb.service("/v1/policies", (ctx, req) -> switch (req.method()) {
            case GET -> guarded(ctx, req, Role.ADMIN, true, (body, caller) -> toResponse(admin.policies()), false);
            case PUT -> guarded(ctx, req, Role.ADMIN, true, (body, caller) -> toResponse(admin.put(body)), true);
            default -> methodNotAllowed(ctx, "GET, PUT");
        });
        sb.service("/v1/policies/validate", json(Role.ADMIN, true, (body, caller) -> toResponse(admin.validate(body))));
        sb.service("/v1/decisions", (ctx, req) -> {
            if (req.method() != com.linecorp.armeria.common.HttpMethod.GET) {
                return methodNotAllowed(ctx, "GET");
            }
            QueryParams q = ctx.queryParams();
            Map<String, String> params = new LinkedHashMap<>();
            for (String name : q.names()) {
                params.put(name, q.get(name));
            }
            return guarded(ctx, req, Role.ADMIN, true, (body, caller) -> toResponse(admin.decisions(params)), false);
        });
        agents.register(sb, this);
        sb.service(
                "/metrics",
                (ctx, req) -> HttpResponse.of(
                        HttpStatus.OK, MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), metrics.scrape()));
        sb.service(
                "/health/live", (ctx, req) -> respond(ctx, 200, F.objectNode().put("status", "up")));
        // off the event loop: the decision log's probe may wait for its store
        sb.service(
                "/health/ready",
                (ctx, req) -> HttpResponse.of(CompletableFuture.supplyAsync(
                        () -> {
                            Readiness.Report r = readiness.check();
                            return respond(ctx, r.ready() ? 200 : 503, r.body());
                        },
                        ctx.blockingTaskExecutor())));
        // X-Request-ID: echoed on every response
        sb.decorator((delegate, ctx, req) -> {
            String id = req.headers().get("x-request-id");
            if (id != null) {
                ctx.addAdditionalResponseHeader("x-request-id", id);
            }
            return delegate.serve(ctx, req);
        });
        return sb.build();
    }

    /**
     * {@code service} as a unary exchange: Armeria reads the request whole before calling it and
     * takes its response whole, without the per-request streaming stages a default (bidirectional
     * streaming) service goes through, so {@link #run} finds the body already there and answers
     * at once. For the AuthZEN endpoints, which take one JSON body and answer one JSON body.
     */
    static HttpService unary(HttpService service) {
        return new HttpService() {
            @Override
            public HttpResponse serve(ServiceRequestContext ctx, com.linecorp.armeria.common.HttpRequest req)
                    throws Exception {
                return service.serve(ctx, req);
            }

            @Override
            public ExchangeType exchangeType(RoutingContext routingContext) {
                return ExchangeType.UNARY;
            }
        };
    }

    /**
     * Plain HTTP (HTTP/1.1 and h2c), or with {@code server.tls} HTTPS only (HTTP/1.1 and HTTP/2
     * chosen by ALPN), on the one configured port. With {@code client_ca}, a client certificate
     * chaining to it is required during the handshake; who the caller is still comes from its API
     * key or token.
     */
    private void listen(ServerBuilder sb) {
        InetSocketAddress address = new InetSocketAddress(config.bind(), config.port());
        ServerConfig.Tls tls = config.tls();
        if (tls == null) {
            sb.http(address);
            return;
        }
        sb.https(address);
        sb.tls(tlsKeys);
        if (tls.clientCa() != null) {
            File ca = tls.clientCa().toFile();
            sb.tlsCustomizer(b -> b.clientAuth(ClientAuth.REQUIRE).trustManager(ca));
        }
    }

    private static TlsKeyPair tlsKeys(ServerConfig.Tls tls) {
        try {
            return TlsKeyPair.of(tls.key().toFile(), tls.cert().toFile());
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IllegalStateException(
                    "server.tls: cannot use `" + tls.cert() + "` with `" + tls.key() + "`: " + root.getMessage());
        }
    }

    /** A status and a JSON body: a tree, or the bytes to send ({@code json}); neither: no body. */
    record Reply(int status, JsonNode body, byte[] json) {
        Reply(int status, JsonNode body) {
            this(status, body, null);
        }
    }

    private static Reply ok(JsonNode body) {
        return new Reply(200, body);
    }

    static Reply toResponse(AdminApi.Answer a) {
        return new Reply(a.status(), a.body());
    }

    /** The {@code X-Portcullis-Session} header: the token of the agent session a decision is made in. */
    static String sessionHeader(com.linecorp.armeria.common.HttpRequest req) {
        String v = req.headers().get(AgentRoutes.SESSION_HEADER);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static void noSessionHeader(com.linecorp.armeria.common.HttpRequest req) {
        if (sessionHeader(req) != null) {
            throw new BadRequestException("a search is not made in an agent session: leave out the `"
                    + AgentRoutes.SESSION_HEADER + "` header");
        }
    }

    /** A handler of a request's JSON body that also sees the body's bytes as received. */
    interface BodyHandler {
        Reply apply(JsonNode body, byte[] received, Caller caller);
    }

    HttpService json(Role role, boolean blocking, BiFunction<JsonNode, Caller, Reply> handler) {
        return json(role, blocking, (body, received, caller) -> handler.apply(body, caller));
    }

    HttpService json(Role role, boolean blocking, BodyHandler handler) {
        Set<Role> roles = EnumSet.of(role);
        return (ctx, req) -> {
            if (req.method() != com.linecorp.armeria.common.HttpMethod.POST) {
                return methodNotAllowed(ctx, "POST");
            }
            // a body that says it is not JSON is refused (AuthZEN certification c-2-4-3); no
            // content type at all is read as JSON, for hand-written clients
            MediaType type = req.headers().contentType();
            if (type != null
                    && !(type.subtype().equals("json") || type.subtype().endsWith("+json"))) {
                return error(
                        ctx,
                        400,
                        "bad_request",
                        "content type `" + type.type() + "/" + type.subtype()
                                + "`: send `Content-Type: application/json`");
            }
            return guarded(ctx, req, roles, blocking, handler, true);
        };
    }

    HttpResponse guarded(
            ServiceRequestContext ctx,
            com.linecorp.armeria.common.HttpRequest req,
            Role role,
            boolean blocking,
            BiFunction<JsonNode, Caller, Reply> handler,
            boolean needsBody) {
        return guarded(ctx, req, EnumSet.of(role), blocking, handler, needsBody);
    }

    /** Authenticates the caller, requires one of {@code roles}, then runs {@code handler}. */
    HttpResponse guarded(
            ServiceRequestContext ctx,
            com.linecorp.armeria.common.HttpRequest req,
            Set<Role> roles,
            boolean blocking,
            BiFunction<JsonNode, Caller, Reply> handler,
            boolean needsBody) {
        return guarded(ctx, req, roles, blocking, (body, received, caller) -> handler.apply(body, caller), needsBody);
    }

    HttpResponse guarded(
            ServiceRequestContext ctx,
            com.linecorp.armeria.common.HttpRequest req,
            Set<Role> roles,
            boolean blocking,
            BodyHandler handler,
            boolean needsBody) {
        String authorization = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        String apiKey = req.headers().get("x-api-key");
        if (authenticator.mayBlock(authorization, apiKey) && ctx.eventLoop().inEventLoop()) {
            // checking a JWT may wait for its issuer's keys: never on the event loop
            return HttpResponse.of(CompletableFuture.supplyAsync(
                    () -> guarded(ctx, req, roles, true, handler, needsBody), ctx.blockingTaskExecutor()));
        }
        Caller caller;
        try {
            caller = authenticator.authenticate(authorization, apiKey);
        } catch (Authenticator.Rejected e) {
            return afterBody(req, unauthorized(ctx, e.getMessage(), "the token was refused: " + e.getMessage()));
        }
        if (caller == null) {
            if (authorization == null && apiKey == null) {
                return afterBody(
                        req,
                        unauthorized(
                                ctx,
                                null,
                                "no credentials: send `Authorization: Bearer <token or api key>` or `X-API-Key: <key>`"));
            }
            return afterBody(req, unauthorized(ctx, "unknown api key or token", "unknown api key or token"));
        }
        if (!caller.hasAny(roles)) {
            List<String> names = roles.stream()
                    .map(r -> "`" + r.name().toLowerCase(java.util.Locale.ROOT) + "`")
                    .toList();
            return afterBody(
                    req,
                    error(
                            ctx,
                            403,
                            "forbidden",
                            "caller `" + caller.name() + "` lacks the " + String.join(" or ", names) + " role"));
        }
        // a body is required where needsBody, and read when one is sent elsewhere (e.g. an approver's note)
        return run(ctx, req, blocking, agg -> {
            HttpData content = agg.content();
            return needsBody || !isBlank(content)
                    ? handler.apply(parse(content), content.array(), caller)
                    : handler.apply(null, null, caller);
        });
    }

    /**
     * {@code response}, sent once the request body has been read. A refusal sent while the client
     * is still sending would end the stream early (HTTP/2 resets it), and the client would see a
     * broken connection instead of the 401 or 403 that explains it. The body is read and dropped.
     */
    static HttpResponse afterBody(com.linecorp.armeria.common.HttpRequest req, HttpResponse response) {
        CompletableFuture<AggregatedHttpRequest> agg = req.aggregate();
        if (agg.isDone()) {
            return response;
        }
        return HttpResponse.of(agg.handle((body, failure) -> response));
    }

    /**
     * Runs {@code handler} on the aggregated request (on the blocking executor when {@code
     * blocking}): its reply, or 400 for a {@link BadRequestException}, 500 for anything else.
     */
    HttpResponse run(
            ServiceRequestContext ctx,
            com.linecorp.armeria.common.HttpRequest req,
            boolean blocking,
            Function<AggregatedHttpRequest, Reply> handler) {
        Function<AggregatedHttpRequest, HttpResponse> run = agg -> {
            try {
                Reply r = handler.apply(agg);
                if (r.json() != null) {
                    return respond(r.status(), r.json());
                }
                return r.body() == null
                        ? HttpResponse.of(ResponseHeaders.of(HttpStatus.valueOf(r.status())))
                        : respond(ctx, r.status(), r.body());
            } catch (BadRequestException e) {
                return error(ctx, 400, "bad_request", e.getMessage());
            } catch (RuntimeException e) {
                LOG.error(
                        "internal error on {} (request id {})",
                        ctx.path(),
                        req.headers().get("x-request-id"),
                        e);
                return error(
                        ctx,
                        500,
                        "internal_error",
                        "internal error: " + e.getClass().getSimpleName());
            }
        };
        CompletableFuture<AggregatedHttpRequest> agg = req.aggregate();
        if (!blocking && agg.isDone() && !agg.isCompletedExceptionally()) {
            // a unary service's request has arrived whole: answer now, not through another stage
            return run.apply(agg.join());
        }
        return HttpResponse.of(blocking ? agg.thenApplyAsync(run, ctx.blockingTaskExecutor()) : agg.thenApply(run));
    }

    /** Whether the body is empty or only JSON whitespace. */
    static boolean isBlank(HttpData content) {
        byte[] b = content.array();
        for (byte c : b) {
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    static JsonNode parse(String text) {
        return parse(HttpData.ofUtf8(text));
    }

    /** The body as JSON, read from its bytes (UTF-8) without decoding it into a string first. */
    static JsonNode parse(HttpData content) {
        if (isBlank(content)) {
            throw new BadRequestException("empty body: expected a json object");
        }
        try {
            return JSON.readTree(content.array());
        } catch (JacksonException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            throw new BadRequestException("malformed json" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequestException("malformed json: " + e.getMessage());
        }
    }

    /**
     * 401 with an RFC 6750 challenge: no error code when no credentials came (section 3.1), else
     * {@code invalid_token} with a description.
     */
    static HttpResponse unauthorized(ServiceRequestContext ctx, String description, String message) {
        String challenge = "Bearer realm=\"portcullis\"";
        if (description != null) {
            challenge += ", error=\"invalid_token\", error_description=\"" + quotable(description) + "\"";
        }
        ctx.addAdditionalResponseHeader(HttpHeaderNames.WWW_AUTHENTICATE, challenge);
        return error(ctx, 401, "unauthorized", message);
    }

    /** RFC 6750 section 3: error_description is printable ASCII without {@code "} and {@code \\}. */
    static String quotable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? c : '?');
        }
        return b.toString();
    }

    static HttpResponse methodNotAllowed(ServiceRequestContext ctx, String allowed) {
        ctx.addAdditionalResponseHeader(HttpHeaderNames.ALLOW, allowed);
        return error(ctx, 405, "method_not_allowed", "use " + allowed);
    }

    static HttpResponse error(ServiceRequestContext ctx, int status, String code, String message) {
        ObjectNode o = F.objectNode();
        o.put("error", code);
        o.put("message", message);
        return respond(ctx, status, o);
    }

    static HttpResponse respond(ServiceRequestContext ctx, int status, JsonNode body) {
        return respond(status, AnswerJson.write(body));
    }

    private static HttpResponse respond(int status, byte[] json) {
        return HttpResponse.of(HttpStatus.valueOf(status), MediaType.JSON_UTF_8, HttpData.wrap(json));
    }

    /** Stops accepting requests, lets running ones finish, then drains the decision log queue. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("stopping: finishing running requests, then draining the decision log");
        if (server != null) {
            server.stop().join();
        }
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("while closing {}: {}", c, e.getMessage());
            }
        }
        if (log != null) {
            try {
                log.close();
            } catch (RuntimeException e) {
                LOG.error("decision log not fully drained: {}", e.getMessage());
                throw e;
            }
            LOG.info("decision log drained; stopped");
        }
        server.closeAsync();
    }

    /** A URL for the log: the password, if any, replaced by {@code ***}. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("(://[^/@:]*):[^/@]*@", "$1:***@");
    }
}
