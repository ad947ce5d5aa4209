package dev.portcullis.cedar.schema;

import java.util.Set;

/** Lexical rules for names shared by both schema formats. */
final class Names {
    private Names() {}

    /** Names a common type may not have (they are type keywords of one format or the other). */
    static final Set<String> RESERVED_TYPE_NAMES =
            Set.of("Bool", "Boolean", "Entity", "Extension", "Long", "Record", "Set", "String");

    static boolean isIdentStart(int c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isIdentPart(int c) {
        return isIdentStart(c) || (c >= '0' && c <= '9');
    }

    static boolean isIdent(String s) {
        if (s.isEmpty() || !isIdentStart(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!isIdentPart(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code A::B::C}: identifiers separated by {@code ::}, no spaces. */
    static boolean isPath(String s) {
        for (String part : s.split("::", -1)) {
            if (!isIdent(part)) {
                return false;
            }
        }
        return true;
    }
}
