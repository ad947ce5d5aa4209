package dev.portcullis.cedar.json;

/**
 * A policy in Cedar's JSON format (EST) that cannot be read. The message names the JSON path of
 * the offending value, e.g. {@code conditions[0].body.&&.left: unknown variable `user`}.
 */
public final class PolicyJsonException extends RuntimeException {
    private final String path;

    public PolicyJsonException(String path, String detail) {
        super((path.isEmpty() ? "" : path + ": ") + detail, null, false, false);
        this.path = path;
    }

    /** The JSON path of the offending value; empty for the document itself. */
    public String path() {
        return path;
    }
}
