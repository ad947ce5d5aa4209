package dev.portcullis.pdp;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decision ids: UUID version 7 (RFC 9562), so ids sort by time and the log's index on them stays
 * append-mostly. The 12 bits after the millisecond timestamp are a counter (RFC 9562 method 1), so
 * ids from one process are strictly increasing even within a millisecond and across threads.
 */
final class DecisionIds {
    // millis << 12 | counter, of the last id handed out
    private static final AtomicLong LAST = new AtomicLong();

    private DecisionIds() {}

    static String next(long epochMillis) {
        long candidate = epochMillis << 12;
        long prev;
        long mine;
        do {
            prev = LAST.get();
            // a clock that steps back, or more than 4096 ids in a millisecond, borrows from the future
            mine = Math.max(candidate, prev + 1);
        } while (!LAST.compareAndSet(prev, mine));
        long millis = mine >>> 12;
        long counter = mine & 0xFFF;
        long msb = (millis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | counter;
        long lsb = (ThreadLocalRandom.current().nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }
}
