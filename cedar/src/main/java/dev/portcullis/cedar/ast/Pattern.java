package dev.portcullis.cedar.ast;

import java.util.List;

/** The pattern of a {@code like} expression: literal code points and {@code *} wildcards. */
public record Pattern(List<Elem> elems) {
    public Pattern {
        elems = List.copyOf(elems);
    }

    /** One element: a wildcard, or one literal code point. */
    public record Elem(boolean wildcard, int codePoint) {
        public static final Elem WILDCARD = new Elem(true, 0);

        public static Elem literal(int codePoint) {
            return new Elem(false, codePoint);
        }
    }
}
