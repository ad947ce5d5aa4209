package dev.portcullis.cedar.value;

/**
 * An extension value could not be built: a malformed literal such as {@code decimal("1.23456")},
 * or an operation whose result does not fit (e.g. {@code datetime.offset} overflowing). The
 * evaluator reports it as an extension error; JSON readers report it as a format error.
 */
public final class ExtensionException extends IllegalArgumentException {
    public ExtensionException(String message) {
        super(message);
    }

    // Invalid literals are ordinary data in policies and requests; no stack trace is needed.
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
