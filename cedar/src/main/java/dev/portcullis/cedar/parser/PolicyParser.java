package dev.portcullis.cedar.parser;

import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.parser.Token.Kind;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import java.util.List;
import java.util.function.Supplier;

/**
 * Parses Cedar 4 policy text. Every error is a {@link ParseException} whose message starts with the
 * line and column; hostile input (deep nesting, huge literals) gives a clear error, never a {@link
 * StackOverflowError}.
 */
public final class PolicyParser {
    private PolicyParser() {}

    /**
     * Parses policies and templates, in source order, with the ids {@code policy0}, {@code policy1},
     * ... by position.
     */
    public static List<Policy> parse(String text) {
        return guarded(() -> new PolicyParserImpl(text).policies());
    }

    /** Parses one expression; template slots are allowed. */
    public static Expr parseExpr(String text) {
        return guarded(() -> {
            Parser p = new Parser(text);
            Expr e = p.expr();
            p.expect(Kind.EOF);
            Depth.check(e);
            return e;
        });
    }

    /** Parses an entity uid such as {@code Photo::App::"vacation.jpg"}. */
    public static EntityUid parseEntityUid(String text) {
        return guarded(() -> {
            Parser p = new Parser(text);
            Token first = p.peek();
            if (first.kind() != Kind.IDENT) {
                throw p.expected("an entity type name");
            }
            List<String> parts = p.namePath();
            p.expect(Kind.COLONCOLON);
            if (!p.check(Kind.STRING)) {
                throw p.expected("a string literal (the entity id)");
            }
            String id = p.string(p.advance());
            p.expect(Kind.EOF);
            return new EntityUid(EntityType.of(p.typeName(parts, first)), id);
        });
    }

    /**
     * The nesting limit keeps recursion well inside ordinary stacks; this is the last line of
     * defence for callers running on unusually small ones.
     */
    private static <T> T guarded(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (StackOverflowError e) {
            throw new ParseException(1, 1, "input is nested too deeply to parse on this thread's stack");
        }
    }
}
