package dev.portcullis.server.http;

import dev.portcullis.server.config.ServerConfig.Role;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who is calling, from the request headers. API keys now; a JWT/JWKS authenticator can implement
 * the same interface later.
 */
public interface Authenticator {
    /** An authenticated caller: the name that goes into the decision log, and its rights. */
    record Caller(String name, Set<Role> roles) {
        public boolean has(Role role) {
            return roles.contains(role);
        }
    }

    /**
     * The caller, or {@code null} when the request carries no (valid) credentials.
     *
     * @param authorization the {@code Authorization} header, or {@code null}
     * @param apiKey the {@code X-API-Key} header, or {@code null}
     */
    Caller authenticate(String authorization, String apiKey);

    /** Everyone is {@code anonymous} with every role: only with {@code auth.disabled: true}. */
    static Authenticator disabled() {
        Caller anonymous = new Caller("anonymous", EnumSet.allOf(Role.class));
        return (authorization, apiKey) -> anonymous;
    }
}
