package dev.portcullis.pdp.session;

import dev.portcullis.cedar.value.EntityUid;

/**
 * Which sessions {@link SessionService#list} returns; {@code null} fields do not filter.
 *
 * @param agent sessions of this agent
 * @param user sessions acting for this user
 * @param state sessions in this state
 */
public record SessionFilter(EntityUid agent, EntityUid user, SessionState state) {
    public static SessionFilter all() {
        return new SessionFilter(null, null, null);
    }

    boolean matches(Session s) {
        return (agent == null || agent.equals(s.agent()))
                && (user == null || user.equals(s.onBehalfOf()))
                && (state == null || state == s.state());
    }
}
