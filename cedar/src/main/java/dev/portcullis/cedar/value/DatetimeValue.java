package dev.portcullis.cedar.value;

/**
 * Cedar {@code datetime}: milliseconds since the Unix epoch, UTC (no leap seconds). The
 * representation is canonical (the UTC offset of the literal is applied), so record equality is
 * Cedar's {@code ==}. Cedar overloads {@code <}, {@code <=}, {@code >}, {@code >=} for datetimes.
 */
public record DatetimeValue(long epochMillis) implements ExtValue, Comparable<DatetimeValue> {
    private static final long DAY_MILLIS = 86_400_000L;

    /**
     * Parses Cedar's datetime syntax, one of {@code YYYY-MM-DD}, {@code YYYY-MM-DDThh:mm:ssZ},
     * {@code YYYY-MM-DDThh:mm:ss.SSSZ}, {@code YYYY-MM-DDThh:mm:ss(+|-)hhmm} and {@code
     * YYYY-MM-DDThh:mm:ss.SSS(+|-)hhmm}: a valid proleptic Gregorian date (year 0000-9999), hours
     * below 24, minutes and seconds below 60 (no leap second), offset hours below 24 and minutes
     * below 60.
     *
     * @throws ExtensionException when {@code s} is malformed or not a valid date and time
     */
    public static DatetimeValue parse(String s) {
        int n = s.length();
        if (n < 10
                || !digits(s, 0, 4)
                || s.charAt(4) != '-'
                || !digits(s, 5, 2)
                || s.charAt(7) != '-'
                || !digits(s, 8, 2)) {
            throw new ExtensionException("invalid datetime `" + s + "`: expected `YYYY-MM-DD` at the start");
        }
        int year = num(s, 0, 4);
        int month = num(s, 5, 2);
        int day = num(s, 8, 2);
        if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            throw new ExtensionException("invalid datetime `" + s + "`: no such date");
        }
        long millis = daysFromCivil(year, month, day) * DAY_MILLIS;
        if (n == 10) {
            return new DatetimeValue(millis);
        }
        if (n < 19
                || s.charAt(10) != 'T'
                || !digits(s, 11, 2)
                || s.charAt(13) != ':'
                || !digits(s, 14, 2)
                || s.charAt(16) != ':'
                || !digits(s, 17, 2)) {
            throw new ExtensionException("invalid datetime `" + s + "`: expected `Thh:mm:ss` after the date");
        }
        int hh = num(s, 11, 2);
        int mm = num(s, 14, 2);
        int ss = num(s, 17, 2);
        int i = 19;
        int ms = 0;
        if (i < n && s.charAt(i) == '.') {
            if (n < i + 4 || !digits(s, i + 1, 3)) {
                throw badSuffix(s);
            }
            ms = num(s, i + 1, 3);
            i += 4;
        }
        long offsetMillis = 0;
        if (i + 1 == n && s.charAt(i) == 'Z') {
            // UTC
        } else if (i + 5 == n && (s.charAt(i) == '+' || s.charAt(i) == '-') && digits(s, i + 1, 4)) {
            int oh = num(s, i + 1, 2);
            int om = num(s, i + 3, 2);
            if (oh >= 24 || om >= 60) {
                throw new ExtensionException(
                        "invalid datetime `" + s + "`: the offset hours must be below 24 and minutes below 60");
            }
            offsetMillis = (oh * 3600L + om * 60L) * 1000L * (s.charAt(i) == '+' ? 1 : -1);
        } else {
            throw badSuffix(s);
        }
        if (hh >= 24 || mm >= 60 || ss >= 60) {
            throw badTime(s);
        }
        millis += ((hh * 60L + mm) * 60L + ss) * 1000L + ms - offsetMillis;
        return new DatetimeValue(millis);
    }

    private static ExtensionException badSuffix(String s) {
        return new ExtensionException(
                "invalid datetime `" + s + "`: expected `Z`, `.SSSZ`, `(+|-)hhmm` or `.SSS(+|-)hhmm` after the time");
    }

    private static ExtensionException badTime(String s) {
        return new ExtensionException("invalid datetime `" + s + "`: no such time of day");
    }

    private static boolean digits(String s, int from, int count) {
        if (from + count > s.length()) {
            return false;
        }
        for (int k = from; k < from + count; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int num(String s, int from, int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            v = v * 10 + (s.charAt(k) - '0');
        }
        return v;
    }

    private static boolean isLeap(int y) {
        return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    }

    private static int daysInMonth(int y, int m) {
        return switch (m) {
            case 2 -> isLeap(y) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
    static long daysFromCivil(long y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    @Override
    public int compareTo(DatetimeValue o) {
        return Long.compare(epochMillis, o.epochMillis);
    }

    /** This instant moved by {@code d}; throws {@link ExtensionException} on overflow. */
    public DatetimeValue offset(DurationValue d) {
        long r = epochMillis + d.millis();
        if (((epochMillis ^ r) & (d.millis() ^ r)) < 0) {
            throw new ExtensionException("overflow when adding " + d + " to " + this);
        }
        return new DatetimeValue(r);
    }

    /** {@code this - other}; throws {@link ExtensionException} on overflow. */
    public DurationValue durationSince(DatetimeValue other) {
        long r = epochMillis - other.epochMillis;
        if (((epochMillis ^ other.epochMillis) & (epochMillis ^ r)) < 0) {
            throw new ExtensionException("overflow when computing the duration from " + other + " to " + this);
        }
        return new DurationValue(r);
    }

    /** Midnight (UTC) of this instant's day; throws {@link ExtensionException} on overflow. */
    public DatetimeValue toDate() {
        long days = Math.floorDiv(epochMillis, DAY_MILLIS);
        long r = days * DAY_MILLIS;
        if (Math.multiplyHigh(days, DAY_MILLIS) != (r >> 63)) {
            throw new ExtensionException("overflow when computing the date of " + this);
        }
        return new DatetimeValue(r);
    }

    /** The time since this instant's midnight (UTC), always in {@code [0, 1d)}. */
    public DurationValue toTime() {
        return new DurationValue(Math.floorMod(epochMillis, DAY_MILLIS));
    }

    @Override
    public String typeName() {
        return "datetime";
    }

    /**
     * Cedar syntax: {@code datetime("2024-10-15T11:35:00.000Z")} for years 0000-9999, otherwise
     * {@code datetime("1970-01-01").offset(duration("..."))} (there is no literal for them).
     */
    @Override
    public String toString() {
        long days = Math.floorDiv(epochMillis, DAY_MILLIS);
        long msOfDay = Math.floorMod(epochMillis, DAY_MILLIS);
        // civil-from-days (H. Hinnant)
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        if (m <= 2) {
            y++;
        }
        if (y < 0 || y > 9999) {
            return "datetime(\"1970-01-01\").offset(" + new DurationValue(epochMillis) + ")";
        }
        return String.format(
                "datetime(\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\")",
                y, m, d, msOfDay / 3_600_000, msOfDay / 60_000 % 60, msOfDay / 1000 % 60, msOfDay % 1000);
    }
}
