package dev.portcullis.cedar.value;

/**
 * Cedar {@code decimal}: a fixed-point number with four digits after the point, held as the
 * 64-bit integer {@code value * 10^4}. The representation is canonical ({@code decimal("1.0") ==
 * decimal("1.0000")}), so record equality is Cedar's {@code ==}.
 *
 * <p>Cedar does not overload {@code <} for decimals; they are compared with the methods {@code
 * lessThan}, {@code lessThanOrEqual}, {@code greaterThan} and {@code greaterThanOrEqual}.
 */
public record DecimalValue(long unscaled) implements ExtValue, Comparable<DecimalValue> {
    /** Digits after the point. */
    public static final int SCALE = 4;

    private static final long[] POW10 = {1, 10, 100, 1000, 10000};

    /**
     * Parses Cedar's decimal syntax: an optional {@code -}, one or more ASCII digits, a point, and
     * one to four ASCII digits; the scaled value must fit a signed 64-bit integer.
     *
     * @throws ExtensionException when {@code s} is malformed or out of range
     */
    public static DecimalValue parse(String s) {
        int n = s.length();
        int i = 0;
        boolean negative = n > 0 && s.charAt(0) == '-';
        if (negative) {
            i++;
        }
        int intStart = i;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
        }
        int intEnd = i;
        if (intEnd == intStart || i >= n || s.charAt(i) != '.') {
            throw malformed(s);
        }
        i++;
        int fracStart = i;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
        }
        int fracLen = i - fracStart;
        if (i != n || fracLen == 0) {
            throw malformed(s);
        }
        if (fracLen > SCALE) {
            throw new ExtensionException(
                    "too many digits after the decimal point in `" + s + "`: at most " + SCALE + " are supported");
        }
        // Accumulate negatively so that the most negative value (-922337203685477.5808) fits.
        long acc = 0;
        for (int k = intStart; k < intEnd; k++) {
            acc = mulAdd(acc, 10, s.charAt(k) - '0', s);
        }
        acc = mulAdd(acc, POW10[SCALE], 0, s);
        long frac = 0;
        for (int k = fracStart; k < fracStart + fracLen; k++) {
            frac = frac * 10 + (s.charAt(k) - '0');
        }
        frac *= POW10[SCALE - fracLen];
        acc = mulAdd(acc, 1, frac, s);
        if (!negative) {
            if (acc == Long.MIN_VALUE) {
                throw overflow(s);
            }
            acc = -acc;
        }
        return new DecimalValue(acc);
    }

    // acc * m - d, with acc <= 0, checked
    private static long mulAdd(long acc, long m, long d, String s) {
        long r = acc * m;
        if (Math.multiplyHigh(acc, m) != (r >> 63) || r - d > r) {
            throw overflow(s);
        }
        return r - d;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static ExtensionException malformed(String s) {
        return new ExtensionException("`" + s + "` is not a well-formed decimal value");
    }

    private static ExtensionException overflow(String s) {
        return new ExtensionException("overflow when converting `" + s + "` to decimal");
    }

    @Override
    public int compareTo(DecimalValue o) {
        return Long.compare(unscaled, o.unscaled);
    }

    public boolean lessThan(DecimalValue o) {
        return unscaled < o.unscaled;
    }

    public boolean lessThanOrEqual(DecimalValue o) {
        return unscaled <= o.unscaled;
    }

    public boolean greaterThan(DecimalValue o) {
        return unscaled > o.unscaled;
    }

    public boolean greaterThanOrEqual(DecimalValue o) {
        return unscaled >= o.unscaled;
    }

    @Override
    public String typeName() {
        return "decimal";
    }

    /** The literal text without the constructor, e.g. {@code -1.05}: at least one fraction digit. */
    public String toDecimalString() {
        long scale = POW10[SCALE];
        long whole = unscaled / scale;
        long frac = Math.abs(unscaled % scale);
        StringBuilder b = new StringBuilder(24);
        if (unscaled < 0 && whole == 0) {
            b.append('-');
        }
        b.append(whole).append('.');
        String f = Long.toString(frac + scale).substring(1); // zero-padded to SCALE digits
        int end = f.length();
        while (end > 1 && f.charAt(end - 1) == '0') {
            end--;
        }
        return b.append(f, 0, end).toString();
    }

    /** Cedar syntax, e.g. {@code decimal("1.5")}. */
    @Override
    public String toString() {
        return "decimal(\"" + toDecimalString() + "\")";
    }
}
