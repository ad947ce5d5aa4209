package dev.portcullis.cedar.parser;

import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.parser.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Policy text parsed together with its lexical layout: the tokens and the {@code //} comments with
 * their positions. The formatter needs both to keep comments, which the policy tree does not hold.
 *
 * @param policies the policies and templates, as {@link PolicyParser#parse} returns them
 * @param tokens every token in source order, without the end of input
 * @param comments every comment in source order; a comment's text runs from {@code //} to the end
 *     of its line, without the line break
 */
public record SourceLayout(List<Policy> policies, List<Lexeme> tokens, List<Lexeme> comments) {

    /** A token or a comment: its span {@code [start, end)} in the source and its text. */
    public record Lexeme(int start, int end, String text) {}

    /** Parses {@code text} as {@link PolicyParser#parse} does, keeping tokens and comments. */
    public static SourceLayout parse(String text) {
        List<Policy> policies = PolicyParser.parse(text);
        List<List<Token>> lexed = Lexer.lexWithComments(text);
        return new SourceLayout(policies, lexemes(text, lexed.get(0)), lexemes(text, lexed.get(1)));
    }

    /** The tokens of {@code text}, without comments; no parsing beyond the lexical level. */
    public static List<Lexeme> tokens(String text) {
        return lexemes(text, Lexer.lex(text));
    }

    private static List<Lexeme> lexemes(String text, List<Token> tokens) {
        List<Lexeme> out = new ArrayList<>(tokens.size());
        for (Token t : tokens) {
            if (t.kind() != Kind.EOF) {
                out.add(new Lexeme(t.start(), t.end(), text.substring(t.start(), t.end())));
            }
        }
        return out;
    }
}
