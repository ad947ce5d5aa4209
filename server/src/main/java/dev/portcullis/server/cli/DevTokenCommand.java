package dev.portcullis.server.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.pdp.identity.SecurityEvent;
import dev.portcullis.server.config.Durations;
import dev.portcullis.server.input.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis dev-token}: signs demo tokens with a private key file, so that the agent
 * example ({@code examples/agents}) can be tried without an identity provider. <b>Demo only</b>: a
 * real deployment trusts its identity provider's keys, and nobody holds them but the provider.
 *
 * <p>Three modes: an access token (agent or user; {@code --act} makes it an RFC 8693 delegated
 * token), a Security Event Token ({@code --event}) as a Shared Signals transmitter would push it,
 * and {@code --new-key DIR}, which writes a fresh private key and its public key set.
 */
@Command(
        name = "dev-token",
        mixinStandardHelpOptions = true,
        description = {
            "DEMO ONLY: sign a token (or a security event token) with a private key file, for trying",
            "examples/agents without an identity provider. Prints the token on one line.",
            "  portcullis dev-token --subject mailbot",
            "  portcullis dev-token --subject alice --act mailbot      (mailbot acting for alice)",
            "  portcullis dev-token --event account-disabled --subject alice",
            "  portcullis dev-token --new-key DIR                      (a fresh demo key pair)"
        })
public final class DevTokenCommand implements Callable<Integer> {
    static final Path DEFAULT_KEY = Path.of("examples", "agents", "keys", "demo-idp.private.jwk.json");
    static final String DEFAULT_ISSUER = "https://idp.demo.portcullis.test";
    private static final Map<String, String> EVENTS = Map.of(
            "session-revoked", SecurityEvent.SESSION_REVOKED,
            "credential-change", SecurityEvent.CREDENTIAL_CHANGE,
            "token-claims-change", SecurityEvent.TOKEN_CLAIMS_CHANGE,
            "assurance-level-change", SecurityEvent.ASSURANCE_LEVEL_CHANGE,
            "account-disabled", SecurityEvent.ACCOUNT_DISABLED,
            "account-enabled", SecurityEvent.ACCOUNT_ENABLED,
            "account-purged", SecurityEvent.ACCOUNT_PURGED,
            "credential-compromise", SecurityEvent.CREDENTIAL_COMPROMISE);

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--key", paramLabel = "FILE", description = "private JWK to sign with (default: ${DEFAULT-VALUE})")
    Path key = DEFAULT_KEY;

    @Option(names = "--issuer", paramLabel = "ISS", description = "`iss` (default: ${DEFAULT-VALUE})")
    String issuer = DEFAULT_ISSUER;

    @Option(names = "--audience", paramLabel = "AUD", description = "`aud` (default: ${DEFAULT-VALUE})")
    String audience = "portcullis";

    @Option(names = "--subject", paramLabel = "SUB", description = "`sub`: the agent, or the user acted for")
    String subject;

    @Option(
            names = "--act",
            paramLabel = "AGENT",
            description = "the acting agent (RFC 8693 `act`); repeat for a chain, current actor first")
    List<String> act = new ArrayList<>();

    @Option(names = "--ttl", paramLabel = "D", description = "lifetime, e.g. 15m, 1h (default: ${DEFAULT-VALUE})")
    String ttl = "1h";

    @Option(names = "--jti", paramLabel = "ID", description = "`jti` (default: random)")
    String jti;

    @Option(names = "--sid", paramLabel = "SID", description = "`sid`: the identity provider's session id")
    String sid;

    @Option(
            names = "--claim",
            paramLabel = "NAME=VALUE",
            description = "another claim (a string); with --event, a member of the event")
    List<String> claims = new ArrayList<>();

    @Option(
            names = "--event",
            paramLabel = "TYPE",
            description = "make a security event token: session-revoked, credential-change, token-claims-change,"
                    + " assurance-level-change, account-disabled, account-enabled, account-purged,"
                    + " credential-compromise (or a full event type URI)")
    String event;

    @Option(
            names = "--session",
            paramLabel = "SID",
            description = "with --event: the identity provider's session the event is about")
    String eventSession;

    @Option(names = "--new-key", paramLabel = "DIR", description = "write a new demo key pair into DIR and exit")
    Path newKey;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (newKey != null) {
            writeKeys(newKey, out);
            return 0;
        }
        if (subject == null || subject.isBlank()) {
            throw new InputException("--subject is required (the agent, or the user acted for)");
        }
        JWK jwk = readKey(key);
        out.println(event == null ? accessToken(jwk) : securityEvent(jwk));
        return 0;
    }

    private String accessToken(JWK jwk) throws JOSEException {
        Duration life = Durations.parse(ttl);
        if (life == null || life.isNegative() || life.isZero()) {
            throw new InputException("--ttl: `" + ttl + "` is not " + Durations.FORMS);
        }
        Instant now = Instant.now();
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(life)))
                .jwtID(jti == null ? UUID.randomUUID().toString() : jti);
        if (sid != null) {
            c.claim("sid", sid);
        }
        if (!act.isEmpty()) {
            Map<String, Object> chain = null;
            for (int i = act.size() - 1; i >= 0; i--) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("sub", act.get(i));
                if (chain != null) {
                    a.put("act", chain);
                }
                chain = a;
            }
            c.claim("act", chain);
        }
        extraClaims().forEach(c::claim);
        return sign(jwk, c.build(), null);
    }

    private String securityEvent(JWK jwk) throws JOSEException {
        String type = event.contains("://") ? event : EVENTS.get(event);
        if (type == null) {
            throw new InputException("--event: unknown event `" + event + "` (expected one of "
                    + String.join(", ", EVENTS.keySet().stream().sorted().toList()) + ", or a full URI)");
        }
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("format", "iss_sub");
        user.put("iss", issuer);
        user.put("sub", subject);
        Map<String, Object> body = new LinkedHashMap<>();
        if (eventSession == null) {
            body.put("subject", user);
        } else {
            Map<String, Object> complex = new LinkedHashMap<>();
            complex.put("user", user);
            complex.put("session", Map.of("format", "opaque", "id", eventSession));
            body.put("subject", complex);
        }
        body.put("event_timestamp", Instant.now().getEpochSecond());
        body.putAll(extraClaims());
        Instant now = Instant.now();
        JWTClaimsSet set = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .issueTime(Date.from(now))
                .jwtID(jti == null ? UUID.randomUUID().toString() : jti)
                .claim("events", Map.of(type, body))
                .build();
        return sign(jwk, set, new JOSEObjectType("secevent+jwt"));
    }

    private Map<String, Object> extraClaims() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String kv : claims) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new InputException("--claim: expected NAME=VALUE, got `" + kv + "`");
            }
            out.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return out;
    }

    private static String sign(JWK jwk, JWTClaimsSet claims, JOSEObjectType type) throws JOSEException {
        JWSAlgorithm alg;
        JWSSigner signer;
        if (jwk instanceof ECKey ec) {
            alg = ec.getCurve().equals(Curve.P_384)
                    ? JWSAlgorithm.ES384
                    : ec.getCurve().equals(Curve.P_521) ? JWSAlgorithm.ES512 : JWSAlgorithm.ES256;
            signer = new ECDSASigner(ec);
        } else if (jwk instanceof RSAKey rsa) {
            alg = JWSAlgorithm.RS256;
            signer = new RSASSASigner(rsa);
        } else {
            throw new InputException("--key: only EC and RSA private keys can sign, not " + jwk.getKeyType());
        }
        JWSHeader.Builder h = new JWSHeader.Builder(alg).keyID(jwk.getKeyID());
        if (type != null) {
            h.type(type);
        }
        SignedJWT jwt = new SignedJWT(h.build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static JWK readKey(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InputException("--key: cannot read `" + file + "`: " + e.getMessage()
                    + " (run from the repository root, or pass --key FILE)");
        }
        try {
            JWK jwk = JWK.parse(text);
            if (!jwk.isPrivate()) {
                throw new InputException("--key: `" + file + "` holds a public key; signing needs the private one");
            }
            return jwk;
        } catch (ParseException e) {
            throw new InputException("--key: `" + file + "` is not a JWK: " + e.getMessage());
        }
    }

    private static void writeKeys(Path dir, PrintWriter out) throws JOSEException, IOException {
        ECKey k = new ECKeyGenerator(Curve.P_256)
                .keyID("demo-" + UUID.randomUUID().toString().substring(0, 8))
                .generate();
        Files.createDirectories(dir);
        Path priv = dir.resolve("demo-idp.private.jwk.json");
        Path pub = dir.resolve("demo-idp.jwks.json");
        Files.writeString(priv, k.toJSONString() + "\n");
        Files.writeString(pub, new JWKSet(k.toPublicJWK()).toString(true) + "\n");
        out.println("wrote " + priv + " (private, demo only) and " + pub + " (public key set)");
    }
}
