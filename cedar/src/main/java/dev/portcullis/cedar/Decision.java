package dev.portcullis.cedar;

/** The outcome of an authorization request. */
public enum Decision {
    ALLOW,
    DENY;

    /** {@code "allow"} or {@code "deny"}, as Cedar's JSON formats write it. */
    public String text() {
        return this == ALLOW ? "allow" : "deny";
    }
}
