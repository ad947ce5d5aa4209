package dev.portcullis.pdp.session;

import java.time.Instant;
import java.util.Objects;

/**
 * One allowed action of a session, as its recent history keeps it.
 *
 * @param at when it was allowed
 * @param action the Cedar action uid
 * @param resource the Cedar resource uid
 */
public record ActionEvent(Instant at, String action, String resource) {
    public ActionEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
    }
}
