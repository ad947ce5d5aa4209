package dev.portcullis.cedar.parser;

import dev.portcullis.cedar.ast.ActionConstraint;
import dev.portcullis.cedar.ast.Condition;
import dev.portcullis.cedar.ast.Effect;
import dev.portcullis.cedar.ast.EntityRef;
import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.Loc;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.ast.ScopeConstraint;
import dev.portcullis.cedar.ast.SlotId;
import dev.portcullis.cedar.parser.Token.Kind;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy-level rules:
 *
 * <pre>
 * Policy     := {Annotation} ('permit' | 'forbid') '(' Principal ',' Action ',' Resource [','] ')' {Cond} ';'
 * Annotation := '@' IDENT ['(' STR ')']
 * Principal  := 'principal' ['is' Name] [('==' | 'in') Expr]     (Expr: an entity uid or ?principal)
 * Action     := 'action' [('==' | 'in') Expr]                    (Expr: an Action uid, or a set of them after in)
 * Cond       := ('when' | 'unless') '{' Expr '}'
 * </pre>
 */
final class PolicyParserImpl extends Parser {

    PolicyParserImpl(String src) {
        super(src);
    }

    List<Policy> policies() {
        List<Policy> out = new ArrayList<>();
        while (!check(Kind.EOF)) {
            out.add(policy("policy" + out.size()));
        }
        return out;
    }

    private Policy policy(String id) {
        Token first = peek();
        Map<String, String> annotations = new LinkedHashMap<>();
        while (check(Kind.AT)) {
            advance();
            Token key = peek();
            if (key.kind() != Kind.IDENT) {
                throw expected("an annotation name after `@`");
            }
            advance();
            String value = "";
            if (check(Kind.LPAREN)) {
                advance();
                if (!check(Kind.STRING)) {
                    throw expected("a string literal as the annotation value");
                }
                value = string(advance());
                expect(Kind.RPAREN);
            }
            if (annotations.putIfAbsent(text(key), value) != null) {
                throw error(key, "duplicate annotation: `@" + text(key) + "`");
            }
        }
        Token effectTok = peek();
        if (effectTok.kind() != Kind.IDENT) {
            throw expected("`permit` or `forbid`");
        }
        Effect effect =
                switch (text(effectTok)) {
                    case "permit" -> Effect.PERMIT;
                    case "forbid" -> Effect.FORBID;
                    default ->
                        throw error(
                                effectTok,
                                "invalid policy effect `" + shorten(text(effectTok))
                                        + "`; expected `permit` or `forbid`");
                };
        advance();
        expect(Kind.LPAREN);
        ScopeConstraint principal = scope("principal", SlotId.PRINCIPAL);
        scopeComma("action");
        ActionConstraint action = actionScope();
        scopeComma("resource");
        ScopeConstraint resource = scope("resource", SlotId.RESOURCE);
        if (check(Kind.COMMA)) {
            advance();
        }
        if (check(Kind.IDENT)) {
            throw error(peek(), "this policy has an extra element in the scope: `" + shorten(text(peek())) + "`");
        }
        expect(Kind.RPAREN);
        List<Condition> conditions = new ArrayList<>();
        // `permit`/`forbid` here most likely starts the next policy after a missing `;`
        while (check(Kind.IDENT) && !checkWord("permit") && !checkWord("forbid")) {
            conditions.add(condition());
        }
        expect(Kind.SEMI);
        return new Policy(id, effect, principal, action, resource, conditions, annotations, null, span(first));
    }

    private void scopeComma(String next) {
        if (check(Kind.RPAREN)) {
            throw error(peek(), "this policy is missing the `" + next + "` variable in the scope");
        }
        expect(Kind.COMMA);
    }

    /** The scope variable {@code name}; reports a wrong or misplaced variable clearly. */
    private Token scopeVariable(String name) {
        Token t = peek();
        if (t.kind() != Kind.IDENT) {
            if (t.kind() == Kind.RPAREN) {
                throw error(t, "this policy is missing the `" + name + "` variable in the scope");
            }
            throw expected("`" + name + "`");
        }
        String word = text(t);
        if (!word.equals(name)) {
            if (word.equals("principal") || word.equals("action") || word.equals("resource")) {
                throw error(t, "found the variable `" + word + "` where the variable `" + name + "` must be used");
            }
            throw error(t, "found an invalid variable in the policy scope: `" + shorten(word) + "`");
        }
        advance();
        if (check(Kind.COLON)) {
            throw error(peek(), "type constraints using `:` are not supported; use `is` instead");
        }
        return t;
    }

    private ScopeConstraint scope(String name, SlotId slot) {
        scopeVariable(name);
        EntityType type = null;
        if (checkWord("is")) {
            advance();
            Token t = peek();
            if (t.kind() != Kind.IDENT) {
                throw error(
                        t, "right hand side of an `is` expression must be an entity type name, found " + describe(t));
            }
            List<String> parts = namePath();
            if (check(Kind.COLONCOLON)) {
                throw error(t, "right hand side of an `is` expression must be an entity type name, not an entity uid");
            }
            type = EntityType.of(typeName(parts, t));
        }
        Token op = peek();
        if (op.kind() == Kind.EQEQ) {
            if (type != null) {
                throw error(op, "`is` cannot be used together with `==`; use `is ... in ...`");
            }
            advance();
            return new ScopeConstraint.Eq(scopeRef(slot));
        }
        if (isWord(op, "in")) {
            advance();
            EntityRef ref = scopeRef(slot);
            return type == null ? new ScopeConstraint.In(ref) : new ScopeConstraint.IsIn(type, ref);
        }
        rejectOtherOperator(op, "policy scope clauses can only use `==`, `in`, `is`, or `is ... in`");
        return type == null ? ScopeConstraint.ANY : new ScopeConstraint.Is(type);
    }

    private void rejectOtherOperator(Token op, String help) {
        switch (op.kind()) {
            case NEQ, LT, LE, GT, GE, EQ ->
                throw error(op, "invalid operator in the policy scope: `" + op.kind().symbol + "`; " + help);
            default -> {}
        }
        if (isWord(op, "has") || isWord(op, "like")) {
            throw error(op, "invalid operator in the policy scope: `" + text(op) + "`; " + help);
        }
    }

    private EntityRef scopeRef(SlotId slot) {
        Expr e = expr();
        return switch (e) {
            case Expr.Lit lit when lit.value() instanceof EntityUid uid -> EntityRef.of(uid);
            case Expr.Slot s -> {
                if (s.slot() != slot) {
                    throw error(
                            e.loc(),
                            "expected an entity uid or matching template slot, found "
                                    + s.slot().text() + " instead of " + slot.text());
                }
                yield EntityRef.of(slot);
            }
            case Expr.SetLit set ->
                throw error(e.loc(), "expected a single entity uid or template slot, found a set of entity uids");
            default -> throw error(e.loc(), "expected an entity uid or template slot, found `" + source(e.loc()) + "`");
        };
    }

    private ActionConstraint actionScope() {
        scopeVariable("action");
        Token op = peek();
        if (isWord(op, "is")) {
            throw error(op, "`is` cannot appear in the action scope; move `action is ...` into a `when` condition");
        }
        if (op.kind() == Kind.EQEQ) {
            advance();
            Expr e = expr();
            return switch (e) {
                case Expr.Lit lit
                when lit.value() instanceof EntityUid uid -> new ActionConstraint.Eq(action(uid, e.loc()));
                case Expr.SetLit set ->
                    throw error(
                            e.loc(), "expected a single entity uid, found a set of entity uids; use `action in [...]`");
                case Expr.Slot slot -> throw error(e.loc(), "expected a single entity uid, found a template slot");
                default -> throw error(e.loc(), "expected an entity uid, found `" + source(e.loc()) + "`");
            };
        }
        if (isWord(op, "in")) {
            advance();
            Expr e = expr();
            return switch (e) {
                case Expr.Lit lit
                when lit.value() instanceof EntityUid uid ->
                    new ActionConstraint.In(List.of(action(uid, e.loc())), false);
                case Expr.SetLit set -> {
                    List<EntityUid> uids = new ArrayList<>();
                    for (Expr elem : set.elements()) {
                        if (!(elem instanceof Expr.Lit lit && lit.value() instanceof EntityUid uid)) {
                            throw error(elem.loc(), "expected an entity uid, found `" + source(elem.loc()) + "`");
                        }
                        uids.add(action(uid, elem.loc()));
                    }
                    yield new ActionConstraint.In(uids, true);
                }
                case Expr.Slot slot ->
                    throw error(e.loc(), "expected a single entity uid or set of entity uids, found a template slot");
                default ->
                    throw error(
                            e.loc(), "expected an entity uid or set of entity uids, found `" + source(e.loc()) + "`");
            };
        }
        rejectOtherOperator(op, "action scope clauses can only use `==` or `in`");
        return ActionConstraint.ANY;
    }

    private EntityUid action(EntityUid uid, Loc loc) {
        if (!uid.type().isAction()) {
            throw error(loc, "expected an entity uid with type `Action` but got `" + shorten(uid.toString()) + "`");
        }
        return uid;
    }

    private Condition condition() {
        Token kw = advance();
        String word = text(kw);
        boolean when;
        switch (word) {
            case "when" -> when = true;
            case "unless" -> when = false;
            default -> throw error(kw, "invalid policy condition `" + shorten(word) + "`; expected `when` or `unless`");
        }
        expect(Kind.LBRACE);
        if (check(Kind.RBRACE)) {
            throw error(peek(), "`" + word + "` condition clause cannot be empty");
        }
        slotsAllowed = false;
        clause = word;
        Expr body = expr();
        slotsAllowed = true;
        expect(Kind.RBRACE);
        Depth.check(body);
        return new Condition(when, body, span(kw));
    }

    private String source(Loc loc) {
        return shorten(src.substring(loc.start(), loc.end()));
    }
}
