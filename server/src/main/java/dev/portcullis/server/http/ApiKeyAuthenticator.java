package dev.portcullis.server.http;

import dev.portcullis.server.config.ServerConfig.ApiKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * API keys, given as {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}. Keys are
 * kept as SHA-256 digests and looked up by digest, so the lookup's timing says nothing about how
 * much of a guessed key was right.
 */
public final class ApiKeyAuthenticator implements Authenticator {
    private final Map<String, Caller> byDigest = new HashMap<>();

    public ApiKeyAuthenticator(List<ApiKey> keys) {
        for (ApiKey k : keys) {
            byDigest.put(digest(k.key()), new Caller(k.name(), Set.copyOf(k.roles())));
        }
    }

    @Override
    public Caller authenticate(String authorization, String apiKey) {
        String key = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = authorization.substring(7).strip();
        } else if (apiKey != null) {
            key = apiKey.strip();
        }
        return key == null || key.isEmpty() ? null : byDigest.get(digest(key));
    }

    private static String digest(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
