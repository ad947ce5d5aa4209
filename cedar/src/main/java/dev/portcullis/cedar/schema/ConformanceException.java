package dev.portcullis.cedar.schema;

/**
 * A request or an entity that does not conform to the schema. The message is one line, names
 * what is wrong ({@code context.ip}, {@code entity `User::"alice"`}) and puts user input in
 * backticks.
 */
public final class ConformanceException extends RuntimeException {
    public ConformanceException(String message) {
        super(message, null, false, false);
    }
}
