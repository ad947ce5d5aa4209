package dev.portcullis.pdp.approval;

import java.util.Locale;

/**
 * Where an approval is in its life. It starts {@link #PENDING} and moves at most twice: to {@link
 * #GRANTED} or {@link #DENIED} by a human, then a granted approval to {@link #USED} by the one
 * decision it lets through. {@link #EXPIRED} is what a pending or granted approval becomes when
 * its time runs out.
 *
 * <p>The AuthZEN access-request draft calls these task statuses {@code pending}, {@code approved},
 * {@code denied} and {@code expired}; {@code granted} is its {@code approved}, and {@code used}
 * is ours: an approval here is good for exactly one retry of the request.
 */
public enum ApprovalState {
    PENDING,
    GRANTED,
    DENIED,
    USED,
    EXPIRED;

    /** The lower-case name used on the wire and in the stores. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state with this wire name (any case), or {@code null}. */
    public static ApprovalState parse(String name) {
        for (ApprovalState s : values()) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        return null;
    }
}
