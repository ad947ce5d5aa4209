package dev.portcullis.pdp.identity;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An issuer's JWKS fetched over HTTP and cached.
 *
 * <p>Three ways a fetch happens: the first token (no keys yet); a token whose header matches no
 * cached key (the issuer rotated its keys) — at most once per {@code minRefetchInterval}, so made-up
 * {@code kid}s cannot turn us into a load generator against the identity provider; and a
 * background refresh when the set is older than {@code refreshInterval}, so keys the issuer
 * withdrew stop being trusted without anyone waiting for the fetch. A failed refresh keeps the
 * last good set (an identity-provider outage does not log everyone out); without any set, tokens
 * are refused with {@code KEYS_UNAVAILABLE}.
 *
 * <p>Fetches are single-flight: threads that need the same fetch wait for the one in progress and
 * then look again.
 */
final class RemoteJwks implements Keys {
    private static final System.Logger LOG = System.getLogger(RemoteJwks.class.getName());
    /** Real key sets are a few kB; anything near this is not a key set. */
    static final int MAX_BYTES = 512 * 1024;

    private final String issuer;
    private final KeySource.JwksUrl source;
    private final HttpClient http;
    private final Clock clock;
    private final ReentrantLock fetchLock = new ReentrantLock();
    private final AtomicBoolean refreshing = new AtomicBoolean();

    private volatile JWKSet keys;
    private volatile Instant fetchedAt;
    /** guarded by fetchLock */
    private Instant lastAttempt;

    RemoteJwks(String issuer, KeySource.JwksUrl source, HttpClient http, Clock clock) {
        this.issuer = issuer;
        this.source = source;
        this.http = http;
        this.clock = clock;
    }

    @Override
    public List<JWK> candidates(JWSHeader header) {
        JWKSet seen = keys;
        if (seen == null) {
            seen = fetch(null);
            if (seen == null) {
                throw new TokenException(
                        TokenException.Reason.KEYS_UNAVAILABLE,
                        "the signing keys of issuer `" + issuer + "` are unavailable right now");
            }
        } else if (clock.instant().isAfter(fetchedAt.plus(source.refreshInterval()))) {
            refreshInBackground();
        }
        List<JWK> found = Keys.select(seen, header);
        if (found.isEmpty()) {
            // perhaps rotated: look again with a fresh set (rate-limited)
            JWKSet fresh = fetch(seen);
            if (fresh != null && fresh != seen) {
                found = Keys.select(fresh, header);
            }
        }
        return found;
    }

    /** Fetches in the background unless keys are there already (or a fetch was just tried). */
    void prefetch() {
        if (keys == null) {
            Thread.ofVirtual().name("jwks-prefetch").start(() -> fetch(null));
        }
    }

    /** Whether a background refresh is under way (tests). */
    boolean refreshing() {
        return refreshing.get();
    }

    /**
     * Fetches unless another thread replaced {@code seen} meanwhile or the last attempt was too
     * recent; returns the newest set (possibly still {@code seen}, or null when there is none).
     */
    private JWKSet fetch(JWKSet seen) {
        fetchLock.lock();
        try {
            JWKSet now = keys;
            if (now != seen) {
                return now;
            }
            Instant t = clock.instant();
            if (lastAttempt != null && t.isBefore(lastAttempt.plus(source.minRefetchInterval()))) {
                return now;
            }
            lastAttempt = t;
            return load(t);
        } finally {
            fetchLock.unlock();
        }
    }

    private void refreshInBackground() {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("jwks-refresh").start(() -> {
            fetchLock.lock();
            try {
                Instant t = clock.instant();
                // INVARIANT: during an outage, refreshes are as rate-limited as refetches
                boolean due = t.isAfter(fetchedAt.plus(source.refreshInterval()))
                        && !t.isBefore(lastAttempt.plus(source.minRefetchInterval()));
                if (due) {
                    lastAttempt = t;
                    load(t);
                }
            } finally {
                fetchLock.unlock();
                refreshing.set(false);
            }
        });
    }

    /** One fetch; on failure logs why and keeps what we had. Called with fetchLock held. */
    private JWKSet load(Instant t) {
        try {
            JWKSet set = download();
            // INVARIANT: fetchedAt is written before keys, so whoever sees keys sees its time
            fetchedAt = t;
            keys = set;
            return set;
        } catch (IOException | ParseException | RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "cannot fetch the keys of issuer `" + issuer + "` from " + source.url() + ": " + e.getMessage()
                            + (keys == null ? "" : " (keeping the keys fetched at " + fetchedAt + ")"));
            return keys;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return keys;
        }
    }

    private JWKSet download() throws IOException, InterruptedException, ParseException {
        HttpRequest req = HttpRequest.newBuilder(source.url())
                .timeout(source.timeout())
                .header("Accept", "application/jwk-set+json, application/json")
                .GET()
                .build();
        HttpResponse<InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = res.body()) {
            if (res.statusCode() != 200) {
                throw new IOException("HTTP " + res.statusCode());
            }
            byte[] body = in.readNBytes(MAX_BYTES + 1);
            if (body.length > MAX_BYTES) {
                throw new IOException("the key set is larger than " + MAX_BYTES + " bytes");
            }
            JWKSet set = JWKSet.parse(new String(body, StandardCharsets.UTF_8)).toPublicJWKSet();
            if (set.isEmpty()) {
                throw new IOException("the key set has no public keys");
            }
            return set;
        }
    }
}
