package dev.portcullis.cedar.parser;

import dev.portcullis.cedar.ast.Pattern;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the body of a Cedar string literal. The escapes are Cedar's (those of Rust string
 * literals): newline, return, tab, backslash, NUL and quote escapes, {@code \xHH} up to {@code 7F},
 * and {@code \}{@code u{H..H}} with one to six hex digits naming a Unicode scalar value. In a
 * {@code like} pattern, {@code \*} is a literal star and every other (decoded) {@code *} is a
 * wildcard, so an escaped code point 2A is a wildcard too, as in Cedar.
 */
final class Unescape {
    /** Where an invalid escape starts (offset into the body) and how it reads. */
    record Error(int offset, String escape) {}

    static final class InvalidEscape extends Exception {
        final transient Error error;

        InvalidEscape(Error error) {
            super(null, null, false, false);
            this.error = error;
        }
    }

    private Unescape() {}

    static String string(String body) throws InvalidEscape {
        if (body.indexOf('\\') < 0) {
            return body;
        }
        StringBuilder b = new StringBuilder(body.length());
        decode(body, false, b, null);
        return b.toString();
    }

    static Pattern pattern(String body) throws InvalidEscape {
        List<Pattern.Elem> elems = new ArrayList<>(body.length());
        decode(body, true, null, elems);
        return new Pattern(elems);
    }

    private static void decode(String s, boolean pattern, StringBuilder out, List<Pattern.Elem> elems)
            throws InvalidEscape {
        int n = s.length();
        int i = 0;
        while (i < n) {
            int cp = s.codePointAt(i);
            if (cp != '\\') {
                emit(cp, false, out, elems);
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            if (i + 1 >= n) {
                throw new InvalidEscape(new Error(start, "\\"));
            }
            char e = s.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'n' -> emit('\n', false, out, elems);
                case 'r' -> emit('\r', false, out, elems);
                case 't' -> emit('\t', false, out, elems);
                case '\\' -> emit('\\', false, out, elems);
                case '0' -> emit(0, false, out, elems);
                case '\'' -> emit('\'', false, out, elems);
                case '"' -> emit('"', false, out, elems);
                case '*' -> {
                    if (!pattern) {
                        throw new InvalidEscape(new Error(start, "\\*"));
                    }
                    emit('*', true, out, elems);
                }
                case 'x' -> {
                    int v = i + 2 <= n ? hex(s, i, i + 2) : -1;
                    if (v < 0 || v > 0x7f) {
                        throw new InvalidEscape(new Error(start, s.substring(start, Math.min(n, i + 2))));
                    }
                    i += 2;
                    emit(v, false, out, elems);
                }
                case 'u' -> {
                    int close = i < n && s.charAt(i) == '{' ? s.indexOf('}', i) : -1;
                    int v = close > i + 1 && close - i - 1 <= 6 ? hex(s, i + 1, close) : -1;
                    if (v < 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
                        int end = close >= 0 && close - start <= 12 ? close + 1 : Math.min(n, i + 1);
                        throw new InvalidEscape(new Error(start, s.substring(start, end)));
                    }
                    i = close + 1;
                    emit(v, false, out, elems);
                }
                default -> throw new InvalidEscape(new Error(start, s.substring(start, start + 2)));
            }
        }
    }

    private static void emit(int cp, boolean escapedStar, StringBuilder out, List<Pattern.Elem> elems) {
        if (out != null) {
            out.appendCodePoint(cp);
        } else if (cp == '*' && !escapedStar) {
            elems.add(Pattern.Elem.WILDCARD);
        } else {
            elems.add(Pattern.Elem.literal(cp));
        }
    }

    /** The value of the hex digits in {@code s[from, to)}, or -1 if any is not a hex digit. */
    private static int hex(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0 || s.charAt(i) > 'f') {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }
}
