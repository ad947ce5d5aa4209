package dev.portcullis.server.http;

import dev.portcullis.pdp.identity.TokenException;
import dev.portcullis.pdp.identity.TokenVerifier;
import dev.portcullis.pdp.identity.VerifiedToken;
import dev.portcullis.server.config.ServerConfig.Jwt;
import dev.portcullis.server.config.ServerConfig.Role;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Callers with {@code Authorization: Bearer <jwt>} from a configured issuer. The token is checked
 * by {@link TokenVerifier} (signature against the issuer's JWKS, {@code iss}, {@code aud}, {@code
 * exp}, ...); the caller's roles are the configured roles of the values found in the roles claim,
 * and its name is the name claim ({@code sub} by default). A valid token without any mapped value
 * authenticates a caller with no roles, who then gets 403 rather than 401.
 *
 * <p>A bearer value that is not shaped like a JWT (three dot-separated parts) is not this
 * authenticator's business: it may be an API key.
 */
public final class JwtAuthenticator implements Authenticator, AutoCloseable {
    private final TokenVerifier verifier;
    private final String rolesClaim;
    private final Map<String, Set<Role>> roles;
    private final String nameClaim;

    public JwtAuthenticator(Jwt config) {
        this(new TokenVerifier(config.issuers()), config);
        // fetch the issuers' keys now, so the first callers do not wait for them
        verifier.prefetch();
    }

    JwtAuthenticator(TokenVerifier verifier, Jwt config) {
        this.verifier = verifier;
        this.rolesClaim = config.rolesClaim();
        this.roles = config.roles();
        this.nameClaim = config.nameClaim();
    }

    @Override
    public boolean mayBlock(String authorization, String apiKey) {
        return bearerJwt(authorization) != null && verifier.mayFetchKeys();
    }

    @Override
    public Caller authenticate(String authorization, String apiKey) {
        String token = bearerJwt(authorization);
        if (token == null) {
            return null;
        }
        VerifiedToken t;
        try {
            t = verifier.verify(token);
        } catch (TokenException e) {
            throw new Rejected(e.getMessage());
        }
        String name = nameClaim.equals("sub") ? t.subject() : t.stringClaim(nameClaim);
        if (name == null || name.isBlank()) {
            throw new Rejected("the token has no `" + nameClaim + "` claim to name the caller");
        }
        Set<Role> granted = EnumSet.noneOf(Role.class);
        for (String value : values(claim(t.claims(), rolesClaim))) {
            granted.addAll(roles.getOrDefault(value, Set.of()));
        }
        return new Caller(name, Set.copyOf(granted));
    }

    /** The bearer token when it is shaped like a JWT, else {@code null}. */
    private static String bearerJwt(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).strip();
        return looksLikeJwt(token) ? token : null;
    }

    static boolean looksLikeJwt(String s) {
        int first = s.indexOf('.');
        int second = first < 0 ? -1 : s.indexOf('.', first + 1);
        return first > 0 && second > first + 1 && s.indexOf('.', second + 1) < 0;
    }

    /** The claim by its full name, else by walking a dotted path ({@code realm_access.roles}). */
    static Object claim(Map<String, Object> claims, String name) {
        if (claims.containsKey(name)) {
            return claims.get(name);
        }
        Object at = claims;
        for (String part : name.split("\\.")) {
            if (!(at instanceof Map<?, ?> m)) {
                return null;
            }
            at = m.get(part);
        }
        return at;
    }

    /** Role values: a space-separated string ({@code scope}) or a list of strings. */
    static List<String> values(Object claim) {
        List<String> out = new ArrayList<>();
        if (claim instanceof String s) {
            for (String v : s.split(" ")) {
                if (!v.isEmpty()) {
                    out.add(v);
                }
            }
        } else if (claim instanceof List<?> l) {
            for (Object v : l) {
                if (v instanceof String s) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        verifier.close();
    }
}
