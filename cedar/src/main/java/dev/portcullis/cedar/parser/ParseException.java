package dev.portcullis.cedar.parser;

/**
 * A syntax or well-formedness error in Cedar policy text. The message starts with the 1-based
 * {@code line:column} of the offending token, e.g. {@code 3:14: expected `)`, found `;`}.
 */
public final class ParseException extends RuntimeException {
    private final int line;
    private final int column;

    public ParseException(int line, int column, String detail) {
        super(line + ":" + column + ": " + detail, null, false, false);
        this.line = line;
        this.column = column;
    }

    /** 1-based line of the error. */
    public int line() {
        return line;
    }

    /** 1-based column (in UTF-16 chars) of the error. */
    public int column() {
        return column;
    }
}
