package dev.portcullis.cedar.json;

/**
 * JSON input (entities, context, values, schemas) that is malformed or does not match what is
 * expected. The message starts with the JSON path of the offending value, e.g.
 * {@code entities[3].attrs.age: expected a long, found "x"}.
 */
public final class JsonFormatException extends RuntimeException {
    public JsonFormatException(String message) {
        // no stack trace: this is a user error, reported as one line
        super(message, null, false, false);
    }

    static JsonFormatException at(String path, String message) {
        return new JsonFormatException(path + ": " + message);
    }
}
