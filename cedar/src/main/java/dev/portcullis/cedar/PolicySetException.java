package dev.portcullis.cedar;

/**
 * A policy set that cannot be built: two policies with the same id, or a template link that does
 * not fit its template. The message is one line and names the ids in backticks.
 */
public class PolicySetException extends RuntimeException {
    public PolicySetException(String message) {
        // No stack trace: these describe bad user input, never a bug.
        super(message, null, false, false);
    }
}
