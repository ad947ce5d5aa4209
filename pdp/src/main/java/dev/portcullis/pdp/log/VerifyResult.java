package dev.portcullis.pdp.log;

/**
 * The outcome of walking the chain.
 *
 * @param entries how many entries were checked
 * @param firstBrokenSeq the first entry that does not check, or 0 when the chain is intact
 * @param problem what is wrong with it, or {@code null}
 */
public record VerifyResult(long entries, long firstBrokenSeq, String problem) {
    public boolean intact() {
        return firstBrokenSeq == 0;
    }
}
