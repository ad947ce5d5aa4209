package dev.portcullis.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.server.config.ServerConfig.Role;
import dev.portcullis.server.http.Authenticator.Caller;
import dev.portcullis.server.http.Authenticator.Rejected;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JwtAuthenticatorTest {

    @Test
    void looksLikeJwt_onlyThreeNonEmptyLeadingParts() {
        assertThat(JwtAuthenticator.looksLikeJwt("a.b.c")).isTrue();
        assertThat(JwtAuthenticator.looksLikeJwt("a.b.")).isTrue(); // unsigned: still ours to refuse
        assertThat(JwtAuthenticator.looksLikeJwt("pep-key-0123456789abcdef")).isFalse();
        assertThat(JwtAuthenticator.looksLikeJwt("a.b")).isFalse();
        assertThat(JwtAuthenticator.looksLikeJwt(".b.c")).isFalse();
        assertThat(JwtAuthenticator.looksLikeJwt("a..c")).isFalse();
        assertThat(JwtAuthenticator.looksLikeJwt("a.b.c.d.e")).isFalse();
    }

    @Test
    void claim_byFullNameThenByDottedPath() {
        Map<String, Object> claims = Map.of(
                "https://example.com/roles", List.of("admin"),
                "realm_access", Map.of("roles", List.of("pep")));
        assertThat(JwtAuthenticator.claim(claims, "https://example.com/roles")).isEqualTo(List.of("admin"));
        assertThat(JwtAuthenticator.claim(claims, "realm_access.roles")).isEqualTo(List.of("pep"));
        assertThat(JwtAuthenticator.claim(claims, "realm_access.groups")).isNull();
        assertThat(JwtAuthenticator.claim(claims, "nothing.here")).isNull();
    }

    @Test
    void values_fromAScopeStringOrAList() {
        assertThat(JwtAuthenticator.values("openid  portcullis:decide")).containsExactly("openid", "portcullis:decide");
        assertThat(JwtAuthenticator.values(List.of("a", 7, "b"))).containsExactly("a", "b");
        assertThat(JwtAuthenticator.values(Map.of("a", "b"))).isEmpty();
        assertThat(JwtAuthenticator.values(null)).isEmpty();
    }

    @Test
    void firstOf_aCallerWins_elseTheRejectionIsHeard() {
        Caller ops = new Caller("ops", Set.of(Role.ADMIN));
        Authenticator knowsOps = (auth, key) -> "Bearer ops".equals(auth) ? ops : null;
        Authenticator rejects = (auth, key) -> {
            throw new Rejected("the token expired");
        };
        Authenticator both = Authenticator.firstOf(List.of(knowsOps, rejects));
        assertThat(both.authenticate("Bearer ops", null)).isEqualTo(ops);
        assertThatThrownBy(() -> both.authenticate("Bearer x.y.z", null)).hasMessage("the token expired");
        assertThat(Authenticator.firstOf(List.of(knowsOps, (a, k) -> null)).authenticate("Bearer x", null))
                .isNull();
    }

    @Test
    void challengeDescriptions_stayQuotable() {
        assertThat(PortcullisServer.quotable("issuer `a\"b\\c\u00e9\n` is not trusted"))
                .isEqualTo("issuer `a?b?c??` is not trusted");
        assertThat(PortcullisServer.quotable("x".repeat(500))).hasSize(200);
    }
}
