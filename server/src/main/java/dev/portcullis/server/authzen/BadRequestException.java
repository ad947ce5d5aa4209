package dev.portcullis.server.authzen;

/** A request the API cannot answer: HTTP 400; the message names the field at fault. */
public final class BadRequestException extends RuntimeException {
    public BadRequestException(String message) {
        super(message.replace('\n', ' '), null, false, false);
    }
}
