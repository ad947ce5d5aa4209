package dev.portcullis.cedar.parser;

/**
 * One lexical token: its kind and its span {@code [start, end)} in the source, with the line and
 * column of {@code start}. Identifiers (including keywords) are all {@link Kind#IDENT}; the parser
 * decides from context whether a word is a keyword, as Cedar's grammar does.
 */
record Token(Kind kind, int start, int end, int line, int column) {

    enum Kind {
        IDENT,
        INT,
        STRING,
        SLOT,
        AT("@"),
        DOT("."),
        COMMA(","),
        SEMI(";"),
        COLON(":"),
        COLONCOLON("::"),
        LPAREN("("),
        RPAREN(")"),
        LBRACE("{"),
        RBRACE("}"),
        LBRACKET("["),
        RBRACKET("]"),
        EQEQ("=="),
        NEQ("!="),
        LT("<"),
        LE("<="),
        GT(">"),
        GE(">="),
        OROR("||"),
        ANDAND("&&"),
        PLUS("+"),
        MINUS("-"),
        STAR("*"),
        SLASH("/"),
        PERCENT("%"),
        BANG("!"),
        EQ("="),
        COMMENT,
        EOF;

        final String symbol;

        Kind() {
            this(null);
        }

        Kind(String symbol) {
            this.symbol = symbol;
        }
    }
}
