package dev.portcullis.cedar.ast;

/**
 * A span of policy source: {@code [start, end)} in chars, and the 1-based line and column of
 * {@code start}. {@link #NONE} marks nodes that were not parsed from text (JSON policies, links).
 */
public record Loc(int start, int end, int line, int column) {
    public static final Loc NONE = new Loc(0, 0, 0, 0);

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
