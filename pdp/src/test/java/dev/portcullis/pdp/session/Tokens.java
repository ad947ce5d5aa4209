package dev.portcullis.pdp.session;

import dev.portcullis.pdp.identity.VerifiedToken;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Verified tokens as the identity layer would hand them over. */
final class Tokens {
    static final String ISSUER = "https://idp.example";

    private Tokens() {}

    /** An agent's own token (client credentials): {@code sub} is the agent. */
    static VerifiedToken agent(String subject, Instant now) {
        return token(subject, List.of(), Map.of(), now, Duration.ofHours(2));
    }

    /** A user's own token. */
    static VerifiedToken user(String subject, Instant now) {
        return token(subject, List.of(), Map.of(), now, Duration.ofHours(2));
    }

    /** An RFC 8693 delegated token: {@code sub} is the user, {@code act.sub} the agent. */
    static VerifiedToken delegated(String user, String agent, Instant now) {
        return token(user, List.of(new VerifiedToken.Actor(agent, ISSUER)), Map.of(), now, Duration.ofHours(2));
    }

    static VerifiedToken token(
            String subject, List<VerifiedToken.Actor> actors, Map<String, Object> extra, Instant now, Duration life) {
        String jti = UUID.randomUUID().toString();
        Map<String, Object> claims = new HashMap<>(extra);
        claims.put("iss", ISSUER);
        claims.put("sub", subject);
        claims.put("jti", jti);
        return new VerifiedToken(
                ISSUER, subject, Set.of("portcullis"), jti, now.minusSeconds(1), now.plus(life), actors, claims);
    }
}
