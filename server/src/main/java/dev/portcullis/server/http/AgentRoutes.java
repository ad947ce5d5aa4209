package dev.portcullis.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.portcullis.pdp.approval.ApprovalService;
import dev.portcullis.pdp.approval.ApprovalStore;
import dev.portcullis.pdp.approval.ApprovalStores;
import dev.portcullis.pdp.identity.TokenVerifier;
import dev.portcullis.pdp.log.DecisionLogs;
import dev.portcullis.pdp.session.SessionService;
import dev.portcullis.pdp.session.SessionStore;
import dev.portcullis.pdp.session.SessionStores;
import dev.portcullis.server.admin.AdminApi.Answer;
import dev.portcullis.server.approval.ApprovalsApi;
import dev.portcullis.server.approval.LazyApprovalStore;
import dev.portcullis.server.config.AgentSettings;
import dev.portcullis.server.config.ServerConfig;
import dev.portcullis.server.config.ServerConfig.Role;
import dev.portcullis.server.http.PortcullisServer.Reply;
import dev.portcullis.server.session.SessionGate;
import dev.portcullis.server.session.SessionsApi;
import dev.portcullis.server.ssf.SsfReceiver;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The agent-authorization endpoints: sessions ({@code /v1/sessions}), the Shared Signals receiver
 * ({@code /v1/ssf/events}) and approvals ({@code /v1/approvals}), with the services behind them
 * built from the configuration. Who may call what:
 *
 * <pre>
 * POST   /v1/sessions, /v1/sessions/{id}:renew   the agent, by its own token (Bearer or agent_token)
 * GET    /v1/sessions/{id}, DELETE same           admin, or the session itself (X-Portcullis-Session)
 * GET    /v1/sessions, POST /v1/sessions:revoke   admin
 * POST   /v1/ssf/events                           a configured transmitter (the SET's signature)
 * GET    /v1/approvals[/{id}], POST {id}:grant|:deny   approver or admin
 * </pre>
 *
 * A part that is not configured answers 404 with what to configure.
 */
final class AgentRoutes {
    /** The header naming the agent session a request is made in, by its token. */
    static final String SESSION_HEADER = "x-portcullis-session";

    private static final Set<Role> APPROVERS = EnumSet.of(Role.APPROVER, Role.ADMIN);

    private final SessionService sessions;
    private final SessionGate gate;
    private final SessionsApi sessionsApi;
    private final SsfReceiver ssf;
    private final ApprovalService approvals;
    private final ApprovalsApi approvalsApi;
    private final boolean sessionsShared;

    /** Opens the stores and builds the services; each is added to {@code closeables} to close at shutdown. */
    AgentRoutes(ServerConfig config, List<AutoCloseable> closeables) {
        AgentSettings agents = config.agents();
        AgentSettings.Sessions s = agents.sessions();
        if (s != null) {
            SessionStore store = open("sessions.store", () -> SessionStores.open(s.storeUrl()));
            this.sessionsShared = store.shared();
            this.sessions = open("sessions.store", () -> new SessionService(s.config(), store));
            // the service first: closing it writes what is pending into the store
            closeables.add(sessions);
            closeables.add(store);
            TokenVerifier verifier = new TokenVerifier(s.issuers());
            verifier.prefetch();
            closeables.add(verifier);
            this.gate = new SessionGate(sessions, s.config().agentType(), s.requiredForAgents());
            this.sessionsApi = new SessionsApi(
                    sessions,
                    verifier,
                    s.config(),
                    s.defaultLimits(),
                    config.mapping().actionType());
        } else {
            this.sessionsShared = false;
            this.sessions = null;
            this.gate = SessionGate.disabled();
            this.sessionsApi = null;
        }
        if (agents.ssf() != null) {
            this.ssf = new SsfReceiver(agents.ssf().transmitters(), sessions);
            closeables.add(ssf);
        } else {
            this.ssf = null;
        }
        AgentSettings.Approvals a = agents.approvals();
        if (a != null) {
            // opened on first use: most policy sets never ask for an approval
            ApprovalStore store = new LazyApprovalStore(() -> ApprovalStores.open(jdbc(a.storeUrl())));
            closeables.add(store);
            this.approvals = new ApprovalService(store, a.options(), Clock.systemUTC());
            this.approvalsApi = new ApprovalsApi(approvals);
        } else {
            this.approvals = null;
            this.approvalsApi = null;
        }
    }

    /** ApprovalStores takes PostgreSQL as a JDBC url only; the log's {@code postgresql://} form is converted. */
    private static String jdbc(String url) {
        return url.startsWith("postgresql://") || url.startsWith("postgres://")
                ? DecisionLogs.postgresJdbcUrl(url)
                : url;
    }

    private static <T> T open(String key, Supplier<T> opener) {
        try {
            return opener.get();
        } catch (RuntimeException e) {
            throw new IllegalStateException(key + ": " + e.getMessage(), e);
        }
    }

    SessionGate gate() {
        return gate;
    }

    /** The agent sessions, or {@code null} when they are not enabled. */
    SessionService sessions() {
        return sessions;
    }

    ApprovalService approvals() {
        return approvals;
    }

    boolean sessionsShared() {
        return sessionsShared;
    }

    void register(ServerBuilder sb, PortcullisServer server) {
        sb.service("/v1/sessions", (ctx, req) -> {
            if (sessionsApi == null) {
                return sessionsOff(ctx);
            }
            return switch (req.method()) {
                case POST ->
                    agentCall(
                            server,
                            ctx,
                            req,
                            b -> sessionsApi.create(bearer(req), PortcullisServer.sessionHeader(req), b));
                case GET ->
                    server.guarded(
                            ctx,
                            req,
                            Role.ADMIN,
                            true,
                            (body, caller) -> PortcullisServer.toResponse(sessionsApi.list(params(ctx))),
                            false);
                default -> PortcullisServer.methodNotAllowed(ctx, "GET, POST");
            };
        });
        sb.service(
                "/v1/sessions:revoke",
                (ctx, req) -> sessionsApi == null
                        ? sessionsOff(ctx)
                        : server.json(
                                        Role.ADMIN,
                                        true,
                                        (body, caller) -> PortcullisServer.toResponse(sessionsApi.revokeMany(body)))
                                .serve(ctx, req));
        sb.serviceUnder("/v1/sessions/", (ctx, req) -> {
            if (sessionsApi == null) {
                return sessionsOff(ctx);
            }
            String rest = ctx.decodedPath().substring("/v1/sessions/".length());
            if (rest.endsWith(":renew")) {
                String id = rest.substring(0, rest.length() - ":renew".length());
                if (req.method() != HttpMethod.POST) {
                    return PortcullisServer.methodNotAllowed(ctx, "POST");
                }
                return agentCall(server, ctx, req, b -> sessionsApi.renew(id, bearer(req), b));
            }
            if (rest.isEmpty() || rest.contains("/") || rest.contains(":")) {
                return PortcullisServer.error(ctx, 404, "not_found", "no such endpoint: " + ctx.path());
            }
            return switch (req.method()) {
                case GET -> ownerOrAdmin(server, ctx, req, rest, () -> sessionsApi.get(rest));
                case DELETE ->
                    ownerOrAdmin(server, ctx, req, rest, () -> sessionsApi.revoke(rest, ctx.queryParam("reason")));
                default -> PortcullisServer.methodNotAllowed(ctx, "GET, DELETE");
            };
        });
        sb.service("/v1/ssf/events", (ctx, req) -> {
            if (ssf == null) {
                return PortcullisServer.error(
                        ctx, 404, "not_found", "the shared signals receiver is off: configure `ssf.transmitters`");
            }
            if (req.method() != HttpMethod.POST) {
                return PortcullisServer.methodNotAllowed(ctx, "POST");
            }
            MediaType type = req.headers().contentType();
            String contentType = type == null ? null : type.type() + "/" + type.subtype();
            // verifying may fetch a transmitter's keys: off the event loop
            return server.run(ctx, req, true, agg -> reply(ssf.receive(contentType, agg.contentUtf8())));
        });
        sb.service("/v1/approvals", (ctx, req) -> {
            if (approvalsApi == null) {
                return approvalsOff(ctx);
            }
            if (req.method() != HttpMethod.GET) {
                return PortcullisServer.methodNotAllowed(ctx, "GET");
            }
            return server.guarded(
                    ctx,
                    req,
                    APPROVERS,
                    true,
                    (body, caller) -> PortcullisServer.toResponse(approvalsApi.list(params(ctx))),
                    false);
        });
        sb.serviceUnder("/v1/approvals/", (ctx, req) -> {
            if (approvalsApi == null) {
                return approvalsOff(ctx);
            }
            String rest = ctx.decodedPath().substring("/v1/approvals/".length());
            int colon = rest.indexOf(':');
            String id = colon < 0 ? rest : rest.substring(0, colon);
            String verb = colon < 0 ? "" : rest.substring(colon + 1);
            if (id.isEmpty() || id.contains("/") || !(verb.isEmpty() || verb.equals("grant") || verb.equals("deny"))) {
                return PortcullisServer.error(ctx, 404, "not_found", "no such endpoint: " + ctx.path());
            }
            HttpMethod expected = verb.isEmpty() ? HttpMethod.GET : HttpMethod.POST;
            if (req.method() != expected) {
                return PortcullisServer.methodNotAllowed(ctx, expected.name());
            }
            return server.guarded(
                    ctx,
                    req,
                    APPROVERS,
                    true,
                    (body, caller) -> PortcullisServer.toResponse(
                            switch (verb) {
                                case "grant" -> approvalsApi.grant(id, caller.name(), body);
                                case "deny" -> approvalsApi.deny(id, caller.name(), body);
                                default -> approvalsApi.get(id);
                            }),
                    false);
        });
    }

    /**
     * A call whose credential is an agent token, not a caller's API key or JWT: run off the event
     * loop (the store is written, the issuer's keys may be fetched); a 401 carries an RFC 6750
     * challenge.
     */
    private static HttpResponse agentCall(
            PortcullisServer server, ServiceRequestContext ctx, HttpRequest req, Function<JsonNode, Answer> call) {
        return server.run(ctx, req, true, (AggregatedHttpRequest agg) -> {
            String text = agg.contentUtf8();
            JsonNode body = text.isBlank() ? null : PortcullisServer.parse(text);
            Answer a = call.apply(body == null ? JsonNodeFactory.instance.objectNode() : body);
            if (a.status() == 401) {
                String message = a.body().path("message").asText();
                String challenge = "Bearer realm=\"portcullis\"";
                if (!message.startsWith("no agent token")) {
                    challenge += ", error=\"invalid_token\", error_description=\"" + PortcullisServer.quotable(message)
                            + "\"";
                }
                ctx.addAdditionalResponseHeader(HttpHeaderNames.WWW_AUTHENTICATE, challenge);
            }
            return reply(a);
        });
    }

    /**
     * A session's own agent may read or end it with its session token ({@code X-Portcullis-Session}
     * and no other credentials); anyone else needs the admin role.
     */
    private HttpResponse ownerOrAdmin(
            PortcullisServer server, ServiceRequestContext ctx, HttpRequest req, String id, Supplier<Answer> call) {
        String token = PortcullisServer.sessionHeader(req);
        boolean otherCredentials = req.headers().contains(HttpHeaderNames.AUTHORIZATION)
                || req.headers().contains("x-api-key");
        if (token != null && !otherCredentials) {
            return server.run(
                    ctx,
                    req,
                    true,
                    agg -> sessionsApi.isTokenOf(id, token)
                            ? reply(call.get())
                            : reply(Answer.error(
                                    403,
                                    "forbidden",
                                    "the session token is not the current token of session `" + id + "`")));
        }
        return server.guarded(ctx, req, Role.ADMIN, true, (body, caller) -> reply(call.get()), false);
    }

    private static Reply reply(Answer a) {
        return PortcullisServer.toResponse(a);
    }

    /** The bearer value of the Authorization header, or {@code null}. */
    private static String bearer(HttpRequest req) {
        String a = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (a == null || !a.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String v = a.substring(7).strip();
        return v.isEmpty() ? null : v;
    }

    private static Map<String, String> params(ServiceRequestContext ctx) {
        QueryParams q = ctx.queryParams();
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : q.names()) {
            params.put(name, q.get(name));
        }
        return params;
    }

    private static HttpResponse sessionsOff(ServiceRequestContext ctx) {
        return PortcullisServer.error(
                ctx,
                404,
                "not_found",
                "agent sessions are not enabled: add a `sessions:` section to the configuration");
    }

    private static HttpResponse approvalsOff(ServiceRequestContext ctx) {
        return PortcullisServer.error(ctx, 404, "not_found", "approvals are turned off (`approvals.enabled: false`)");
    }
}
