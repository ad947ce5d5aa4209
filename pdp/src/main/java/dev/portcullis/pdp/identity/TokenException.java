package dev.portcullis.pdp.identity;

import java.util.Objects;

/**
 * A token (or Security Event Token) that was refused. The {@link Reason} is for programs (an HTTP
 * status, an RFC 6750 or RFC 8935 error code, a metric label); the message is for people: one
 * lowercase line that never contains the token itself. No stack trace is captured, so none can
 * leak into a response or a log line by accident.
 */
public final class TokenException extends RuntimeException {
    private final Reason reason;

    public TokenException(Reason reason, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** Why a token was refused. */
    public enum Reason {
        /** not a compact JWS with a JSON header and a JSON object payload, or a bad claim type */
        MALFORMED("invalid_request"),
        /** {@code alg: none} */
        UNSIGNED("invalid_request"),
        /** the header's {@code alg} is not allowed for the issuer (e.g. HMAC against an RSA issuer) */
        DISALLOWED_ALGORITHM("invalid_key"),
        /** the signature does not verify with any key of the issuer that fits the header */
        BAD_SIGNATURE("invalid_key"),
        /** {@code iss} is missing or not a configured issuer */
        UNKNOWN_ISSUER("invalid_issuer"),
        /** {@code aud} is missing or names none of the accepted audiences */
        WRONG_AUDIENCE("invalid_audience"),
        /** the header's {@code typ} says the token is meant for something else */
        WRONG_TYPE("invalid_request"),
        /** a required claim ({@code exp}, {@code sub}, {@code jti}, {@code events}, ...) is absent */
        MISSING_CLAIM("invalid_request"),
        /** {@code exp} is past (beyond the clock skew) */
        EXPIRED("invalid_request"),
        /** {@code nbf} is in the future, or {@code iat} is further in the future than the skew */
        NOT_YET_VALID("invalid_request"),
        /** the issuer's key set has no key for the header's {@code kid} / algorithm, even after a refresh */
        UNKNOWN_KEY("invalid_key"),
        /** the issuer's key set could not be fetched (a server-side problem, not the caller's) */
        KEYS_UNAVAILABLE("invalid_key");

        private final String setErrorCode;

        Reason(String setErrorCode) {
            this.setErrorCode = setErrorCode;
        }

        /** The RFC 8935 push-delivery error code for a refused Security Event Token. */
        public String setErrorCode() {
            return setErrorCode;
        }
    }
}
