package dev.portcullis.cedar.parser;

import dev.portcullis.cedar.ast.BinaryOp;
import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.Loc;
import dev.portcullis.cedar.ast.Pattern;
import dev.portcullis.cedar.ast.SlotId;
import dev.portcullis.cedar.ast.UnaryOp;
import dev.portcullis.cedar.ast.VarName;
import dev.portcullis.cedar.parser.Token.Kind;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.StringValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recursive-descent parser for Cedar expressions, one method per grammar rule from lowest to
 * highest precedence (as in Cedar's {@code grammar.lalrpop}):
 *
 * <pre>
 * Expr     := Or | 'if' Expr 'then' Expr 'else' Expr
 * Or       := And {'||' And}
 * And      := Relation {'&amp;&amp;' Relation}
 * Relation := Add [RelOp Add] | Add 'has' (IDENT {'.' IDENT} | STR) | Add 'like' STR
 *           | Add 'is' Name ['in' Add]
 * Add      := Mult {('+' | '-') Mult}
 * Mult     := Unary {'*' Unary}
 * Unary    := ['!'{1..4} | '-'{1..4}] Member
 * Member   := Primary {'.' IDENT ['(' Args ')'] | '[' STR ']'}
 * Primary  := INT | STR | 'true' | 'false' | Var | Slot | Name '::' STR | Name '(' Args ')'
 *           | '(' Expr ')' | '[' Args ']' | '{' [Key ':' Expr {',' Key ':' Expr} [',']] '}'
 * </pre>
 *
 * Relations do not chain ({@code a == b == c} is an error, as in Cedar); the policy-level rules live
 * in {@link PolicyParserImpl}. Sugar is removed here: {@code a has b.c} and {@code x is T in y}.
 */
class Parser {
    /**
     * Maximum syntactic nesting (parentheses, brackets, braces, call arguments, if-then-else). Each
     * level costs the parser one frame per precedence rule, about 1.5 KB of stack when interpreted,
     * so 200 levels stay well inside a 512 KB thread stack.
     */
    static final int MAX_NESTING = 200;

    /**
     * Maximum nesting of an expression tree, where the left spine of an operator chain ({@code a ||
     * b || ...}, {@code a.b.c}) counts as one level: tree walkers follow spines with loops and
     * recurse only into genuinely nested operands (see {@code ast.Chains} and {@link Depth}).
     */
    static final int MAX_DEPTH = 500;

    final String src;
    final List<Token> toks;
    int pos;
    int prevEnd;
    int depth;

    /** Slots are legal in a policy scope and in stand-alone expressions, not in conditions. */
    boolean slotsAllowed = true;

    /** For the error on a slot in a condition: {@code when} or {@code unless}. */
    String clause = "when";

    Parser(String src) {
        this.src = src;
        this.toks = Lexer.lex(src);
    }

    // ---- token helpers

    final Token peek() {
        return toks.get(pos);
    }

    final Token peek(int ahead) {
        return toks.get(Math.min(pos + ahead, toks.size() - 1));
    }

    final Token advance() {
        Token t = toks.get(pos);
        if (t.kind() != Kind.EOF) {
            pos++;
        }
        prevEnd = t.end();
        return t;
    }

    final boolean check(Kind k) {
        return peek().kind() == k;
    }

    final boolean checkWord(String word) {
        return isWord(peek(), word);
    }

    final boolean isWord(Token t, String word) {
        return t.kind() == Kind.IDENT && t.end() - t.start() == word.length() && src.startsWith(word, t.start());
    }

    final String text(Token t) {
        return src.substring(t.start(), t.end());
    }

    final Token expect(Kind k) {
        if (!check(k)) {
            throw expected(k == Kind.EOF ? "end of input" : "`" + k.symbol + "`");
        }
        return advance();
    }

    final Token expectWord(String word) {
        if (!checkWord(word)) {
            throw expected("`" + word + "`");
        }
        return advance();
    }

    final ParseException expected(String what) {
        return error(peek(), "expected " + what + ", found " + describe(peek()));
    }

    final ParseException error(Token at, String detail) {
        return new ParseException(at.line(), at.column(), detail);
    }

    final ParseException error(Loc at, String detail) {
        return new ParseException(at.line(), at.column(), detail);
    }

    final String describe(Token t) {
        return switch (t.kind()) {
            case EOF -> "end of input";
            case STRING -> "string literal " + shorten(text(t));
            case IDENT, INT, SLOT -> "`" + shorten(text(t)) + "`";
            default -> "`" + t.kind().symbol + "`";
        };
    }

    static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** The span from {@code first} to the end of the last consumed token. */
    final Loc span(Token first) {
        return new Loc(first.start(), prevEnd, first.line(), first.column());
    }

    final Loc span(Loc first) {
        return new Loc(first.start(), prevEnd, first.line(), first.column());
    }

    // ---- expressions

    final Expr expr() {
        if (++depth > MAX_NESTING) {
            throw error(peek(), "expression is nested too deeply (more than " + MAX_NESTING + " levels)");
        }
        try {
            Token t = peek();
            if (isWord(t, "if")) {
                advance();
                Expr cond = expr();
                expectWord("then");
                Expr then = expr();
                expectWord("else");
                Expr otherwise = expr();
                return new Expr.If(cond, then, otherwise, span(t));
            }
            return or();
        } finally {
            depth--;
        }
    }

    private Expr or() {
        Expr left = and();
        while (check(Kind.OROR)) {
            advance();
            Expr right = and();
            left = new Expr.Or(left, right, span(left.loc()));
        }
        return left;
    }

    private Expr and() {
        Expr left = relation();
        while (check(Kind.ANDAND)) {
            advance();
            Expr right = relation();
            left = new Expr.And(left, right, span(left.loc()));
        }
        return left;
    }

    private Expr relation() {
        Expr left = add();
        Token t = peek();
        if (isWord(t, "has")) {
            advance();
            return single(has(left));
        }
        if (isWord(t, "like")) {
            advance();
            Token s = peek();
            if (s.kind() != Kind.STRING) {
                throw error(
                        s, "right hand side of a `like` expression must be a pattern literal, found " + describe(s));
            }
            advance();
            return single(new Expr.Like(left, pattern(s), span(left.loc())));
        }
        if (isWord(t, "is")) {
            advance();
            EntityType type = isType();
            Expr is = new Expr.Is(left, type, span(left.loc()));
            if (checkWord("in")) {
                advance();
                Expr in = add();
                Loc loc = span(left.loc());
                return single(new Expr.And(is, new Expr.Binary(BinaryOp.IN, left, in, loc), loc));
            }
            return single(is);
        }
        BinaryOp op = relOp(t);
        if (op == null) {
            return left;
        }
        advance();
        Expr right = add();
        return single(new Expr.Binary(op, left, right, span(left.loc())));
    }

    /** Relations do not chain in Cedar: {@code a == b == c} and {@code a has b == c} need parentheses. */
    private Expr single(Expr relation) {
        Token t = peek();
        if (relOp(t) != null || isWord(t, "has") || isWord(t, "like") || isWord(t, "is")) {
            throw error(
                    t,
                    "multiple relational operators (>, ==, in, has, like, is, etc.) must be used with parentheses"
                            + " to make ordering explicit");
        }
        return relation;
    }

    /** The relational operator at {@code t}, or null; rejects {@code =}. */
    final BinaryOp relOp(Token t) {
        return switch (t.kind()) {
            case EQEQ -> BinaryOp.EQ;
            case NEQ -> BinaryOp.NEQ;
            case LT -> BinaryOp.LT;
            case LE -> BinaryOp.LE;
            case GT -> BinaryOp.GT;
            case GE -> BinaryOp.GE;
            case EQ -> throw error(t, "`=` is not a valid operator in Cedar; did you mean `==`?");
            case IDENT -> isWord(t, "in") ? BinaryOp.IN : null;
            default -> null;
        };
    }

    /** {@code e has a}, {@code e has "a"}, or {@code e has a.b.c} (desugared into a conjunction). */
    private Expr has(Expr left) {
        Token t = peek();
        if (t.kind() == Kind.STRING) {
            advance();
            return new Expr.HasAttr(left, string(t), span(left.loc()));
        }
        if (t.kind() != Kind.IDENT) {
            throw expected("an attribute name (identifier or string literal) after `has`");
        }
        List<String> path = new ArrayList<>();
        path.add(attrIdent(advance()));
        while (check(Kind.DOT) && peek(1).kind() == Kind.IDENT) {
            advance();
            path.add(attrIdent(advance()));
        }
        Loc loc = span(left.loc());
        Expr result = new Expr.HasAttr(left, path.get(0), loc);
        Expr target = left;
        for (int i = 1; i < path.size(); i++) {
            target = new Expr.GetAttr(target, path.get(i - 1), loc);
            result = new Expr.And(result, new Expr.HasAttr(target, path.get(i), loc), loc);
        }
        return result;
    }

    private EntityType isType() {
        Token t = peek();
        if (t.kind() != Kind.IDENT) {
            throw error(t, "right hand side of an `is` expression must be an entity type name, found " + describe(t));
        }
        List<String> parts = namePath();
        if (check(Kind.COLONCOLON)) {
            advance();
            throw error(
                    t,
                    "right hand side of an `is` expression must be an entity type name, found "
                            + describe(peek())
                            + " after `::`");
        }
        return EntityType.of(typeName(parts, t));
    }

    private Expr add() {
        Expr left = mult();
        while (check(Kind.PLUS) || check(Kind.MINUS)) {
            BinaryOp op = advance().kind() == Kind.PLUS ? BinaryOp.ADD : BinaryOp.SUB;
            Expr right = mult();
            left = new Expr.Binary(op, left, right, span(left.loc()));
        }
        return left;
    }

    private Expr mult() {
        Expr left = unary();
        while (true) {
            Token t = peek();
            if (t.kind() == Kind.SLASH) {
                throw error(t, "division is not supported");
            }
            if (t.kind() == Kind.PERCENT) {
                throw error(t, "remainder/modulo is not supported");
            }
            if (t.kind() != Kind.STAR) {
                return left;
            }
            advance();
            Expr right = unary();
            left = new Expr.Binary(BinaryOp.MUL, left, right, span(left.loc()));
        }
    }

    private Expr unary() {
        Token first = peek();
        Kind k = first.kind();
        if (k != Kind.BANG && k != Kind.MINUS) {
            return member();
        }
        int count = 0;
        while (check(k)) {
            advance();
            count++;
        }
        if (count > 4) {
            throw error(first, "too many occurrences of `" + k.symbol + "` (at most 4 in a row)");
        }
        Expr e;
        int ops = count;
        Token num = peek();
        if (k == Kind.MINUS && num.kind() == Kind.INT && !isAccess(peek(1))) {
            // Cedar folds one `-` into a following integer literal, so that
            // -9223372036854775808 is a literal and not the negation of an out-of-range one.
            advance();
            e = new Expr.Lit(LongValue.of(integer(num, true)), span(toks.get(pos - 2)));
            ops--;
        } else {
            e = member();
        }
        UnaryOp op = k == Kind.BANG ? UnaryOp.NOT : UnaryOp.NEG;
        for (int i = 0; i < ops; i++) {
            e = new Expr.Unary(op, e, span(first));
        }
        return e;
    }

    private static boolean isAccess(Token t) {
        return t.kind() == Kind.DOT || t.kind() == Kind.LBRACKET || t.kind() == Kind.LPAREN;
    }

    private Expr member() {
        Expr e = primary();
        while (true) {
            Token t = peek();
            if (t.kind() == Kind.DOT) {
                advance();
                Token name = peek();
                if (name.kind() != Kind.IDENT) {
                    throw expected("an attribute or method name after `.`");
                }
                advance();
                if (check(Kind.LPAREN)) {
                    List<Expr> args = args(Kind.LPAREN, Kind.RPAREN);
                    e = method(e, name, args);
                } else {
                    e = new Expr.GetAttr(e, attrIdent(name), span(e.loc()));
                }
            } else if (t.kind() == Kind.LBRACKET) {
                advance();
                Token s = peek();
                if (s.kind() != Kind.STRING || peek(1).kind() != Kind.RBRACKET) {
                    throw error(
                            s, "the contents of an index expression must be a string literal, found " + describe(s));
                }
                advance();
                advance();
                e = new Expr.GetAttr(e, string(s), span(e.loc()));
            } else if (t.kind() == Kind.LPAREN) {
                throw error(t, "function calls must be of the form `<name>(arg1, arg2, ...)`");
            } else {
                return e;
            }
        }
    }

    private Expr method(Expr receiver, Token nameTok, List<Expr> args) {
        String name = text(nameTok);
        checkNotReserved(nameTok);
        Loc loc = span(receiver.loc());
        switch (name) {
            case "contains", "containsAll", "containsAny", "getTag", "hasTag" -> {
                arity(nameTok, name, 1, args.size());
                BinaryOp op =
                        switch (name) {
                            case "contains" -> BinaryOp.CONTAINS;
                            case "containsAll" -> BinaryOp.CONTAINS_ALL;
                            case "containsAny" -> BinaryOp.CONTAINS_ANY;
                            case "getTag" -> BinaryOp.GET_TAG;
                            default -> BinaryOp.HAS_TAG;
                        };
                return new Expr.Binary(op, receiver, args.get(0), loc);
            }
            case "isEmpty" -> {
                arity(nameTok, name, 0, args.size());
                return new Expr.Unary(UnaryOp.IS_EMPTY, receiver, loc);
            }
            default -> {
                if (Names.EXTENSION_METHODS.contains(name)) {
                    List<Expr> all = new ArrayList<>(args.size() + 1);
                    all.add(receiver);
                    all.addAll(args);
                    return new Expr.Call(name, all, true, loc);
                }
                if (Names.EXTENSION_FUNCTIONS.contains(name)) {
                    throw error(nameTok, "`" + name + "` is a function, not a method; call it as `" + name + "(..)`");
                }
                throw error(nameTok, "`" + shorten(name) + "` is not a valid method");
            }
        }
    }

    private void arity(Token at, String name, int expected, int got) {
        if (expected != got) {
            throw error(
                    at,
                    "call to `" + name + "` requires exactly " + expected + " argument" + (expected == 1 ? "" : "s")
                            + ", but got " + got + " argument" + (got == 1 ? "" : "s"));
        }
    }

    private Expr primary() {
        Token t = peek();
        switch (t.kind()) {
            case INT -> {
                advance();
                return new Expr.Lit(LongValue.of(integer(t, false)), span(t));
            }
            case STRING -> {
                advance();
                return new Expr.Lit(new StringValue(string(t)), span(t));
            }
            case SLOT -> {
                advance();
                return new Expr.Slot(slot(t), span(t));
            }
            case LPAREN -> {
                advance();
                Expr e = expr();
                expect(Kind.RPAREN);
                return e;
            }
            case LBRACKET -> {
                List<Expr> elems = args(Kind.LBRACKET, Kind.RBRACKET);
                return new Expr.SetLit(elems, span(t));
            }
            case LBRACE -> {
                return record();
            }
            case IDENT -> {
                return name();
            }
            default -> throw expected("an expression");
        }
    }

    private SlotId slot(Token t) {
        String name = text(t);
        SlotId id =
                switch (name) {
                    case "?principal" -> SlotId.PRINCIPAL;
                    case "?resource" -> SlotId.RESOURCE;
                    default ->
                        throw error(
                                t,
                                "`" + shorten(name) + "` is not a valid template slot; the slots are `?principal` and"
                                        + " `?resource`");
                };
        if (!slotsAllowed) {
            throw error(
                    t,
                    "found template slot " + name + " in a `" + clause
                            + "` clause; slots may only appear in the scope");
        }
        return id;
    }

    /** A primary that starts with an identifier: literal, variable, entity uid or function call. */
    private Expr name() {
        Token t = peek();
        String word = text(t);
        switch (word) {
            case "true", "false" -> {
                advance();
                return new Expr.Lit(BoolValue.of(word.equals("true")), span(t));
            }
            case "if" -> throw error(t, "an `if` expression used as an operand must be parenthesized");
            default -> {}
        }
        if (Names.VARIABLES.contains(word) && peek(1).kind() != Kind.COLONCOLON) {
            advance();
            if (check(Kind.LPAREN)) {
                throw error(t, "`" + word + "(...)` is not a valid function call; variables cannot be called");
            }
            return new Expr.Var(VarName.valueOf(word.toUpperCase(java.util.Locale.ROOT)), span(t));
        }
        List<String> parts = namePath();
        if (check(Kind.COLONCOLON)) {
            advance();
            Token id = peek();
            if (id.kind() == Kind.STRING) {
                advance();
                EntityType type = EntityType.of(typeName(parts, t));
                return new Expr.Lit(new EntityUid(type, string(id)), span(t));
            }
            if (id.kind() == Kind.LBRACE) {
                throw error(id, "invalid entity literal; entity literals look like `Namespace::User::\"alice\"`");
            }
            throw expected("an identifier or string literal after `::`");
        }
        String full = String.join("::", parts);
        if (check(Kind.LPAREN)) {
            for (String p : parts) {
                if (p.equals(Names.CEDAR_NAMESPACE)) {
                    throw error(t, "the name `" + shorten(full) + "` contains `__cedar`, which is reserved");
                }
            }
            if (!Names.EXTENSION_FUNCTIONS.contains(full)) {
                if (Names.EXTENSION_METHODS.contains(full) || Names.BUILTIN_METHODS.contains(full)) {
                    throw error(t, "`" + full + "` is a method, not a function; call it as `e." + full + "(..)`");
                }
                throw error(t, "`" + shorten(full) + "` is not a valid function");
            }
            List<Expr> args = args(Kind.LPAREN, Kind.RPAREN);
            return new Expr.Call(full, args, false, span(t));
        }
        if (parts.size() == 1) {
            checkNotReserved(t);
            throw error(
                    t,
                    "invalid variable `" + shorten(word) + "`; the variables are `principal`, `action`, `resource`"
                            + " and `context` (to write a string, enclose it in quotes)");
        }
        throw error(
                t, "unexpected name `" + shorten(full) + "`; an entity uid looks like `" + shorten(full) + "::\"id\"`");
    }

    /** {@code IDENT {'::' IDENT}}; stops before a {@code ::} that is not followed by an identifier. */
    final List<String> namePath() {
        List<String> parts = new ArrayList<>(2);
        parts.add(text(advance()));
        while (check(Kind.COLONCOLON) && peek(1).kind() == Kind.IDENT) {
            advance();
            parts.add(text(advance()));
        }
        return parts;
    }

    /** Joins a type name, rejecting reserved parts as Cedar does. */
    final String typeName(List<String> parts, Token at) {
        for (String p : parts) {
            if (Names.isReserved(p)) {
                throw error(at, "this identifier is reserved and cannot be used: `" + p + "`");
            }
            if (p.equals(Names.CEDAR_NAMESPACE)) {
                throw error(
                        at,
                        "the name `" + shorten(String.join("::", parts)) + "` contains `__cedar`, which is reserved");
            }
        }
        return String.join("::", parts);
    }

    private Expr record() {
        Token open = expect(Kind.LBRACE);
        Map<String, Expr> fields = new LinkedHashMap<>();
        while (!check(Kind.RBRACE)) {
            Token k = peek();
            String key;
            if (k.kind() == Kind.STRING) {
                key = string(advance());
            } else if (k.kind() == Kind.IDENT) {
                if (peek(1).kind() == Kind.COLONCOLON) {
                    throw error(k, "a record key cannot contain a namespace (`::`)");
                }
                key = attrIdent(advance());
            } else {
                throw expected("a record key (identifier or string literal)");
            }
            expect(Kind.COLON);
            Expr value = expr();
            if (fields.putIfAbsent(key, value) != null) {
                throw error(k, "duplicate key `" + shorten(key) + "` in record literal");
            }
            if (!check(Kind.COMMA)) {
                break;
            }
            advance();
        }
        expect(Kind.RBRACE);
        return new Expr.RecordLit(fields, span(open));
    }

    /** A comma-separated list of expressions between {@code open} and {@code close}; a trailing comma is allowed. */
    final List<Expr> args(Kind open, Kind close) {
        expect(open);
        List<Expr> out = new ArrayList<>();
        while (!check(close)) {
            out.add(expr());
            if (!check(Kind.COMMA)) {
                break;
            }
            advance();
        }
        expect(close);
        return out;
    }

    /** An identifier used as an attribute name: reserved words and {@code __cedar} are rejected. */
    final String attrIdent(Token t) {
        checkNotReserved(t);
        String s = text(t);
        if (s.equals(Names.CEDAR_NAMESPACE)) {
            throw error(t, "the name `__cedar` is reserved");
        }
        return s;
    }

    final void checkNotReserved(Token t) {
        String s = text(t);
        if (Names.isReserved(s)) {
            throw error(t, "this identifier is reserved and cannot be used: `" + s + "`");
        }
    }

    // ---- literals

    /** The value of an integer token; {@code negated} allows the magnitude 2^63. */
    final long integer(Token t, boolean negated) {
        int start = t.start();
        int end = t.end();
        while (start < end - 1 && src.charAt(start) == '0') {
            start++;
        }
        String digits = src.substring(start, end);
        if (digits.length() <= 19) {
            long v = Long.parseUnsignedLong(digits);
            if (v >= 0) {
                return negated ? -v : v;
            }
            if (negated && v == Long.MIN_VALUE) {
                return Long.MIN_VALUE;
            }
        }
        throw error(
                t,
                "integer literal `" + (negated ? "-" : "") + shorten(text(t)) + "` is out of range (a Long is between"
                        + " -9223372036854775808 and 9223372036854775807)");
    }

    final String string(Token t) {
        try {
            return Unescape.string(src.substring(t.start() + 1, t.end() - 1));
        } catch (Unescape.InvalidEscape e) {
            throw escapeError(t, e);
        }
    }

    private Pattern pattern(Token t) {
        try {
            return Unescape.pattern(src.substring(t.start() + 1, t.end() - 1));
        } catch (Unescape.InvalidEscape e) {
            throw escapeError(t, e);
        }
    }

    private ParseException escapeError(Token t, Unescape.InvalidEscape e) {
        int offset = t.start() + 1 + e.error.offset();
        int line = t.line();
        int lineStart = t.start() - (t.column() - 1);
        for (int i = t.start(); i < offset; i++) {
            if (src.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new ParseException(
                line, offset - lineStart + 1, "invalid escape `" + shorten(e.error.escape()) + "` in string literal");
    }
}
