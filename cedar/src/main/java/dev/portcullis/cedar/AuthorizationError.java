package dev.portcullis.cedar;

import java.util.Objects;

/** A policy that could not be evaluated for a request, and why; such a policy is ignored. */
public record AuthorizationError(String policyId, String message) {
    public AuthorizationError {
        Objects.requireNonNull(policyId, "policyId");
        Objects.requireNonNull(message, "message");
    }
}
