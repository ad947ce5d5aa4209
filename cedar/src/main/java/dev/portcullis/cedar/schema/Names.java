package dev.portcullis.cedar.schema;

import java.util.Set;

/** Lexical rules for names shared by both schema formats. */
final class Names {
    private Names() {}

    /** Names a common type may not have (they are type keywords of one format or the other). */
    static final Set<String> RESERVED_TYPE_NAMES =
            Set.of("Bool", "Boolean", "Entity", "Extension", "Long", "Record", "Set", "String");

    /** Cedar's reserved words: not identifiers in the Cedar format (a quoted name may be one). */
    static final Set<String> RESERVED_IDENTS = Set.of("true", "false", "if", "then", "else", "in", "is", "like", "has");

    static boolean isIdentStart(int c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isIdentPart(int c) {
        return isIdentStart(c) || (c >= '0' && c <= '9');
    }

    /** An identifier that may name a declaration: not one of {@link #RESERVED_IDENTS}. */
    static boolean isIdent(String s) {
        return isAnyIdent(s) && !RESERVED_IDENTS.contains(s);
    }

    /** Identifier syntax, reserved words included (annotation names may be any identifier). */
    static boolean isAnyIdent(String s) {
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
