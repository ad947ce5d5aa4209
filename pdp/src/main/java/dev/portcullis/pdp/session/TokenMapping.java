package dev.portcullis.pdp.session;

import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.pdp.identity.VerifiedToken;
import java.util.ArrayList;
import java.util.List;

/**
 * Who a session is for, read from its tokens.
 *
 * <p>RFC 8693 puts a delegated token the other way round from what one might guess: its {@code
 * sub} is the party being acted for (the user) and {@code act.sub} the party acting (the agent).
 * So an agent token with an {@code act} claim yields agent = {@code act.sub}, user = the token's
 * user claim; an agent token without one yields the agent from {@code agent.id_claim} and no user,
 * unless a separate user token names one.
 */
record TokenMapping(EntityUid agent, EntityUid user, List<TokenRef> tokens) {

    static TokenMapping of(SessionConfig config, VerifiedToken agentToken, VerifiedToken userToken) {
        List<TokenRef> refs = new ArrayList<>();
        refs.add(TokenRef.of(TokenRef.Role.AGENT, agentToken));
        EntityUid agent;
        EntityUid delegatedUser = null;
        if (!agentToken.actors().isEmpty()) {
            agent = EntityUid.of(config.agentType(), agentToken.actors().get(0).subject());
            delegatedUser = EntityUid.of(config.userType(), claim(agentToken, config.userIdClaim(), "agent token"));
        } else {
            agent = EntityUid.of(config.agentType(), claim(agentToken, config.agentIdClaim(), "agent token"));
        }
        EntityUid user = delegatedUser;
        if (userToken != null) {
            if (!userToken.actors().isEmpty()) {
                throw Names.invalid(
                        "user_token",
                        "the user token is itself delegated (it has an `act` claim); present the user's own token");
            }
            user = EntityUid.of(config.userType(), claim(userToken, config.userIdClaim(), "user token"));
            if (delegatedUser != null && !delegatedUser.equals(user)) {
                throw Names.invalid(
                        "user_token",
                        "the user token is for " + user + " but the agent token acts for " + delegatedUser);
            }
            refs.add(TokenRef.of(TokenRef.Role.USER, userToken));
        }
        return new TokenMapping(agent, user, List.copyOf(refs));
    }

    private static String claim(VerifiedToken t, String name, String which) {
        String v = name.equals("sub") ? t.subject() : t.stringClaim(name);
        if (v == null || v.isEmpty()) {
            throw Names.invalid(which, "has no string claim `" + name + "` to take the entity id from");
        }
        return v;
    }
}
