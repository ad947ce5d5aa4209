package dev.portcullis.pdp.identity;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.List;

/** The keys of one issuer that may have signed a token with a given header. */
interface Keys {

    /**
     * The candidate keys for {@code header} (by {@code kid}, key type, curve, use and {@code alg});
     * empty when there is none.
     *
     * @throws TokenException {@code KEYS_UNAVAILABLE} when the key set cannot be had at all
     */
    List<JWK> candidates(JWSHeader header);

    static Keys of(String issuer, KeySource source, HttpClient http, Clock clock) {
        return switch (source) {
            case KeySource.StaticJwks s -> header -> select(s.keys(), header);
            case KeySource.SharedSecret s -> {
                List<JWK> secret = List.of(new OctetSequenceKey.Builder(s.secret()).build());
                yield header -> secret;
            }
            case KeySource.JwksUrl u -> new RemoteJwks(issuer, u, http, clock);
        };
    }

    static List<JWK> select(JWKSet set, JWSHeader header) {
        return new JWKSelector(JWKMatcher.forJWSHeader(header)).select(set);
    }
}
