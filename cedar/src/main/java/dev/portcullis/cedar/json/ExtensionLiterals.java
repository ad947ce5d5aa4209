package dev.portcullis.cedar.json;

import dev.portcullis.cedar.value.DatetimeValue;
import dev.portcullis.cedar.value.DecimalValue;
import dev.portcullis.cedar.value.DurationValue;
import dev.portcullis.cedar.value.ExtValue;
import dev.portcullis.cedar.value.IpAddrValue;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The extension functions that may appear in JSON data ({@code __extn}): the four constructors
 * and {@code offset}. Each returns {@code null} for an argument the function rejects.
 *
 * <p>TODO(merge eval): the constructors' string syntax belongs to the value classes
 * ({@code IpAddrValue.parse} etc., owned by the eval helper); these minimal parsers stand in
 * until that is merged and then delegate to it.
 */
final class ExtensionLiterals {
    private ExtensionLiterals() {}

    /** The schema type name each JSON-callable function returns. */
    static String resultType(String fn) {
        return switch (fn) {
            case "ip" -> "ipaddr";
            case "decimal" -> "decimal";
            case "datetime", "offset" -> "datetime";
            case "duration" -> "duration";
            default -> null;
        };
    }

    /** The constructor that makes {@code type} from a string ({@code ipaddr} → {@code ip}). */
    static String constructorOf(String type) {
        return switch (type) {
            case "ipaddr" -> "ip";
            case "decimal", "datetime", "duration" -> type;
            default -> null;
        };
    }

    /** Calls {@code fn} on {@code args} (strings or values); {@code null} when it does not apply. */
    static ExtValue call(String fn, List<Object> args) {
        if (fn.equals("offset")) {
            if (args.size() == 2 && args.get(0) instanceof DatetimeValue d && args.get(1) instanceof DurationValue u) {
                try {
                    return new DatetimeValue(Math.addExact(d.epochMillis(), u.millis()));
                } catch (ArithmeticException e) {
                    return null;
                }
            }
            return null;
        }
        if (args.size() != 1 || !(args.get(0) instanceof String s)) {
            return null;
        }
        return switch (fn) {
            case "ip" -> ip(s);
            case "decimal" -> decimal(s);
            case "datetime" -> datetime(s);
            case "duration" -> duration(s);
            default -> null;
        };
    }

    private static final Pattern DECIMAL = Pattern.compile("(-?)([0-9]+)\\.([0-9]{1,4})");

    static DecimalValue decimal(String s) {
        Matcher m = DECIMAL.matcher(s);
        if (!m.matches()) {
            return null;
        }
        String frac = (m.group(3) + "000").substring(0, 4);
        BigInteger v = new BigInteger(m.group(2) + frac);
        if (!m.group(1).isEmpty()) {
            v = v.negate();
        }
        return v.bitLength() < 64 ? new DecimalValue(v.longValue()) : null;
    }

    private static final Pattern DURATION =
            Pattern.compile("(-?)(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m(?!s))?(?:([0-9]+)s)?(?:([0-9]+)ms)?");
    private static final long[] UNIT_MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};

    static DurationValue duration(String s) {
        Matcher m = DURATION.matcher(s);
        if (!m.matches() || s.equals("-") || s.isEmpty()) {
            return null;
        }
        try {
            long total = 0;
            for (int i = 0; i < 5; i++) {
                String g = m.group(i + 2);
                if (g != null) {
                    total = Math.addExact(total, Math.multiplyExact(Long.parseLong(g), UNIT_MILLIS[i]));
                }
            }
            return new DurationValue(m.group(1).isEmpty() ? total : Math.negateExact(total));
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    private static final Pattern DATETIME = Pattern.compile(
            "([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]{3}))?(Z|([+-])([0-9]{2})([0-9]{2})))?");

    static DatetimeValue datetime(String s) {
        Matcher m = DATETIME.matcher(s);
        if (!m.matches()) {
            return null;
        }
        try {
            LocalDate date = LocalDate.of(
                    Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            long millis = date.atStartOfDay().toEpochSecond(ZoneOffset.UTC) * 1000;
            if (m.group(4) != null) {
                int h = Integer.parseInt(m.group(4));
                int min = Integer.parseInt(m.group(5));
                int sec = Integer.parseInt(m.group(6));
                if (h > 23 || min > 59 || sec > 59) {
                    return null;
                }
                millis += ((h * 60L + min) * 60 + sec) * 1000 + (m.group(7) == null ? 0 : Integer.parseInt(m.group(7)));
                if (m.group(9) != null) {
                    int oh = Integer.parseInt(m.group(10));
                    int om = Integer.parseInt(m.group(11));
                    if (oh > 23 || om > 59) {
                        return null;
                    }
                    long off = (oh * 60L + om) * 60_000L;
                    millis += m.group(9).equals("+") ? -off : off;
                }
            }
            return new DatetimeValue(millis);
        } catch (DateTimeException e) {
            return null;
        }
    }

    static IpAddrValue ip(String s) {
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        boolean v4 = addr.indexOf(':') < 0;
        long[] bits = v4 ? v4(addr) : v6(addr);
        if (bits == null) {
            return null;
        }
        int max = v4 ? 32 : 128;
        int prefix = max;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            prefix = Integer.parseInt(p);
            if (prefix > max) {
                return null;
            }
        }
        return new IpAddrValue(v4, bits[0], bits[1], prefix);
    }

    private static long[] v4(String addr) {
        String[] parts = addr.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            if (p.length() > 1 && p.charAt(0) == '0') {
                return null; // leading zeros are ambiguous (octal?), so Cedar rejects them
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) {
                return null;
            }
            v = (v << 8) | octet;
        }
        return new long[] {0, v};
    }

    private static long[] v6(String addr) {
        int dbl = addr.indexOf("::");
        if (dbl >= 0 && addr.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        List<String> head;
        List<String> tail;
        if (dbl >= 0) {
            head = groups(addr.substring(0, dbl));
            tail = groups(addr.substring(dbl + 2));
        } else {
            head = groups(addr);
            tail = List.of();
        }
        if (head == null || tail == null) {
            return null;
        }
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(tail);
        int[] words = new int[8];
        int count = 0;
        int[] parsed = new int[10];
        for (int i = 0; i < all.size(); i++) {
            String g = all.get(i);
            if (g.indexOf('.') >= 0) {
                if (i != all.size() - 1) {
                    return null;
                }
                long[] v4 = v4(g);
                if (v4 == null || count + 2 > 8) {
                    return null;
                }
                parsed[count++] = (int) (v4[1] >>> 16);
                parsed[count++] = (int) (v4[1] & 0xffff);
            } else {
                if (g.isEmpty() || g.length() > 4 || count >= 8) {
                    return null;
                }
                int w = 0;
                for (char c : g.toCharArray()) {
                    int d = Character.digit(c, 16);
                    if (d < 0) {
                        return null;
                    }
                    w = w * 16 + d;
                }
                parsed[count++] = w;
            }
        }
        int headCount = count
                - (int) tail.stream().mapToInt(t -> t.indexOf('.') >= 0 ? 2 : 1).sum();
        if (dbl < 0 ? count != 8 : count > 7) {
            return null;
        }
        for (int i = 0; i < headCount; i++) {
            words[i] = parsed[i];
        }
        for (int i = headCount; i < count; i++) {
            words[8 - (count - i)] = parsed[i];
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++) {
            hi = (hi << 16) | words[i];
            lo = (lo << 16) | words[i + 4];
        }
        return new long[] {hi, lo};
    }

    private static List<String> groups(String s) {
        if (s.isEmpty()) {
            return List.of();
        }
        List<String> out = List.of(s.split(":", -1));
        return out.contains("") ? null : out;
    }
}
