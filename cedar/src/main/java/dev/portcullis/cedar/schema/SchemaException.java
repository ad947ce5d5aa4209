package dev.portcullis.cedar.schema;

/**
 * A schema that cannot be parsed or is not well formed. The message says what is wrong and where:
 * {@code line:col} for the Cedar format, the JSON path for the JSON format.
 */
public final class SchemaException extends RuntimeException {
    public SchemaException(String message) {
        // no stack trace: this is a user error, reported as one line
        super(message, null, false, false);
    }
}
