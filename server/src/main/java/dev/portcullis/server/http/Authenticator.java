package dev.portcullis.server.http;

import dev.portcullis.server.config.ServerConfig.Role;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Who is calling, from the request headers: API keys ({@link ApiKeyAuthenticator}) and bearer JWTs
 * ({@link JwtAuthenticator}), alone or together ({@link #firstOf}).
 */
public interface Authenticator {
    /** An authenticated caller: the name that goes into the decision log, and its rights. */
    record Caller(String name, Set<Role> roles) {
        public boolean has(Role role) {
            return roles.contains(role);
        }

        /** Whether the caller has one of {@code wanted} (asked on every request: no stream). */
        public boolean hasAny(Set<Role> wanted) {
            for (Role r : wanted) {
                if (roles.contains(r)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Credentials that were presented and refused for a reason worth telling the caller (an expired
     * or forged token): the message becomes the RFC 6750 {@code error_description}. Never carries
     * the credentials themselves, nor a stack trace.
     */
    final class Rejected extends RuntimeException {
        public Rejected(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The caller, or {@code null} when the request carries no credentials this authenticator knows.
     *
     * @param authorization the {@code Authorization} header, or {@code null}
     * @param apiKey the {@code X-API-Key} header, or {@code null}
     * @throws Rejected when credentials meant for this authenticator are invalid
     */
    Caller authenticate(String authorization, String apiKey);

    /**
     * Whether {@link #authenticate} may wait on I/O for these headers (a JWT whose issuer's keys are
     * not cached yet), so the caller should not run it on an event loop.
     */
    default boolean mayBlock(String authorization, String apiKey) {
        return false;
    }

    /** Everyone is {@code anonymous} with every role: only with {@code auth.disabled: true}. */
    static Authenticator disabled() {
        Caller anonymous = new Caller("anonymous", EnumSet.allOf(Role.class));
        return (authorization, apiKey) -> anonymous;
    }

    /**
     * Asks each authenticator in turn; the first caller found wins. When none knows the caller but
     * one rejected the credentials, that rejection is what the caller hears.
     */
    static Authenticator firstOf(List<Authenticator> all) {
        List<Authenticator> list = List.copyOf(all);
        if (list.size() == 1) {
            return list.get(0);
        }
        return new Authenticator() {
            @Override
            public Caller authenticate(String authorization, String apiKey) {
                return first(list, authorization, apiKey);
            }

            @Override
            public boolean mayBlock(String authorization, String apiKey) {
                return list.stream().anyMatch(a -> a.mayBlock(authorization, apiKey));
            }
        };
    }

    private static Caller first(List<Authenticator> list, String authorization, String apiKey) {
        Rejected rejected = null;
        for (Authenticator a : list) {
            try {
                Caller c = a.authenticate(authorization, apiKey);
                if (c != null) {
                    return c;
                }
            } catch (Rejected e) {
                rejected = e;
            }
        }
        if (rejected != null) {
            throw rejected;
        }
        return null;
    }
}
