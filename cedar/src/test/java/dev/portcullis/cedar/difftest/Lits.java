package dev.portcullis.cedar.difftest;

import java.util.List;
import java.util.Random;

/** Literal pools (valid and invalid) and Cedar-text quoting used by the generators. */
final class Lits {
    private Lits() {}

    static final List<String> DECIMALS = List.of(
            "0.0",
            "1.5",
            "-3.25",
            "12.3456",
            "922337203685477.5807",
            "-922337203685477.5808",
            "1.0",
            "0.0001",
            "-0.0",
            "100.10");
    static final List<String> BAD_DECIMALS =
            List.of("1.23456", "abc", "1.", "1", "922337203685477.5808", "", ".5", "1.2.3", "+1.0", "1e3");
    static final List<String> IPS = List.of(
            "127.0.0.1",
            "10.0.0.0/8",
            "192.168.1.17/24",
            "::1",
            "ff02::1",
            "2001:db8::/32",
            "224.0.0.1",
            "0.0.0.0/0",
            "10.1.2.3",
            "::",
            "127.5.5.5/32",
            "fe80::1/64");
    static final List<String> BAD_IPS = List.of(
            "::ffff:10.0.0.1",
            "1.2.3",
            "256.0.0.1",
            "1.2.3.4/33",
            "::/129",
            "01.2.3.4",
            "",
            "1.2.3.4/",
            "::g",
            "1.2.3.4/-1");
    static final List<String> DATETIMES = List.of(
            "2024-01-01",
            "2024-01-01T12:34:56Z",
            "2024-01-01T12:34:56.789Z",
            "2024-01-01T12:34:56+0130",
            "1970-01-01T00:00:00-2359",
            "1969-12-31",
            "2024-02-29",
            "0001-01-01",
            "9999-12-31T23:59:59.999Z",
            "2023-06-15T08:00:00.001-0800",
            "2024-01-01T11:04:56Z",
            "2024-01-01T00:00:00Z",
            "2024-01-01T00:00:00.000+0000");
    static final List<String> BAD_DATETIMES = List.of(
            "2024-13-01",
            "2024-02-30",
            "2024-1-1",
            "2024-01-01T25:00:00Z",
            "2024-01-01T12:00:00",
            "",
            "2023-02-29",
            "2024-01-01T12:00:00.1Z",
            "2024-01-01T12:00:00+01:00",
            "24-01-01");
    static final List<String> DURATIONS = List.of(
            "1d2h3m4s5ms",
            "-1h",
            "0ms",
            "90m",
            "1s",
            "-3d",
            "24h",
            "1ms",
            "106751991167d",
            "2h30m",
            "-1d1ms",
            "60m",
            "1h",
            "3600000ms",
            "-9223372036854775808ms",
            "9223372036854775807ms");
    static final List<String> BAD_DURATIONS =
            List.of("1x", "", "1h1d", "9223372036854775807d", "h", "1.5h", "--1h", "1h-1m", "1 h");
    static final List<String> STRINGS = List.of(
            "",
            "a",
            "alice",
            "bob",
            "hello world",
            "ünï",
            "quo\"te",
            "back\\slash",
            "*",
            "a*b",
            "line\nbreak",
            "tab\t",
            "0",
            "read",
            "🦀");
    static final long[] LONGS = {
        0,
        1,
        2,
        -1,
        3,
        7,
        10,
        42,
        100,
        -100,
        1000,
        Long.MAX_VALUE,
        Long.MIN_VALUE,
        Long.MAX_VALUE - 1,
        Long.MIN_VALUE + 1,
        4611686018427387904L,
        -4611686018427387904L,
        3037000500L,
        86400000L
    };

    static long randomLong(Random r) {
        return r.nextInt(3) == 0 ? r.nextInt(21) - 10 : LONGS[r.nextInt(LONGS.length)];
    }

    static String pick(Random r, List<String> good, List<String> bad, double badRate) {
        return r.nextDouble() < badRate ? bad.get(r.nextInt(bad.size())) : good.get(r.nextInt(good.size()));
    }

    /** A Cedar string literal; escapes are chosen at random among the equivalent spellings. */
    static String quote(String s, Random r) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append(r.nextBoolean() ? "\\n" : "\\u{a}");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case 0 -> b.append("\\0");
                default -> {
                    if (c > 127 && r.nextInt(3) == 0) {
                        b.append("\\u{").append(Integer.toHexString(c)).append('}');
                    } else if (c == '\'' || r.nextInt(50) == 0 && c == 'a') {
                        b.append(c == '\'' ? "\\'" : "\\u{61}");
                    } else {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.append('"').toString();
    }

    /** Quotes a {@code like} pattern: {@code *} is a wildcard, a literal star is {@code \*}. */
    static String pattern(Random r) {
        String[] parts = {"*", "a", "\\*", "li", "ce", "", "ü", " ", "b", "**", "o"};
        StringBuilder b = new StringBuilder("\"");
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            b.append(parts[r.nextInt(parts.length)]);
        }
        return b.append('"').toString();
    }

    static boolean isIdent(String s) {
        if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) && s.charAt(0) < 128 || s.charAt(0) == '_')) {
            return false;
        }
        for (char c : s.toCharArray()) {
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_'))) {
                return false;
            }
        }
        return !List.of("true", "false", "if", "then", "else", "in", "is", "like", "has", "__cedar")
                .contains(s);
    }
}
