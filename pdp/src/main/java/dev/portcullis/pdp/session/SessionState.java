package dev.portcullis.pdp.session;

/** Where a session is in its life: only an {@code ACTIVE} session can make decisions. */
public enum SessionState {
    ACTIVE,
    /** Ended by an administrator, an identity signal, or the revocation of its parent. */
    REVOKED,
    /** Ended by reaching its expiry. */
    EXPIRED;

    /** The state as it appears in JSON and in the store ({@code active}, ...). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The state named {@code name} (case-insensitive), or {@code null} when there is none. */
    public static SessionState fromWireName(String name) {
        for (SessionState s : values()) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        return null;
    }
}
