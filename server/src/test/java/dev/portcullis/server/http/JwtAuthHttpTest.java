package dev.portcullis.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server with bearer JWTs from an issuer whose JWKS this test serves on loopback, next to
 * an API key: both authenticators at once.
 */
class JwtAuthHttpTest {
    static final String ISSUER = "https://idp.test";
    static final String PEP_KEY = "pep-key-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static RSAKey key;
    static HttpServer jwks;
    static PortcullisServer server;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwks.createContext("/jwks", ex -> {
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        jwks.start();
        server = ExampleServer.start(
                dir, "", """
                auth:
                  api_keys:
                    - {name: gateway, key: %s, roles: [pep]}
                  jwt:
                    issuers:
                      - issuer: %s
                        jwks_url: http://127.0.0.1:%d/jwks
                        audiences: [portcullis]
                    roles_claim: scope
                    roles:
                      "portcullis:decide": [pep]
                      "portcullis:admin": [admin]
                """.formatted(PEP_KEY, ISSUER, jwks.getAddress().getPort()));
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (jwks != null) {
            jwks.stop(0);
        }
    }

    static JWTClaimsSet.Builder claims(String scope) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("agent-7")
                .audience("portcullis")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .claim("scope", scope);
    }

    static String sign(JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    record Res(int status, JsonNode body, HttpResponse<String> raw) {
        String challenge() {
            return raw.headers().firstValue("www-authenticate").orElse(null);
        }
    }

    static Res call(String method, String path, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Res(r.statusCode(), JSON.readTree(r.body()), r);
    }

    static Res evaluate(String authorization) throws Exception {
        return call("POST", "/access/v1/evaluation", ExampleServer.ALLOWED_EVALUATION, authorization);
    }

    @Test
    void validToken_decides_andTheSubjectIsTheLoggedCaller() throws Exception {
        Res r = evaluate("Bearer " + sign(claims("openid portcullis:decide").build()));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("decision").asBoolean()).isTrue();

        String id = r.body().at("/context/decision_id").asText();

        Res log = call(
                "GET",
                "/v1/decisions?limit=1000",
                null,
                "Bearer " + sign(claims("portcullis:admin").build()));
        assertThat(log.status()).isEqualTo(200);
        List<String> callers = new java.util.ArrayList<>();
        log.body().get("decisions").forEach(d -> {
            if (d.get("decision_id").asText().equals(id)) {
                callers.add(d.get("caller").asText());
            }
        });
        assertThat(callers).containsExactly("agent-7");
    }

    @Test
    void missingCredentials_401WithABareChallenge() throws Exception {
        Res r = evaluate(null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.challenge()).isEqualTo("Bearer realm=\"portcullis\"");
        assertThat(r.body().get("error").asText()).isEqualTo("unauthorized");
    }

    @Test
    void refusedTokens_401WithInvalidTokenAndADescription() throws Exception {
        Instant past = Instant.now().minusSeconds(3600);
        String expired = sign(claims("portcullis:decide")
                .issueTime(Date.from(past.minusSeconds(60)))
                .expirationTime(Date.from(past))
                .build());
        String wrongAud = sign(claims("portcullis:decide").audience("billing").build());
        String unsigned = Base64URL.encode("{\"alg\":\"none\"}") + "."
                + Base64URL.encode(claims("portcullis:decide").build().toString()) + ".";
        String[] p = sign(claims("portcullis:decide").build()).split("\\.");
        String tampered = p[0] + "."
                + Base64URL.encode(
                        claims("portcullis:decide portcullis:admin").build().toString()) + "." + p[2];
        Map<String, String> cases = Map.of(
                expired, "expired",
                wrongAud, "`billing`",
                unsigned, "alg: none",
                tampered, "signature");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Res r = evaluate("Bearer " + c.getKey());
            assertThat(r.status()).as(c.getValue()).isEqualTo(401);
            assertThat(r.challenge())
                    .startsWith("Bearer realm=\"portcullis\", error=\"invalid_token\", error_description=\"")
                    .contains(c.getValue());
            assertThat(r.body().get("message").asText()).contains(c.getValue());
            // the token never comes back
            assertThat(r.raw().body()).doesNotContain(c.getKey().split("\\.")[1]);
        }
    }

    @Test
    void unknownBearerValue_401() throws Exception {
        Res r = evaluate("Bearer not-a-key-and-not-a-jwt");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.challenge()).contains("error=\"invalid_token\"");
    }

    @Test
    void pepToken_onTheAdminApi_403() throws Exception {
        Res r = call(
                "GET",
                "/v1/policies",
                null,
                "Bearer " + sign(claims("portcullis:decide").build()));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body().get("message").asText()).contains("`agent-7`").contains("`admin`");
    }

    @Test
    void adminToken_onTheAdminApi_200_butNotOnTheAuthZenApi() throws Exception {
        String admin = "Bearer " + sign(claims("portcullis:admin").build());
        Res r = call("GET", "/v1/policies", null, admin);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().has("version")).isTrue();
        assertThat(evaluate(admin).status()).isEqualTo(403);
    }

    @Test
    void tokenWithoutMappedRoles_403() throws Exception {
        assertThat(evaluate("Bearer " + sign(claims("openid profile").build())).status())
                .isEqualTo(403);
        assertThat(evaluate("Bearer "
                                + sign(claims("openid")
                                        .claim("scope", List.of("x"))
                                        .build()))
                        .status())
                .isEqualTo(403);
    }

    @Test
    void apiKeysStillWork_besideJwts() throws Exception {
        Res r = evaluate("Bearer " + PEP_KEY);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("decision").asBoolean()).isTrue();
    }
}
