package dev.portcullis.cedar.parser;

import dev.portcullis.cedar.parser.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits Cedar policy text into tokens, following the token rules of Cedar's grammar: identifiers
 * {@code [_a-zA-Z][_a-zA-Z0-9]*}, unsigned integers {@code [0-9]+} (a leading {@code -} is an
 * operator), string literals whose escapes are decoded later by {@link Unescape} (the meaning of
 * {@code \*} depends on whether the string is a {@code like} pattern), slots {@code ?name}, and
 * {@code //} comments. Runs in time linear in the input.
 */
final class Lexer {
    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private final List<Token> comments = new ArrayList<>();
    private int pos;
    private int line = 1;
    private int lineStart;

    private Lexer(String src) {
        this.src = src;
    }

    static List<Token> lex(String src) {
        Lexer l = new Lexer(src);
        l.run();
        return l.tokens;
    }

    /**
     * The tokens and, separately, the {@code //} comments (as tokens of kind {@link Kind#COMMENT}
     * spanning {@code //} to the end of the line, without the line break), both in source order.
     */
    static List<List<Token>> lexWithComments(String src) {
        Lexer l = new Lexer(src);
        l.run();
        return List.of(l.tokens, l.comments);
    }

    private void run() {
        int n = src.length();
        while (true) {
            skipTrivia();
            if (pos >= n) {
                tokens.add(new Token(Kind.EOF, n, n, line, pos - lineStart + 1));
                return;
            }
            int start = pos;
            int col = pos - lineStart + 1;
            char c = src.charAt(pos);
            Kind kind;
            if (isIdentStart(c)) {
                pos++;
                while (pos < n && isIdentPart(src.charAt(pos))) {
                    pos++;
                }
                kind = Kind.IDENT;
            } else if (c >= '0' && c <= '9') {
                while (pos < n && src.charAt(pos) >= '0' && src.charAt(pos) <= '9') {
                    pos++;
                }
                kind = Kind.INT;
            } else if (c == '"') {
                string(start, col);
                kind = Kind.STRING;
            } else if (c == '?') {
                pos++;
                if (pos >= n || !isIdentStart(src.charAt(pos))) {
                    throw new ParseException(line, col, "expected a slot name after `?`");
                }
                while (pos < n && isIdentPart(src.charAt(pos))) {
                    pos++;
                }
                kind = Kind.SLOT;
            } else {
                kind = punct(c, col);
            }
            tokens.add(new Token(kind, start, pos, line, col));
        }
    }

    private Kind punct(char c, int col) {
        char next = pos + 1 < src.length() ? src.charAt(pos + 1) : '\0';
        Kind two =
                switch (c) {
                    case ':' -> next == ':' ? Kind.COLONCOLON : null;
                    case '=' -> next == '=' ? Kind.EQEQ : null;
                    case '!' -> next == '=' ? Kind.NEQ : null;
                    case '<' -> next == '=' ? Kind.LE : null;
                    case '>' -> next == '=' ? Kind.GE : null;
                    case '|' -> next == '|' ? Kind.OROR : null;
                    case '&' -> next == '&' ? Kind.ANDAND : null;
                    default -> null;
                };
        if (two != null) {
            pos += 2;
            return two;
        }
        Kind one =
                switch (c) {
                    case '@' -> Kind.AT;
                    case '.' -> Kind.DOT;
                    case ',' -> Kind.COMMA;
                    case ';' -> Kind.SEMI;
                    case ':' -> Kind.COLON;
                    case '(' -> Kind.LPAREN;
                    case ')' -> Kind.RPAREN;
                    case '{' -> Kind.LBRACE;
                    case '}' -> Kind.RBRACE;
                    case '[' -> Kind.LBRACKET;
                    case ']' -> Kind.RBRACKET;
                    case '<' -> Kind.LT;
                    case '>' -> Kind.GT;
                    case '+' -> Kind.PLUS;
                    case '-' -> Kind.MINUS;
                    case '*' -> Kind.STAR;
                    case '/' -> Kind.SLASH;
                    case '%' -> Kind.PERCENT;
                    case '!' -> Kind.BANG;
                    case '=' -> Kind.EQ;
                    default -> null;
                };
        if (one == null) {
            String shown = c == '|' || c == '&' ? c + "" : describeChar(src.codePointAt(pos));
            String hint = c == '|' ? " (did you mean `||`?)" : c == '&' ? " (did you mean `&&`?)" : "";
            throw new ParseException(line, col, "unexpected character `" + shown + "`" + hint);
        }
        pos++;
        return one;
    }

    /** Consumes a string literal; escapes are only skipped here, {@link Unescape} decodes them. */
    private void string(int start, int col) {
        int startLine = line;
        int n = src.length();
        pos++;
        while (pos < n) {
            char c = src.charAt(pos);
            if (c == '"') {
                pos++;
                return;
            }
            if (c == '\\') {
                pos++;
                if (pos >= n) {
                    break;
                }
                c = src.charAt(pos);
            }
            if (c == '\n') {
                line++;
                lineStart = pos + 1;
            }
            pos++;
        }
        throw new ParseException(startLine, col, "unterminated string literal");
    }

    private void skipTrivia() {
        int n = src.length();
        while (pos < n) {
            char c = src.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (isWhitespace(c)) {
                pos++;
            } else if (c == '/' && pos + 1 < n && src.charAt(pos + 1) == '/') {
                int start = pos;
                while (pos < n && src.charAt(pos) != '\n' && src.charAt(pos) != '\r') {
                    pos++;
                }
                comments.add(new Token(Kind.COMMENT, start, pos, line, start - lineStart + 1));
            } else {
                return;
            }
        }
    }

    /** Unicode {@code White_Space}, which is what Cedar's {@code \s} token rule accepts. */
    static boolean isWhitespace(char c) {
        return switch (c) {
            case ' ',
                    '\t',
                    '\n',
                    '\u000B',
                    '\f',
                    '\r',
                    '\u0085',
                    '\u00A0',
                    '\u1680',
                    '\u2028',
                    '\u2029',
                    '\u202F',
                    '\u205F',
                    '\u3000' -> true;
            default -> c >= '\u2000' && c <= '\u200A';
        };
    }

    static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    static boolean isIdentPart(char c) {
        return isIdentStart(c) || (c >= '0' && c <= '9');
    }

    static String describeChar(int cp) {
        if (cp < 0x20 || cp == 0x7f || Character.isWhitespace(cp) || Character.getType(cp) == Character.FORMAT) {
            return "\\u{" + Integer.toHexString(cp) + "}";
        }
        return new String(Character.toChars(cp));
    }
}
