package dev.portcullis.cedar.value;

/**
 * Cedar {@code duration}: a signed number of milliseconds. The representation is canonical
 * ({@code duration("1d") == duration("24h")}), so record equality is Cedar's {@code ==}. Cedar
 * overloads {@code <}, {@code <=}, {@code >}, {@code >=} for durations.
 */
public record DurationValue(long millis) implements ExtValue, Comparable<DurationValue> {
    private static final char[] UNITS = {'d', 'h', 'm', 's', 'l'}; // 'l' stands for "ms"
    private static final long[] UNIT_MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};

    /**
     * Parses Cedar's duration syntax: an optional {@code -}, then one or more quantity-unit pairs
     * in the order {@code d h m s ms}, each unit at most once, e.g. {@code 1d2h3m4s5ms} or {@code
     * -30m}. Quantities are ASCII digits; the total must fit a signed 64-bit count of milliseconds.
     *
     * @throws ExtensionException when {@code s} is malformed or out of range
     */
    public static DurationValue parse(String s) {
        int n = s.length();
        int i = 0;
        boolean negative = n > 0 && s.charAt(0) == '-';
        if (negative) {
            i++;
        }
        if (i == n) {
            throw malformed(s);
        }
        // The magnitude is summed as an unsigned 64-bit number: it may reach 2^63 when negative.
        long limit = negative ? Long.MIN_VALUE : Long.MAX_VALUE; // 2^63 or 2^63-1, unsigned
        long total = 0;
        int nextUnit = 0;
        while (i < n) {
            int start = i;
            long quantity = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                int d = s.charAt(i) - '0';
                if (Long.compareUnsigned(quantity, Long.divideUnsigned(Long.MIN_VALUE - d, 10)) > 0) {
                    throw overflow(s); // more than 2^63 already
                }
                quantity = quantity * 10 + d;
                i++;
            }
            if (i == start || i == n) {
                throw malformed(s);
            }
            int unit;
            if (s.startsWith("ms", i)) {
                unit = 4;
                i += 2;
            } else {
                unit = switch (s.charAt(i)) {
                    case 'd' -> 0;
                    case 'h' -> 1;
                    case 'm' -> 2;
                    case 's' -> 3;
                    default -> throw malformed(s);
                };
                i++;
            }
            if (unit < nextUnit) {
                throw malformed(s);
            }
            nextUnit = unit + 1;
            if (Math.unsignedMultiplyHigh(quantity, UNIT_MILLIS[unit]) != 0) {
                throw overflow(s);
            }
            long sum = total + quantity * UNIT_MILLIS[unit];
            if (Long.compareUnsigned(sum, total) < 0 || Long.compareUnsigned(sum, limit) > 0) {
                throw overflow(s);
            }
            total = sum;
        }
        return new DurationValue(negative ? -total : total);
    }

    private static ExtensionException malformed(String s) {
        return new ExtensionException("`" + s + "` is not a well-formed duration: expected quantity-unit pairs"
                + " like `1d2h3m4s5ms`, with an optional leading `-`");
    }

    private static ExtensionException overflow(String s) {
        return new ExtensionException("duration `" + s + "` does not fit in 64 bits of milliseconds");
    }

    @Override
    public int compareTo(DurationValue o) {
        return Long.compare(millis, o.millis);
    }

    public long toMilliseconds() {
        return millis;
    }

    /** Whole seconds, truncated toward zero (as Cedar). */
    public long toSeconds() {
        return millis / 1000;
    }

    public long toMinutes() {
        return toSeconds() / 60;
    }

    public long toHours() {
        return toMinutes() / 60;
    }

    public long toDays() {
        return toHours() / 24;
    }

    @Override
    public String typeName() {
        return "duration";
    }

    /** The literal text, e.g. {@code 1d2h} or {@code -5ms}; {@code 0ms} for zero. */
    public String toDurationString() {
        if (millis == 0) {
            return "0ms";
        }
        StringBuilder b = new StringBuilder(32);
        if (millis < 0) {
            b.append('-');
        }
        long magnitude = Math.abs(millis); // unsigned: Long.MIN_VALUE stays 2^63
        for (int u = 0; u < UNITS.length; u++) {
            long q = Long.divideUnsigned(magnitude, UNIT_MILLIS[u]);
            magnitude = Long.remainderUnsigned(magnitude, UNIT_MILLIS[u]);
            if (q != 0) {
                b.append(Long.toUnsignedString(q)).append(u == 4 ? "ms" : String.valueOf(UNITS[u]));
            }
        }
        return b.toString();
    }

    /** Cedar syntax, e.g. {@code duration("1h30m")}. */
    @Override
    public String toString() {
        return "duration(\"" + toDurationString() + "\")";
    }
}
