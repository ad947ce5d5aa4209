package dev.portcullis.mcp.authz;

import dev.portcullis.mcp.McpCall;
import dev.portcullis.mcp.McpIdentity;
import dev.portcullis.mcp.authz.CoazSettings.SessionMode;
import dev.portcullis.pdp.identity.VerifiedToken;
import dev.portcullis.pdp.session.SessionRequest;
import dev.portcullis.pdp.session.SessionService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which Portcullis agent session a call is decided in (see {@link SessionMode}). Sessions the
 * authorizer starts are kept per subject or per MCP session and started again when they end
 * (expired, revoked): the new one starts without the old one's labels.
 */
final class SessionBinder {
    /** Lifetime given to a stdio identity's synthetic token, which has no {@code exp}. */
    static final Duration STDIO_TOKEN_LIFETIME = Duration.ofDays(365);

    private final SessionMode mode;
    private final SessionService sessions;
    private final String purpose;
    private final Clock clock;
    private final Map<String, String> started = new ConcurrentHashMap<>();

    SessionBinder(SessionMode mode, SessionService sessions, String purpose, Clock clock) {
        if (sessions == null && (mode == SessionMode.PER_IDENTITY || mode == SessionMode.PER_MCP_SESSION)) {
            throw new IllegalArgumentException("sessions.mode `" + mode.name().toLowerCase(java.util.Locale.ROOT)
                    + "` needs agent sessions: enable `sessions` in the configuration");
        }
        this.mode = mode;
        this.sessions = sessions;
        this.purpose = purpose;
        this.clock = clock;
    }

    /** The session id for {@code call}, or {@code null} for none; starts one when the mode says so. */
    String sessionFor(McpCall call) {
        McpIdentity id = call.identity();
        if (mode == SessionMode.NONE) {
            return null;
        }
        if (id.sessionId() != null) {
            return id.sessionId();
        }
        if (mode == SessionMode.IDENTITY) {
            return null;
        }
        if (call.method().equals("initialize")) {
            return null; // nothing to act in yet: the MCP session is named in initialize's answer
        }
        String iss = id.claims().get("iss") instanceof String s ? s : "";
        String key = mode == SessionMode.PER_MCP_SESSION && call.mcpSessionId() != null
                ? "mcp\u0000" + call.mcpSessionId()
                : "sub\u0000" + iss + "\u0000" + id.subject();
        return started.compute(key, (k, current) -> {
            if (current != null && sessions.isActive(current)) {
                return current;
            }
            return sessions.create(SessionRequest.of(token(id)).withPurpose(purpose))
                    .session()
                    .id();
        });
    }

    /** Forgets the session kept for an MCP session that ended (it lives on until it expires). */
    void mcpSessionEnded(String mcpSessionId) {
        if (mcpSessionId != null) {
            started.remove("mcp\u0000" + mcpSessionId);
        }
    }

    /** A verified token for the identity's claims (already verified by the transport or configured). */
    VerifiedToken token(McpIdentity id) {
        Map<String, Object> claims = new LinkedHashMap<>(id.claims());
        claims.putIfAbsent("sub", id.subject());
        String iss = claims.get("iss") instanceof String s ? s : "urn:portcullis:mcp";
        String sub = claims.get("sub") instanceof String s ? s : id.subject();
        Set<String> aud = new LinkedHashSet<>();
        switch (claims.get("aud")) {
            case String s -> aud.add(s);
            case Collection<?> c -> c.forEach(x -> aud.add(String.valueOf(x)));
            case null, default -> {}
        }
        Instant now = clock.instant();
        Instant exp = claims.get("exp") instanceof Number n
                ? Instant.ofEpochSecond(n.longValue())
                : now.plus(STDIO_TOKEN_LIFETIME);
        Instant iat = claims.get("iat") instanceof Number n ? Instant.ofEpochSecond(n.longValue()) : null;
        String jti = claims.get("jti") instanceof String s ? s : null;
        return new VerifiedToken(iss, sub, aud, jti, iat, exp, List.of(), claims);
    }
}
