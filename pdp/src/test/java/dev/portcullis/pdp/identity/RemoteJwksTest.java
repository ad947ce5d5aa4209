package dev.portcullis.pdp.identity;

import static dev.portcullis.pdp.identity.TestIdp.AUDIENCE;
import static dev.portcullis.pdp.identity.TestIdp.EC;
import static dev.portcullis.pdp.identity.TestIdp.ISSUER;
import static dev.portcullis.pdp.identity.TestIdp.NOW;
import static dev.portcullis.pdp.identity.TestIdp.RSA;
import static dev.portcullis.pdp.identity.TestIdp.RSA_2;
import static dev.portcullis.pdp.identity.TestIdp.claims;
import static dev.portcullis.pdp.identity.TestIdp.publicSet;
import static dev.portcullis.pdp.identity.TestIdp.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.portcullis.pdp.identity.TestIdp.JwksServer;
import dev.portcullis.pdp.identity.TestIdp.MutableClock;
import dev.portcullis.pdp.identity.TokenException.Reason;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keys from a JWKS endpoint the test serves on loopback: caching, rotation, rate limits, outages. */
class RemoteJwksTest {
    JwksServer idp;
    MutableClock clock;
    TokenVerifier verifier;

    @BeforeEach
    void start() throws Exception {
        idp = new JwksServer(publicSet(RSA));
        clock = new MutableClock(NOW);
        verifier = verifierFor(idp.url());
    }

    TokenVerifier verifierFor(URI url) {
        return new TokenVerifier(List.of(TrustedIssuer.of(ISSUER, KeySource.JwksUrl.of(url), Set.of(AUDIENCE))), clock);
    }

    @AfterEach
    void stop() {
        verifier.close();
        idp.close();
    }

    static Reason reason(Runnable r) {
        TokenException e = catchThrowableOfType(TokenException.class, r::run);
        return e == null ? null : e.reason();
    }

    @Test
    void keysAreFetchedOnceAndCached() {
        assertThat(idp.hits()).isZero();
        for (int i = 0; i < 5; i++) {
            assertThat(verifier.verify(sign(RSA, claims().build())).subject()).isEqualTo("agent-7");
        }
        assertThat(idp.hits()).isEqualTo(1);
    }

    @Test
    void prefetch_fetchesBeforeTheFirstToken() throws Exception {
        assertThat(verifier.mayFetchKeys()).isTrue();
        assertThat(TokenVerifierTest.VERIFIER.mayFetchKeys()).isFalse();
        verifier.prefetch();
        awaitHits(1);
        // the fetch is under way (it holds the lock): the token waits for it rather than fetching again
        assertThat(verifier.verify(sign(RSA, claims().build())).subject()).isEqualTo("agent-7");
        assertThat(idp.hits()).isEqualTo(1);
    }

    @Test
    void rotation_anUnknownKidFetchesTheNewSet_rateLimited() {
        verifier.verify(sign(RSA, claims().build()));
        idp.serve(publicSet(RSA_2));
        String rotated = sign(RSA_2, claims().build());

        // right after a fetch, an unknown kid does not fetch again
        assertThat(reason(() -> verifier.verify(rotated))).isEqualTo(Reason.UNKNOWN_KEY);
        assertThat(idp.hits()).isEqualTo(1);

        clock.advance(KeySource.JwksUrl.DEFAULT_MIN_REFETCH.plusSeconds(1));
        assertThat(verifier.verify(rotated).subject()).isEqualTo("agent-7");
        assertThat(idp.hits()).isEqualTo(2);
        // the old key is gone from the set now
        assertThat(reason(() -> verifier.verify(sign(RSA, claims().build())))).isEqualTo(Reason.UNKNOWN_KEY);
        assertThat(idp.hits()).isEqualTo(2);
    }

    @Test
    void madeUpKids_cannotHammerTheIdp() {
        verifier.verify(sign(RSA, claims().build()));
        for (int i = 0; i < 20; i++) {
            String forged = sign(TestIdp.EC, claims().build()); // kid ec-1: not served
            assertThat(reason(() -> verifier.verify(forged))).isEqualTo(Reason.UNKNOWN_KEY);
        }
        assertThat(idp.hits()).isEqualTo(1);
    }

    @Test
    void periodicRefresh_inTheBackground() throws Exception {
        verifier.verify(sign(RSA, claims().build()));
        idp.serve(publicSet(EC));
        clock.advance(KeySource.JwksUrl.DEFAULT_REFRESH.plusSeconds(1));
        // the stale set still answers this call; a refresh starts behind it
        assertThat(verifier.verify(sign(
                                RSA,
                                claims().expirationTime(java.util.Date.from(NOW.plus(Duration.ofHours(1))))
                                        .build()))
                        .subject())
                .isEqualTo("agent-7");
        awaitHits(2);
        awaitRefreshed();
        // the refreshed set holds EC and no longer RSA, with no further fetch
        String ecToken = sign(
                EC,
                claims().expirationTime(java.util.Date.from(NOW.plus(Duration.ofHours(1))))
                        .build());
        assertThat(verifier.verify(ecToken).subject()).isEqualTo("agent-7");
        assertThat(reason(() -> verifier.verify(sign(RSA, claims().build())))).isEqualTo(Reason.UNKNOWN_KEY);
        assertThat(idp.hits()).isEqualTo(2);
    }

    @Test
    void unavailable_refusesWithKeysUnavailable_andRetriesAfterTheInterval() {
        idp.serveRaw(500, "oops");
        assertThat(reason(() -> verifier.verify(sign(RSA, claims().build())))).isEqualTo(Reason.KEYS_UNAVAILABLE);
        assertThat(reason(() -> verifier.verify(sign(RSA, claims().build())))).isEqualTo(Reason.KEYS_UNAVAILABLE);
        assertThat(idp.hits()).isEqualTo(1);

        idp.serve(publicSet(RSA));
        clock.advance(KeySource.JwksUrl.DEFAULT_MIN_REFETCH.plusSeconds(1));
        assertThat(verifier.verify(sign(RSA, claims().build()))).isNotNull();
        assertThat(idp.hits()).isEqualTo(2);
    }

    @Test
    void outageAfterAFetch_keepsTheLastGoodKeys() throws Exception {
        verifier.verify(sign(RSA, claims().build()));
        idp.serveRaw(503, "down");
        clock.advance(KeySource.JwksUrl.DEFAULT_REFRESH.plusSeconds(1));
        String token = sign(
                RSA,
                claims().expirationTime(java.util.Date.from(NOW.plus(Duration.ofHours(1))))
                        .build());
        verifier.verify(token);
        awaitHits(2);
        awaitRefreshed();
        // no retry before the minimum interval, however many tokens come
        verifier.verify(token);
        verifier.verify(token);
        assertThat(idp.hits()).isEqualTo(2);
        clock.advance(KeySource.JwksUrl.DEFAULT_MIN_REFETCH.plusSeconds(1));
        assertThat(verifier.verify(token).subject()).isEqualTo("agent-7");
    }

    @Test
    void badDocuments_areUnavailableKeys() {
        for (String body : List.of("not json", "{\"keys\": 5}", "{\"keys\": []}", "[]")) {
            idp.serveRaw(200, body);
            clock.advance(KeySource.JwksUrl.DEFAULT_MIN_REFETCH.plusSeconds(1));
            assertThat(reason(() -> verifier.verify(sign(RSA, claims().build()))))
                    .as(body)
                    .isEqualTo(Reason.KEYS_UNAVAILABLE);
        }
        idp.serveRaw(200, "{\"keys\":[],\"pad\":\"" + "x".repeat(RemoteJwks.MAX_BYTES) + "\"}");
        clock.advance(KeySource.JwksUrl.DEFAULT_MIN_REFETCH.plusSeconds(1));
        assertThat(reason(() -> verifier.verify(sign(RSA, claims().build())))).isEqualTo(Reason.KEYS_UNAVAILABLE);
    }

    @Test
    void nothingListening_isUnavailable() {
        URI url = idp.url();
        idp.close();
        try (TokenVerifier v = verifierFor(url)) {
            assertThat(reason(() -> v.verify(sign(RSA, claims().build())))).isEqualTo(Reason.KEYS_UNAVAILABLE);
        }
    }

    @Test
    void concurrentFirstUse_fetchesOnce() throws Exception {
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<VerifiedToken>> results = new java.util.ArrayList<>();
            String token = sign(RSA, claims().build());
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return verifier.verify(token);
                }));
            }
            go.countDown();
            for (Future<VerifiedToken> f : results) {
                assertThat(f.get().subject()).isEqualTo("agent-7");
            }
        }
        assertThat(idp.hits()).isEqualTo(1);
    }

    private void awaitHits(int n) throws InterruptedException {
        // waits for the background refresh; a deadline only against hanging, no timing asserted
        for (int i = 0; i < 1000 && idp.hits() < n; i++) {
            Thread.sleep(10);
        }
        assertThat(idp.hits()).isEqualTo(n);
    }

    private void awaitRefreshed() throws InterruptedException {
        RemoteJwks keys = (RemoteJwks) verifier.keysOf(ISSUER);
        for (int i = 0; i < 1000 && keys.refreshing(); i++) {
            Thread.sleep(10);
        }
        assertThat(keys.refreshing()).isFalse();
    }
}
