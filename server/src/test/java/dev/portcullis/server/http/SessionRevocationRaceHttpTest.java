package dev.portcullis.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.pdp.identity.SecurityEvent;
import dev.portcullis.server.http.AgentServer.Res;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients deciding in a tight loop over HTTP while the session is revoked: no request sent
 * after the revocation call returned is allowed. Revocation by the admin API and by an identity
 * provider's signal.
 */
class SessionRevocationRaceHttpTest {
    static final int THREADS = 8;
    // requests each thread sends after the revocation returned, so the check is not vacuous
    static final int AFTER = 15;

    @TempDir
    Path dir;

    AgentServer s;

    @BeforeEach
    void start() throws Exception {
        s = new AgentServer(dir, "");
    }

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
    }

    /** What one request saw: when it was sent (nanoTime) and whether it was allowed. */
    record Sent(long at, boolean allowed) {}

    @Test
    void noAllowAfterTheRevokeCallReturned_adminApi() throws Exception {
        JsonNode ses = s.session(s.delegated("alice", "mailbot"), "{}");
        race(
                ses.path("session_token").asText(),
                () -> s.call(
                        "DELETE", "/v1/sessions/" + ses.path("id").asText(), null, "Authorization", AgentServer.ADMIN));
    }

    @Test
    void noAllowAfterTheRevokeCallReturned_sharedSignal() throws Exception {
        JsonNode ses = s.session(s.delegated("alice", "mailbot"), "{}");
        String set = s.set(SecurityEvent.ACCOUNT_DISABLED, AgentServer.issSub("alice"), java.util.Map.of());
        race(
                ses.path("session_token").asText(),
                () -> s.call("POST", "/v1/ssf/events", set, "Content-Type", "application/secevent+jwt"));
    }

    private void race(String token, Supplier<Res> revoke) throws Exception {
        ConcurrentLinkedQueue<Sent> seen = new ConcurrentLinkedQueue<>();
        AtomicLong revokedAt = new AtomicLong(Long.MAX_VALUE);
        CountDownLatch warm = new CountDownLatch(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                int after = 0;
                boolean counted = false;
                while (after < AFTER) {
                    long at = System.nanoTime();
                    Res r = s.read(token, "mailbot", "press-release");
                    seen.add(new Sent(
                            at, r.status() == 200 && r.body().path("decision").asBoolean()));
                    if (!counted) {
                        warm.countDown();
                        counted = true;
                    }
                    if (at > revokedAt.get()) {
                        after++;
                    }
                }
            }));
        }
        warm.await();
        Res r = revoke.get();
        long returned = System.nanoTime();
        revokedAt.set(returned);
        assertThat(r.status()).isBetween(200, 202);
        for (Thread t : threads) {
            t.join();
        }

        List<Sent> late = seen.stream().filter(x -> x.at() > returned).toList();
        assertThat(late).hasSizeGreaterThanOrEqualTo(THREADS * AFTER);
        assertThat(late.stream().filter(Sent::allowed)).isEmpty();
        // the session did decide before: the race was real
        assertThat(seen.stream().filter(x -> x.at() < returned && x.allowed())).isNotEmpty();
    }
}
