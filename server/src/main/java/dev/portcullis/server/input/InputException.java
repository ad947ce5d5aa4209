package dev.portcullis.server.input;

/**
 * Bad user input (a file that cannot be read or parsed, a malformed argument). The message is one
 * line that names the file and, where known, the line:column or JSON path; it is meant to be shown
 * to the user as is, so there is no stack trace.
 */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message.replace('\n', ' ').replace('\r', ' '), null, false, false);
    }
}
