package dev.portcullis.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.pdp.identity.TokenException;
import dev.portcullis.pdp.identity.TokenVerifier;
import dev.portcullis.pdp.identity.VerifiedToken;
import dev.portcullis.pdp.session.CreatedSession;
import dev.portcullis.pdp.session.Limits;
import dev.portcullis.pdp.session.Session;
import dev.portcullis.pdp.session.SessionConfig;
import dev.portcullis.pdp.session.SessionException;
import dev.portcullis.pdp.session.SessionFilter;
import dev.portcullis.pdp.session.SessionJson;
import dev.portcullis.pdp.session.SessionRequest;
import dev.portcullis.pdp.session.SessionService;
import dev.portcullis.pdp.session.SessionState;
import dev.portcullis.server.admin.AdminApi;
import dev.portcullis.server.admin.AdminApi.Answer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sessions API without HTTP: JSON in, {@link Answer} out. Who may call what is the HTTP layer's
 * business, except for starting and renewing a session, whose credential is the agent's own token
 * (checked here against {@code sessions.issuers}).
 *
 * <pre>
 * POST   /v1/sessions              start (agent token: Authorization Bearer or `agent_token`)
 * POST   /v1/sessions/{id}:renew   a fresh session token for a fresh agent token
 * GET    /v1/sessions              list (agent, user, state; limit, after)
 * GET    /v1/sessions/{id}         one, with the Cedar policies its boundary compiled to
 * DELETE /v1/sessions/{id}         revoke it and its sub-agents' sessions
 * POST   /v1/sessions:revoke       revoke every session of an agent, a user or a token subject
 * </pre>
 */
public final class SessionsApi {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final List<String> CREATE_FIELDS = List.of(
            "agent_token", "user_token", "purpose", "boundary", "expires_in", "limits", "parent", "parent_token");

    private final SessionService sessions;
    private final TokenVerifier verifier;
    private final SessionConfig config;
    private final Limits defaultLimits;
    private final String actionType;

    /**
     * @param verifier checks agent and user tokens ({@code sessions.issuers})
     * @param defaultLimits the limits of a session that declares none
     * @param actionType the Cedar type of a bare action name in a boundary or limit
     */
    public SessionsApi(
            SessionService sessions,
            TokenVerifier verifier,
            SessionConfig config,
            Limits defaultLimits,
            String actionType) {
        this.sessions = sessions;
        this.verifier = verifier;
        this.config = config;
        this.defaultLimits = defaultLimits;
        this.actionType = actionType;
    }

    /**
     * {@code POST /v1/sessions}: 201 with the session and its token.
     *
     * @param bearer the {@code Authorization: Bearer} value, or {@code null}
     * @param sessionHeader the {@code X-Portcullis-Session} header (a parent's token), or {@code null}
     */
    public Answer create(String bearer, String sessionHeader, JsonNode body) {
        try {
            return start(bearer, sessionHeader, object(body));
        } catch (SessionException e) {
            return refused(e);
        }
    }

    private Answer start(String bearer, String sessionHeader, ObjectNode b) {
        List<String> unknown = SessionInput.unknownFields(b, CREATE_FIELDS);
        if (!unknown.isEmpty()) {
            return error(
                    400,
                    "bad_request",
                    "unknown field `" + unknown.get(0) + "` (expected " + String.join(", ", CREATE_FIELDS) + ")");
        }
        String agentJwt = text(b, "agent_token");
        if (agentJwt == null) {
            agentJwt = bearer;
        }
        if (agentJwt == null || agentJwt.isBlank()) {
            return error(
                    401,
                    "unauthorized",
                    "no agent token: send `Authorization: Bearer <agent token>` or `agent_token` in the body");
        }
        VerifiedToken agent;
        VerifiedToken user = null;
        try {
            agent = verifier.verify(agentJwt.strip());
        } catch (TokenException e) {
            return error(401, "unauthorized", "agent token refused: " + e.getMessage());
        }
        String userJwt = text(b, "user_token");
        if (userJwt != null) {
            try {
                user = verifier.verify(userJwt.strip());
            } catch (TokenException e) {
                return error(401, "unauthorized", "user token refused: " + e.getMessage());
            }
        }
        String purpose = text(b, "purpose");
        String parent = text(b, "parent");
        String parentToken = text(b, "parent_token");
        if (parent != null && parentToken == null) {
            parentToken = sessionHeader;
        }
        if (parent == null && parentToken != null) {
            return error(400, "bad_request", "`parent_token` without `parent`: name the parent session's id");
        }
        Duration expiresIn =
                b.hasNonNull("expires_in") ? SessionInput.duration(b.get("expires_in"), "expires_in") : null;
        Limits limits = b.has("limits") ? SessionInput.limits(b.get("limits"), actionType, "limits") : defaultLimits;
        SessionRequest req = new SessionRequest(
                agent,
                user,
                purpose,
                SessionInput.boundary(b.get("boundary"), actionType, "boundary"),
                expiresIn,
                limits,
                parent,
                parentToken);
        CreatedSession c = sessions.create(req);
        return new Answer(201, withToken(c));
    }

    /** {@code POST /v1/sessions/{id}:renew}: the agent's fresh token (and the user's) for a new session token. */
    public Answer renew(String id, String bearer, JsonNode body) {
        try {
            return renewWith(
                    id, bearer, body == null || body.isNull() || body.isMissingNode() ? F.objectNode() : object(body));
        } catch (SessionException e) {
            return refused(e);
        }
    }

    private Answer renewWith(String id, String bearer, ObjectNode b) {
        List<String> unknown = SessionInput.unknownFields(b, List.of("agent_token", "user_token"));
        if (!unknown.isEmpty()) {
            return error(
                    400, "bad_request", "unknown field `" + unknown.get(0) + "` (expected agent_token, user_token)");
        }
        String agentJwt = text(b, "agent_token");
        if (agentJwt == null) {
            agentJwt = bearer;
        }
        if (agentJwt == null || agentJwt.isBlank()) {
            return error(401, "unauthorized", "no agent token: send `Authorization: Bearer <agent token>`");
        }
        VerifiedToken agent;
        VerifiedToken user = null;
        try {
            agent = verifier.verify(agentJwt.strip());
            String userJwt = text(b, "user_token");
            if (userJwt != null) {
                user = verifier.verify(userJwt.strip());
            }
        } catch (TokenException e) {
            return error(401, "unauthorized", "token refused: " + e.getMessage());
        }
        return new Answer(200, withToken(sessions.renew(id, agent, user)));
    }

    /** {@code GET /v1/sessions}: filters {@code agent}, {@code user} (entity ids), {@code state}; paging. */
    public Answer list(Map<String, String> params) {
        AdminApi.onlyParams(params, List.of("agent", "user", "state", "limit", "after"));
        SessionState state = null;
        if (params.containsKey("state")) {
            state = SessionState.fromWireName(params.get("state"));
            if (state == null) {
                return error(
                        400,
                        "bad_request",
                        "`state`: expected active, revoked or expired, got `" + params.get("state") + "`");
            }
        }
        int limit = AdminApi.limit(params);
        EntityUid agent = params.containsKey("agent") ? EntityUid.of(config.agentType(), params.get("agent")) : null;
        EntityUid user = params.containsKey("user") ? EntityUid.of(config.userType(), params.get("user")) : null;
        List<Session> all = sessions.list(new SessionFilter(agent, user, state));
        int from = 0;
        String after = params.get("after");
        if (after != null) {
            from = -1;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).id().equals(after)) {
                    from = i + 1;
                    break;
                }
            }
            if (from < 0) {
                return error(400, "bad_request", "`after`: no session `" + after + "` among the results");
            }
        }
        ObjectNode out = F.objectNode();
        ArrayNode list = out.putArray("sessions");
        int to = Math.min(all.size(), from + limit);
        for (Session s : all.subList(from, to)) {
            list.add(SessionJson.toJson(s));
        }
        if (to < all.size()) {
            out.put("next_after", all.get(to - 1).id());
        } else {
            out.putNull("next_after");
        }
        return new Answer(200, out);
    }

    /** {@code GET /v1/sessions/{id}}: the session and the Cedar text of its boundary. */
    public Answer get(String id) {
        Optional<Session> s = sessions.get(id);
        if (s.isEmpty()) {
            return error(404, "not_found", "session `" + id + "` does not exist");
        }
        ObjectNode o = SessionJson.toJson(s.get());
        try {
            o.put("boundary_policies", sessions.boundaryPolicies(id));
        } catch (SessionException e) {
            // purged between the two reads: the session itself is still worth answering with
        }
        return new Answer(200, o);
    }

    /** {@code DELETE /v1/sessions/{id}}: revokes the session and its sub-agents' sessions. */
    public Answer revoke(String id, String reason) {
        try {
            return new Answer(200, SessionJson.toJson(sessions.revoke(id, reason)));
        } catch (SessionException e) {
            return refused(e);
        }
    }

    /**
     * {@code POST /v1/sessions:revoke} with exactly one of {@code agent}, {@code user} (entity ids)
     * or {@code subject} (a token {@code sub}, with an optional {@code issuer}), and a {@code reason}.
     */
    public Answer revokeMany(JsonNode body) {
        try {
            return revokeWhere(object(body));
        } catch (SessionException e) {
            return refused(e);
        }
    }

    private Answer revokeWhere(ObjectNode b) {
        List<String> unknown = SessionInput.unknownFields(b, List.of("agent", "user", "subject", "issuer", "reason"));
        if (!unknown.isEmpty()) {
            return error(
                    400,
                    "bad_request",
                    "unknown field `" + unknown.get(0) + "` (expected agent, user, subject, issuer, reason)");
        }
        String agent = text(b, "agent");
        String user = text(b, "user");
        String subject = text(b, "subject");
        String reason = text(b, "reason");
        int given = (agent == null ? 0 : 1) + (user == null ? 0 : 1) + (subject == null ? 0 : 1);
        if (given != 1) {
            return error(400, "bad_request", "name exactly one of `agent`, `user` or `subject`");
        }
        if (b.has("issuer") && subject == null) {
            return error(400, "bad_request", "`issuer` goes with `subject`");
        }
        List<String> ids;
        if (agent != null) {
            ids = sessions.revokeAllForAgent(EntityUid.of(config.agentType(), agent), reason);
        } else if (user != null) {
            ids = sessions.revokeAllForUser(EntityUid.of(config.userType(), user), reason);
        } else {
            ids = sessions.revokeAllForSubject(text(b, "issuer"), subject, reason);
        }
        ObjectNode o = F.objectNode();
        ids.forEach(o.putArray("revoked")::add);
        return new Answer(200, o);
    }

    /** Whether {@code token} is the current token of session {@code id} (its own agent asking). */
    public boolean isTokenOf(String id, String token) {
        return token != null
                && sessions.authenticate(token).map(s -> s.id().equals(id)).orElse(false);
    }

    private static ObjectNode withToken(CreatedSession c) {
        ObjectNode o = SessionJson.toJson(c.session());
        o.put("session_token", c.token());
        o.put("session_token_expires_at", c.tokenExpiresAt().toString());
        return o;
    }

    private static ObjectNode object(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new SessionException(SessionException.Kind.INVALID_REQUEST, "the request body must be a json object");
        }
        return (ObjectNode) body;
    }

    private static String text(ObjectNode b, String field) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new SessionException(SessionException.Kind.INVALID_REQUEST, "`" + field + "`: expected a string");
        }
        return v.asText();
    }

    /** The status a refusal of the session service answers with. */
    static Answer refused(SessionException e) {
        return switch (e.kind()) {
            case INVALID_REQUEST -> error(400, "bad_request", e.getMessage());
            case FORBIDDEN -> error(403, "forbidden", e.getMessage());
            case NOT_FOUND -> error(404, "not_found", e.getMessage());
            case CONFLICT -> error(409, "conflict", e.getMessage());
            case UNAVAILABLE -> error(503, "unavailable", e.getMessage());
        };
    }

    static Answer error(int status, String code, String message) {
        return Answer.error(status, code, message);
    }
}
