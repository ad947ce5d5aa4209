package dev.portcullis.server.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in configuration and API requests: {@code 90s}, {@code 15m},
 * {@code 1h30m}, {@code 2d} (days, hours, minutes, seconds, in that order), an ISO-8601 duration
 * ({@code PT15M}), or a whole number of seconds.
 */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private Durations() {}

    /** The duration, or {@code null} when {@code text} is none of the accepted forms. */
    public static Duration parse(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return null;
        }
        if (t.chars().allMatch(Character::isDigit)) {
            return t.length() > 12 ? null : Duration.ofSeconds(Long.parseLong(t));
        }
        if (t.startsWith("P") || t.startsWith("p") || t.startsWith("-P")) {
            try {
                return Duration.parse(t);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        Matcher m = SHORT.matcher(t);
        if (!m.matches() || t.length() > 24) {
            return null;
        }
        Duration d = Duration.ZERO;
        d = d.plusDays(group(m, 1)).plusHours(group(m, 2)).plusMinutes(group(m, 3));
        return d.plusSeconds(group(m, 4));
    }

    private static long group(Matcher m, int i) {
        return m.group(i) == null ? 0 : Long.parseLong(m.group(i));
    }

    /** How the accepted forms are described in messages. */
    public static final String FORMS = "a duration such as `90s`, `15m`, `1h30m`, `2d`, `PT15M`, or seconds";
}
