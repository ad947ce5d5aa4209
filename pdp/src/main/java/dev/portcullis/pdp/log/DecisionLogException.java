package dev.portcullis.pdp.log;

/** The decision log could not record or read an entry. The decision path treats it as a deny. */
public class DecisionLogException extends RuntimeException {
    public DecisionLogException(String message, Throwable cause) {
        super(message, cause);
    }

    public DecisionLogException(String message) {
        super(message);
    }
}
