package dev.portcullis.server.ssf;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.pdp.identity.SecurityEvent;
import dev.portcullis.pdp.identity.SecurityEventToken;
import dev.portcullis.pdp.identity.SetVerifier;
import dev.portcullis.pdp.identity.SubjectId;
import dev.portcullis.pdp.identity.TokenException;
import dev.portcullis.pdp.identity.TrustedIssuer;
import dev.portcullis.pdp.session.SessionException;
import dev.portcullis.pdp.session.SessionService;
import dev.portcullis.server.admin.AdminApi.Answer;
import dev.portcullis.server.config.AgentSettings.Transmitter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenID Shared Signals receiver: Security Event Tokens pushed by the configured transmitters
 * (RFC 8935) end the sessions they concern <em>before</em> the push is acknowledged, so a 202 means
 * the next decision in an affected session is a deny.
 *
 * <pre>
 * event (CAEP / RISC)                  what happens to sessions
 * caep session-revoked                 with a `session` subject member (the IdP's sid): the sessions
 *                                      started with that IdP session's tokens end; without: every
 *                                      session of the subject's tokens issued until now ends, and
 *                                      such tokens start none
 * caep credential-change               sessions of the subject's tokens issued before the event end;
 * risc credential-compromise           such tokens start none
 * caep token-claims-change             the subject's sessions end (new tokens may start new ones);
 *                                      with a `jwt_id` subject, that token is revoked
 * caep assurance-level-change          as token-claims-change, unless `change_direction` is `increase`
 * risc account-disabled, -purged       the subject's sessions end; its tokens start none until enabled
 * risc account-enabled                 its tokens may start sessions again
 * anything else (e.g. ssf verification) acknowledged, nothing changes
 * </pre>
 *
 * Subjects: {@code iss_sub} names the token issuer and subject; {@code opaque} is a subject of the
 * transmitter's {@code token_issuer}; a complex subject's {@code user} member is the subject and its
 * {@code session} member ({@code opaque}) the IdP session id; {@code jwt_id} names one token. Other
 * formats cannot be matched to tokens and are refused (400 {@code invalid_request}), so a
 * transmitter learns at once that its events are not being applied.
 */
public final class SsfReceiver implements AutoCloseable {
    /** The media type of a pushed SET (RFC 8417 section 2.3). */
    public static final String MEDIA_TYPE = "application/secevent+jwt";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int MAX_SET_LENGTH = 64 * 1024;
    private static final int REMEMBERED = 10_000;

    private final SetVerifier verifier;
    private final SessionService sessions;
    private final Map<String, String> tokenIssuers = new LinkedHashMap<>();
    // jti of the SETs already applied, per transmitter: a redelivery is acknowledged and not re-applied
    private final Map<String, Boolean> seen = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    /**
     * @param sessions the sessions the events act on, or {@code null} when sessions are not enabled
     *     (events are then verified and acknowledged, and change nothing)
     */
    public SsfReceiver(List<Transmitter> transmitters, SessionService sessions) {
        List<TrustedIssuer> trusted = new ArrayList<>();
        for (Transmitter t : transmitters) {
            trusted.add(t.trusted());
            tokenIssuers.put(t.trusted().issuer(), t.tokenIssuer());
        }
        this.verifier = new SetVerifier(trusted);
        this.sessions = sessions;
    }

    /**
     * {@code POST /v1/ssf/events}: 202 once the events are applied, or 400 with {@code {"err":
     * "...", "description": "..."}} (RFC 8935 section 2.3).
     *
     * @param contentType the request's media type ({@code type/subtype}), or {@code null}
     */
    public Answer receive(String contentType, String body) {
        if (contentType == null || !contentType.equalsIgnoreCase(MEDIA_TYPE)) {
            return failure(
                    "invalid_request",
                    "content type `" + contentType + "`: push a security event token as `" + MEDIA_TYPE + "`");
        }
        String set = body == null ? "" : body.strip();
        if (set.isEmpty()) {
            return failure("invalid_request", "empty body: expected a security event token");
        }
        if (set.length() > MAX_SET_LENGTH) {
            return failure("invalid_request", "the security event token is longer than " + MAX_SET_LENGTH + " bytes");
        }
        SecurityEventToken token;
        try {
            token = verifier.verify(set);
        } catch (TokenException e) {
            return failure(e.reason().setErrorCode(), e.getMessage());
        }
        String key = token.issuer() + "\u0000" + token.tokenId();
        synchronized (seen) {
            if (seen.containsKey(key)) {
                return new Answer(202, null);
            }
        }
        List<Runnable> effects = new ArrayList<>();
        for (SecurityEvent e : token.events()) {
            String problem = plan(token.issuer(), e, effects);
            if (problem != null) {
                return failure("invalid_request", problem);
            }
        }
        try {
            effects.forEach(Runnable::run);
        } catch (SessionException e) {
            // the sessions ended in memory, but the store could not record it: the transmitter
            // should deliver again (it will be applied again: every effect is idempotent)
            ObjectNode o = F.objectNode();
            o.put("err", "temporarily_unavailable");
            o.put("description", e.getMessage());
            return new Answer(503, o);
        }
        synchronized (seen) {
            seen.put(key, Boolean.TRUE);
        }
        return new Answer(202, null);
    }

    /** Adds what {@code e} does to {@code effects}; returns why it cannot be applied, or {@code null}. */
    private String plan(String transmitter, SecurityEvent e, List<Runnable> effects) {
        String type = e.type();
        boolean known = type.equals(SecurityEvent.SESSION_REVOKED)
                || type.equals(SecurityEvent.CREDENTIAL_CHANGE)
                || type.equals(SecurityEvent.CREDENTIAL_COMPROMISE)
                || type.equals(SecurityEvent.TOKEN_CLAIMS_CHANGE)
                || type.equals(SecurityEvent.ASSURANCE_LEVEL_CHANGE)
                || type.equals(SecurityEvent.ACCOUNT_DISABLED)
                || type.equals(SecurityEvent.ACCOUNT_PURGED)
                || type.equals(SecurityEvent.ACCOUNT_ENABLED);
        if (!known) {
            return null;
        }
        if (e.subject() == null) {
            return "event `" + type + "` has no subject";
        }
        Target t;
        try {
            t = target(transmitter, e.subject());
        } catch (IllegalArgumentException x) {
            return "event `" + type + "`: " + x.getMessage();
        }
        if (sessions == null) {
            return null;
        }
        String iss = t.issuer();
        String sub = t.subject();
        if (t.tokenId() != null) {
            if (type.equals(SecurityEvent.ACCOUNT_ENABLED)) {
                return "event `" + type + "`: a `jwt_id` subject names a token, not an account";
            }
            effects.add(() -> sessions.tokenRevoked(iss, t.tokenId()));
            return null;
        }
        if (sub == null && !(type.equals(SecurityEvent.SESSION_REVOKED) && t.idpSession() != null)) {
            return "event `" + type + "`: the subject names no user or account";
        }
        Instant at = e.eventTimestamp();
        switch (type) {
            case SecurityEvent.SESSION_REVOKED ->
                effects.add(() -> sessions.idpSessionRevoked(iss, sub, t.idpSession()));
            case SecurityEvent.CREDENTIAL_CHANGE, SecurityEvent.CREDENTIAL_COMPROMISE ->
                effects.add(() -> sessions.credentialChanged(iss, sub, at));
            case SecurityEvent.TOKEN_CLAIMS_CHANGE ->
                effects.add(() -> sessions.revokeAllForSubject(iss, sub, "claims of `" + sub + "` changed"));
            case SecurityEvent.ASSURANCE_LEVEL_CHANGE -> {
                if (!"increase".equals(e.claims().get("change_direction"))) {
                    effects.add(
                            () -> sessions.revokeAllForSubject(iss, sub, "assurance level of `" + sub + "` changed"));
                }
            }
            case SecurityEvent.ACCOUNT_DISABLED, SecurityEvent.ACCOUNT_PURGED ->
                effects.add(() -> sessions.userDisabled(iss, sub));
            case SecurityEvent.ACCOUNT_ENABLED -> effects.add(() -> sessions.userEnabled(iss, sub));
            default -> {
                // not reached: `known` lists the cases
            }
        }
        return null;
    }

    /**
     * What an event is about, in the terms of the tokens that started sessions.
     *
     * @param issuer the tokens' issuer
     * @param subject their {@code sub} (or acting party), or {@code null}
     * @param idpSession the identity provider's session id ({@code sid}), or {@code null}
     * @param tokenId one token's {@code jti}, or {@code null}
     */
    private record Target(String issuer, String subject, String idpSession, String tokenId) {}

    private Target target(String transmitter, SubjectId s) {
        String defaultIssuer = tokenIssuers.get(transmitter);
        return switch (s) {
            case SubjectId.IssSub is -> new Target(is.iss(), is.sub(), null, null);
            case SubjectId.Opaque o -> new Target(defaultIssuer, o.id(), null, null);
            case SubjectId.JwtId j -> new Target(j.iss(), null, null, j.jti());
            case SubjectId.Complex c -> {
                SubjectId user = c.member("user");
                SubjectId session = c.member("session");
                Target u = user == null ? new Target(defaultIssuer, null, null, null) : target(transmitter, user);
                if (u.tokenId() != null) {
                    throw new IllegalArgumentException("the complex subject's `user` must name a user, not a token");
                }
                String sid = null;
                if (session instanceof SubjectId.Opaque o) {
                    sid = o.id();
                } else if (session != null) {
                    throw new IllegalArgumentException(
                            "the complex subject's `session` must have format `opaque` (the identity provider's"
                                    + " session id), not `" + session.format() + "`");
                }
                if (u.subject() == null && sid == null) {
                    throw new IllegalArgumentException("the complex subject has neither `user` nor `session`");
                }
                yield new Target(u.issuer(), u.subject(), sid, null);
            }
            default ->
                throw new IllegalArgumentException("subject format `" + s.format()
                        + "` cannot be matched to tokens (send `iss_sub`, `opaque`, `jwt_id` or a complex subject"
                        + " with `user` and/or `session`)");
        };
    }

    private static Answer failure(String err, String description) {
        ObjectNode o = F.objectNode();
        o.put("err", err);
        o.put("description", description);
        return new Answer(400, o);
    }

    @Override
    public void close() {
        verifier.close();
    }
}
