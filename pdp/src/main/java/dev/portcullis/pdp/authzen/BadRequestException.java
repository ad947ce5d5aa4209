package dev.portcullis.pdp.authzen;

/**
 * An AuthZEN request that cannot be mapped to a Cedar request (an HTTP API answers 400); the message
 * names the field at fault.
 */
public final class BadRequestException extends RuntimeException {
    public BadRequestException(String message) {
        super(message.replace('\n', ' '), null, false, false);
    }
}
