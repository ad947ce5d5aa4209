package dev.portcullis.pdp.log;

/**
 * A decision as stored: its position in the chain, the record, and the chain hashes.
 *
 * @param seq position in the log, from 1, without gaps
 * @param record the decision
 * @param prevHash hash of entry {@code seq - 1} (64 zeros for the first)
 * @param hash SHA-256 over {@code prevHash} and the canonical encoding of {@code record}
 */
public record LogEntry(long seq, DecisionRecord record, String prevHash, String hash) {}
