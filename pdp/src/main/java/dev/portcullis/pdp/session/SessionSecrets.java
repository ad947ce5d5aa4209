package dev.portcullis.pdp.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Session ids and session tokens: random, and a token is kept only as its SHA-256 hash (a stolen
 * store does not yield usable tokens).
 */
final class SessionSecrets {
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionSecrets() {}

    /** A new session id: {@code ses_} and 128 random bits in hex. */
    static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return "ses_" + HEX.formatHex(b);
    }

    /** A new session token: {@code pst_} and 256 random bits, base64url. */
    static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "pst_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The hash a token is kept as (hex SHA-256 of its UTF-8 bytes). */
    static String hash(String token) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HEX.formatHex(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Whether two hashes are the same, in time independent of where they differ. */
    static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(HEX.parseHex(a), HEX.parseHex(b));
    }
}
