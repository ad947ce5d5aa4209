package dev.portcullis.cedar.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits Cedar-format schema text into tokens. Keywords are not special here: the parser decides
 * by position whether {@code entity} is a keyword or a name, as Cedar does.
 */
final class CedarSchemaLexer {
    enum Kind {
        IDENT,
        STRING,
        PUNCT,
        EOF
    }

    /** A token; {@code text} is the identifier, the unescaped string, or the punctuation. */
    record Token(Kind kind, String text, int line, int col) {
        String where() {
            return line + ":" + col;
        }

        boolean is(String punct) {
            return kind == Kind.PUNCT && text.equals(punct);
        }

        boolean isWord(String word) {
            return kind == Kind.IDENT && text.equals(word);
        }

        String describe() {
            return switch (kind) {
                case EOF -> "end of input";
                case STRING -> "string " + dev.portcullis.cedar.value.Strings.quote(text);
                default -> "`" + text + "`";
            };
        }
    }

    private final String src;
    private int pos;
    private int line = 1;
    private int lineStart;

    private CedarSchemaLexer(String src) {
        this.src = src;
    }

    static List<Token> tokenize(String src) {
        return new CedarSchemaLexer(src).run();
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            int col = pos - lineStart + 1;
            if (pos >= src.length()) {
                out.add(new Token(Kind.EOF, "", line, col));
                return out;
            }
            char c = src.charAt(pos);
            if (Names.isIdentStart(c)) {
                int start = pos;
                while (pos < src.length() && Names.isIdentPart(src.charAt(pos))) {
                    pos++;
                }
                out.add(new Token(Kind.IDENT, src.substring(start, pos), line, col));
            } else if (c == '"') {
                out.add(new Token(Kind.STRING, string(col), line, col));
            } else if (c == ':' && pos + 1 < src.length() && src.charAt(pos + 1) == ':') {
                pos += 2;
                out.add(new Token(Kind.PUNCT, "::", line, col));
            } else if ("{}[]()<>,;:=?@".indexOf(c) >= 0) {
                pos++;
                out.add(new Token(Kind.PUNCT, String.valueOf(c), line, col));
            } else {
                throw new SchemaException(line + ":" + col + ": unexpected character `"
                        + new String(Character.toChars(src.codePointAt(pos))) + "`");
            }
        }
    }

    private void skipSpaceAndComments() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (Character.isWhitespace(c) || c == '\u00a0' || c == '\ufeff') {
                pos++;
            } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '/') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    /** Reads a string literal starting at the opening quote and returns its unescaped content. */
    private String string(int col) {
        int startLine = line;
        pos++; // opening quote
        StringBuilder b = new StringBuilder();
        while (true) {
            if (pos >= src.length()) {
                throw new SchemaException(startLine + ":" + col + ": unterminated string");
            }
            char c = src.charAt(pos);
            if (c == '"') {
                pos++;
                return b.toString();
            }
            if (c == '\n') {
                line++;
                lineStart = pos + 1;
            }
            if (c != '\\') {
                b.append(c);
                pos++;
                continue;
            }
            int escCol = pos - lineStart + 1;
            if (pos + 1 >= src.length()) {
                throw new SchemaException(startLine + ":" + col + ": unterminated string");
            }
            char e = src.charAt(pos + 1);
            pos += 2;
            switch (e) {
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case '0' -> b.append('\0');
                case '\\' -> b.append('\\');
                case '\'' -> b.append('\'');
                case '"' -> b.append('"');
                case 'x' -> {
                    if (pos + 2 > src.length()) {
                        throw badEscape(escCol);
                    }
                    int v = hex(src.substring(pos, pos + 2), escCol);
                    if (v > 0x7f) {
                        throw badEscape(escCol);
                    }
                    b.append((char) v);
                    pos += 2;
                }
                case 'u' -> {
                    int close = src.indexOf('}', pos);
                    if (pos >= src.length()
                            || src.charAt(pos) != '{'
                            || close < 0
                            || close - pos - 1 < 1
                            || close - pos - 1 > 6) {
                        throw badEscape(escCol);
                    }
                    int v = hex(src.substring(pos + 1, close), escCol);
                    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
                        throw badEscape(escCol);
                    }
                    b.appendCodePoint(v);
                    pos = close + 1;
                }
                default -> throw badEscape(escCol);
            }
        }
    }

    private int hex(String digits, int escCol) {
        int v = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = Character.digit(digits.charAt(i), 16);
            if (d < 0) {
                throw badEscape(escCol);
            }
            v = v * 16 + d;
        }
        return v;
    }

    private SchemaException badEscape(int escCol) {
        return new SchemaException(line + ":" + escCol + ": invalid escape sequence in string");
    }
}
