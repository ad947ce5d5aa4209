package dev.portcullis.pdp.identity;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where an issuer's verification keys come from. Constructors validate, and throw {@link
 * IllegalArgumentException} with a one-line message, so a configuration layer can report them
 * against its key.
 */
public sealed interface KeySource {

    /**
     * A JWKS document fetched over HTTPS (plain HTTP only for loopback hosts, i.e. tests). Fetched on
     * first use, refreshed in the background when older than {@code refreshInterval}, and fetched
     * again at once when a token names a key the cached set lacks (key rotation) — but not more
     * often than {@code minRefetchInterval}, so tokens with made-up {@code kid}s cannot make us
     * hammer the identity provider.
     */
    record JwksUrl(URI url, Duration refreshInterval, Duration minRefetchInterval, Duration timeout)
            implements KeySource {
        public static final Duration DEFAULT_REFRESH = Duration.ofMinutes(10);
        public static final Duration DEFAULT_MIN_REFETCH = Duration.ofSeconds(30);
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

        public JwksUrl {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!url.isAbsolute() || url.getHost() == null) {
                throw new IllegalArgumentException("`" + url + "` is not an absolute http(s) url");
            }
            if (!scheme.equals("https") && !(scheme.equals("http") && isLoopback(url.getHost()))) {
                throw new IllegalArgumentException(
                        "`" + url + "`: keys must be fetched over https (http only from localhost)");
            }
            positive(refreshInterval, "refresh interval");
            requireNonNegative(minRefetchInterval, "minimum refetch interval");
            positive(timeout, "timeout");
        }

        /** The URL with the default intervals and timeout. */
        public static JwksUrl of(URI url) {
            return new JwksUrl(url, DEFAULT_REFRESH, DEFAULT_MIN_REFETCH, DEFAULT_TIMEOUT);
        }

        public JwksUrl withMinRefetchInterval(Duration d) {
            return new JwksUrl(url, refreshInterval, d, timeout);
        }

        public JwksUrl withRefreshInterval(Duration d) {
            return new JwksUrl(url, d, minRefetchInterval, timeout);
        }

        private static boolean isLoopback(String host) {
            return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1");
        }
    }

    /**
     * A fixed JWKS (for tests and air-gapped setups). Only public keys are kept; symmetric ({@code
     * oct}) keys are dropped, since a key set is public and an HMAC key in it would let anyone sign.
     */
    record StaticJwks(JWKSet keys) implements KeySource {
        public StaticJwks {
            Objects.requireNonNull(keys, "keys");
            keys = keys.toPublicJWKSet();
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("the key set has no public keys");
            }
        }

        /** Parses a JWKS JSON document ({@code {"keys": [...]}}). */
        public static StaticJwks parse(String json) {
            try {
                return new StaticJwks(JWKSet.parse(json));
            } catch (ParseException e) {
                throw new IllegalArgumentException("not a JWKS document: " + e.getMessage());
            }
        }

        /** Reads a JWKS JSON file. */
        public static StaticJwks read(Path file) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read `" + file + "`: " + e.getMessage());
            }
            return parse(text);
        }
    }

    /**
     * A shared secret for HMAC ({@code HS256/384/512}). Only this source makes HMAC algorithms
     * acceptable, and it accepts nothing else; at least 32 bytes, as RFC 7518 requires for HS256.
     */
    record SharedSecret(byte[] secret) implements KeySource {
        public SharedSecret {
            Objects.requireNonNull(secret, "secret");
            if (secret.length < 32) {
                throw new IllegalArgumentException("a shared secret must be at least 32 bytes, got " + secret.length);
            }
            secret = secret.clone();
        }

        @Override
        public byte[] secret() {
            return secret.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SharedSecret s && java.security.MessageDigest.isEqual(secret, s.secret);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(secret);
        }

        @Override
        public String toString() {
            return "SharedSecret[" + secret.length + " bytes]";
        }
    }

    private static void positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("the " + what + " must be positive, got " + d);
        }
    }

    private static void requireNonNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException("the " + what + " must not be negative, got " + d);
        }
    }
}
