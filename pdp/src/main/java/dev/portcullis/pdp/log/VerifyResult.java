package dev.portcullis.pdp.log;

/**
 * The outcome of walking the chain.
 *
 * @param entries how many entries were checked and found intact
 * @param firstBrokenSeq the first entry that does not check, or 0 when the chain is intact
 * @param kind what is wrong with it, or {@code null} when the chain is intact
 * @param problem what is wrong with it, in words, or {@code null}
 */
public record VerifyResult(long entries, long firstBrokenSeq, Kind kind, String problem) {
    /** How a link is broken. */
    public enum Kind {
        /** The entry's content does not hash to its stored hash: it was edited. */
        CONTENT_HASH,
        /** The entry's prevHash is not the hash of the entry before it. */
        PREV_HASH_LINK,
        /** The entry is missing: the entries around it do not follow each other, or the chain ends early. */
        MISSING,
        /** The chain does not end where the store's head record says it does. */
        HEAD
    }

    public static VerifyResult ok(long entries) {
        return new VerifyResult(entries, 0, null, null);
    }

    public boolean intact() {
        return firstBrokenSeq == 0;
    }
}
