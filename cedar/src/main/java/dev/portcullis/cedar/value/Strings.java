package dev.portcullis.cedar.value;

/** Cedar string-literal quoting, shared by {@code toString} and the policy formatter. */
public final class Strings {
    private Strings() {}

    /** Returns {@code s} as a Cedar string literal, with {@code "} and control characters escaped. */
    public static String quote(String s) {
        if (plain(s)) {
            // nothing to escape (the common case: it runs for every uid a decision logs)
            return "\"" + s + "\"";
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 0 -> b.append("\\0");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        b.append("\\u{").append(Integer.toHexString(cp)).append('}');
                    } else {
                        b.appendCodePoint(cp);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
