package dev.portcullis.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.pdp.identity.KeySource;
import dev.portcullis.pdp.identity.TrustedIssuer;
import dev.portcullis.server.config.ServerConfig.Jwt;
import dev.portcullis.server.config.ServerConfig.Role;
import dev.portcullis.server.config.ServerConfig.Tls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code auth.jwt} and {@code server.tls} parts of {@link ConfigLoader}: same rules (every
 * problem collected, each naming its key), kept apart because they are the longest sections.
 */
final class SecurityConfig {
    private final Path base;
    private final Map<String, String> env;
    private final List<String> problems;

    SecurityConfig(Path base, Map<String, String> env, List<String> problems) {
        this.base = base;
        this.env = env;
        this.problems = problems;
    }

    /** {@code auth.jwt}, or {@code null} when absent. */
    Jwt jwt(JsonNode j) {
        String p = "auth.jwt";
        if (j == null || j.isNull()) {
            return null;
        }
        if (!j.isObject()) {
            problems.add(
                    p + ": expected a mapping with issuers, roles_claim and roles, got " + ConfigLoader.describe(j));
            return null;
        }
        int before = problems.size();
        unknownKeys(j, p, Set.of("issuers", "roles_claim", "roles", "name_claim"));
        List<TrustedIssuer> issuers = new ArrayList<>();
        JsonNode list = j.get("issuers");
        if (list == null || !list.isArray() || list.isEmpty()) {
            problems.add(
                    p + ".issuers: expected a non-empty list of issuers (issuer, jwks_url or jwks_file, audiences)");
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                TrustedIssuer t = issuer(list.get(i), p + ".issuers[" + i + "]");
                if (t != null && !seen.add(t.issuer())) {
                    problems.add(p + ".issuers[" + i + "].issuer: `" + t.issuer() + "` is listed twice");
                } else if (t != null) {
                    issuers.add(t);
                }
            }
        }
        String rolesClaim = text(j, "roles_claim", p, "scope");
        String nameClaim = text(j, "name_claim", p, "sub");
        Map<String, Set<Role>> roles = new LinkedHashMap<>();
        JsonNode r = j.get("roles");
        if (r == null || !r.isObject() || r.isEmpty()) {
            problems.add(
                    p + ".roles: expected a mapping from claim value to roles, e.g. {\"portcullis:admin\": [admin]}");
        } else {
            for (Map.Entry<String, JsonNode> e : r.properties()) {
                roles.put(e.getKey(), roles(e.getValue(), p + ".roles." + e.getKey()));
            }
        }
        return problems.size() > before ? null : new Jwt(issuers, rolesClaim, roles, nameClaim);
    }

    /** One trusted issuer (also the shape of {@code sessions.issuers} and {@code ssf.transmitters}). */
    TrustedIssuer issuer(JsonNode n, String p) {
        if (!n.isObject()) {
            problems.add(p + ": expected a mapping with issuer, jwks_url or jwks_file, audiences, got "
                    + ConfigLoader.describe(n));
            return null;
        }
        int before = problems.size();
        unknownKeys(
                n,
                p,
                Set.of(
                        "issuer",
                        "jwks_url",
                        "jwks_file",
                        "shared_secret_env",
                        "audiences",
                        "algorithms",
                        "clock_skew_seconds"));
        if (!n.hasNonNull("issuer")) {
            problems.add(p + ".issuer: required (the `iss` value of the issuer's tokens)");
        }
        String iss = text(n, "issuer", p, null);
        List<String> sources = new ArrayList<>();
        for (String s : List.of("jwks_url", "jwks_file", "shared_secret_env")) {
            if (n.hasNonNull(s)) {
                sources.add(s);
            }
        }
        KeySource keys = null;
        if (sources.size() != 1) {
            problems.add(p + ": give exactly one of `jwks_url`, `jwks_file` or `shared_secret_env`"
                    + (sources.isEmpty() ? "" : ", not " + String.join(" and ", sources)));
        } else {
            keys = keySource(n, p, sources.get(0));
        }
        Set<String> audiences = strings(n.get("audiences"), p + ".audiences");
        if (audiences != null && audiences.isEmpty()) {
            problems.add(p + ".audiences: required (the `aud` values that mean this server)");
        }
        Set<String> algorithms = null;
        if (n.hasNonNull("algorithms")) {
            algorithms = strings(n.get("algorithms"), p + ".algorithms");
            if (algorithms != null && algorithms.isEmpty()) {
                problems.add(p + ".algorithms: must not be empty (leave it out for the defaults)");
            }
        }
        long skew = TrustedIssuer.DEFAULT_CLOCK_SKEW.toSeconds();
        JsonNode s = n.get("clock_skew_seconds");
        if (s != null && !s.isNull()) {
            if (!s.canConvertToLong() || !s.isIntegralNumber() || s.longValue() < 0 || s.longValue() > 600) {
                problems.add(
                        p + ".clock_skew_seconds: expected an integer from 0 to 600, got " + ConfigLoader.describe(s));
            } else {
                skew = s.longValue();
            }
        }
        if (problems.size() > before) {
            return null;
        }
        TrustedIssuer t = TrustedIssuer.of(iss, keys, audiences).withClockSkew(Duration.ofSeconds(skew));
        if (algorithms != null) {
            try {
                t = t.withAlgorithms(algorithms);
            } catch (IllegalArgumentException e) {
                problems.add(p + ".algorithms: " + e.getMessage());
                return null;
            }
        }
        return t;
    }

    private KeySource keySource(JsonNode n, String p, String which) {
        String value = n.get(which).asText();
        try {
            return switch (which) {
                case "jwks_url" -> KeySource.JwksUrl.of(new URI(value));
                case "jwks_file" ->
                    KeySource.StaticJwks.read(base.resolve(value).normalize());
                default -> {
                    String secret = env.get(value);
                    if (secret == null) {
                        problems.add(p + ".shared_secret_env: environment variable `" + value + "` is not set");
                        yield null;
                    }
                    yield new KeySource.SharedSecret(secret.getBytes(StandardCharsets.UTF_8));
                }
            };
        } catch (URISyntaxException e) {
            problems.add(p + ".jwks_url: `" + value + "` is not a url: " + e.getReason());
        } catch (IllegalArgumentException e) {
            problems.add(p + "." + which + ": " + e.getMessage());
        }
        return null;
    }

    private Set<Role> roles(JsonNode v, String p) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Set<String> names = strings(v, p);
        if (names == null || names.isEmpty()) {
            problems.add(p + ": expected a list of `pep`, `admin` and/or `approver`");
            return roles;
        }
        for (String name : names) {
            switch (name) {
                case "pep" -> roles.add(Role.PEP);
                case "admin" -> roles.add(Role.ADMIN);
                case "approver" -> roles.add(Role.APPROVER);
                default -> problems.add(p + ": must be `pep`, `admin` or `approver`, got `" + name + "`");
            }
        }
        return roles;
    }

    /** {@code server.tls}, or {@code null} when absent. */
    Tls tls(JsonNode t) {
        String p = "server.tls";
        if (t == null || t.isNull()) {
            return null;
        }
        if (!t.isObject()) {
            problems.add(p + ": expected a mapping with cert and key, got " + ConfigLoader.describe(t));
            return null;
        }
        int before = problems.size();
        unknownKeys(t, p, Set.of("cert", "key", "client_ca"));
        Path cert = file(t, "cert", p, true);
        Path key = file(t, "key", p, true);
        Path ca = file(t, "client_ca", p, false);
        if (cert != null) {
            certificates(cert, p + ".cert");
        }
        if (key != null) {
            privateKey(key, p + ".key");
        }
        if (ca != null) {
            certificates(ca, p + ".client_ca");
        }
        return problems.size() > before ? null : new Tls(cert, key, ca);
    }

    private Path file(JsonNode t, String name, String p, boolean required) {
        if (!t.hasNonNull(name)) {
            if (required) {
                problems.add(p + "." + name + ": required when `server.tls` is given (a PEM file)");
            }
            return null;
        }
        String v = text(t, name, p, null);
        if (v == null) {
            return null;
        }
        Path f = base.resolve(v).normalize();
        if (!Files.isRegularFile(f)) {
            problems.add(p + "." + name + ": `" + f + "` is not a file");
            return null;
        }
        return f;
    }

    private void certificates(Path f, String p) {
        try {
            byte[] pem = Files.readAllBytes(f);
            if (CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem))
                    .isEmpty()) {
                problems.add(p + ": `" + f + "` holds no certificate");
            }
        } catch (IOException e) {
            problems.add(p + ": cannot read `" + f + "`: " + e.getMessage());
        } catch (CertificateException e) {
            problems.add(p + ": `" + f + "` is not a PEM certificate file: " + e.getMessage());
        }
    }

    private void privateKey(Path f, String p) {
        String pem;
        try {
            pem = Files.readString(f, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            problems.add(p + ": cannot read `" + f + "`: " + e.getMessage());
            return;
        }
        if (pem.contains("-----BEGIN RSA PRIVATE KEY-----") || pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
            problems.add(p + ": `" + f + "` is not PKCS#8; convert it with"
                    + " `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8`");
        } else if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            problems.add(p + ": `" + f + "` is encrypted; give an unencrypted PKCS#8 key (protect the file instead)");
        } else if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            problems.add(p + ": `" + f + "` holds no PEM private key (`-----BEGIN PRIVATE KEY-----`)");
        }
    }

    void unknownKeys(JsonNode n, String p, Set<String> known) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                problems.add(p + "." + f + ": unknown key (expected one of "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    String text(JsonNode n, String name, String p, String dflt) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            problems.add(p + "." + name + ": expected a non-empty string, got " + ConfigLoader.describe(v));
            return dflt;
        }
        return v.asText();
    }

    /** A list of strings (or one string); null after reporting a problem. */
    Set<String> strings(JsonNode v, String p) {
        Set<String> out = new LinkedHashSet<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isTextual()) {
            out.add(v.asText());
            return out;
        }
        if (!v.isArray()) {
            problems.add(p + ": expected a list of strings, got " + ConfigLoader.describe(v));
            return null;
        }
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual() || v.get(i).asText().isBlank()) {
                problems.add(p + "[" + i + "]: expected a non-empty string, got " + ConfigLoader.describe(v.get(i)));
                return null;
            }
            out.add(v.get(i).asText());
        }
        return out;
    }
}
