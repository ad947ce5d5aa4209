package dev.portcullis.server.session;

import dev.portcullis.cedar.Authorizer;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.pdp.DecisionRequest;
import dev.portcullis.pdp.SessionGuard;
import dev.portcullis.pdp.session.Session;
import dev.portcullis.pdp.session.SessionService;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * How a decision request over HTTP finds its session: the enforcement point sends the session
 * <em>token</em> ({@code X-Portcullis-Session} or AuthZEN {@code context.session_token}), never the
 * bare id, so knowing a session's id (from a log, a listing) is not enough to act in it. The token
 * is exchanged for the session id here; the id goes on the decision request, the token goes nowhere.
 *
 * <p>Also the decision service's {@link SessionGuard}: it hands real sessions to the {@link
 * SessionService} and denies the requests that could not be placed in one, each with its reason,
 * through the same decision path (so they are logged like every decision). Such a request carries
 * a placeholder session id in the log ({@link #INVALID_TOKEN}, {@link #NO_SESSION}, {@link
 * #DISABLED}); real ids start with {@code ses_}.
 */
public final class SessionGate implements SessionGuard {
    /** The session token sent is unknown, replaced by a renewal, or expired. */
    public static final String INVALID_TOKEN = "-invalid-session-token";
    /** The principal is an agent and no session was named ({@code sessions.required_for_agents}). */
    public static final String NO_SESSION = "-no-session";
    /** A session token was sent, but this server has no sessions. */
    public static final String DISABLED = "-sessions-disabled";

    private static final Map<String, String> WHY = Map.of(
            INVALID_TOKEN,
            "the session token is not valid: unknown, replaced by a renewal, or expired"
                    + " (renew the session: POST /v1/sessions/{id}:renew)",
            NO_SESSION,
            "agents act only within a session: send its token in `X-Portcullis-Session` or"
                    + " `context.session_token` (sessions.required_for_agents)",
            DISABLED,
            "the request names a session, but sessions are not enabled on this server (add a `sessions:` section)");

    private final SessionService sessions;
    private final String agentType;
    private final boolean requiredForAgents;

    /**
     * @param sessions the sessions, or {@code null} when sessions are not enabled
     * @param agentType the Cedar entity type of agents
     * @param requiredForAgents whether a request whose principal is an agent must name a session
     */
    public SessionGate(SessionService sessions, String agentType, boolean requiredForAgents) {
        this.sessions = sessions;
        this.agentType = agentType;
        this.requiredForAgents = requiredForAgents;
    }

    /** A gate for a server without sessions: requests naming one are denied. */
    public static SessionGate disabled() {
        return new SessionGate(null, "", false);
    }

    public boolean enabled() {
        return sessions != null;
    }

    /**
     * The request placed in the session {@code token} names, or denied by a placeholder id when it
     * cannot be; a request without token stays outside any session (unless its principal is an
     * agent and sessions are required for agents).
     */
    public DecisionRequest place(DecisionRequest request, String token) {
        if (token == null || token.isEmpty()) {
            if (sessions != null
                    && requiredForAgents
                    && request.request().principal().type().name().equals(agentType)) {
                return request.withSessionId(NO_SESSION);
            }
            return request;
        }
        if (sessions == null) {
            return request.withSessionId(DISABLED);
        }
        String id = sessions.sessionIdFor(token);
        return request.withSessionId(id != null ? id : INVALID_TOKEN);
    }

    /** The session a token belongs to while the token is current (the session may have ended). */
    public Optional<Session> authenticate(String token) {
        return sessions == null ? Optional.empty() : sessions.authenticate(token);
    }

    @Override
    public Outcome decide(DecisionRequest request, Entities entities, Authorizer policies, Instant now) {
        String why = WHY.get(request.sessionId());
        if (why != null) {
            return Outcome.failed(why);
        }
        if (sessions == null) {
            return Outcome.failed(WHY.get(DISABLED));
        }
        return sessions.decide(request, entities, policies, now);
    }
}
