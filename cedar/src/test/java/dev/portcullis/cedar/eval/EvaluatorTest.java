package dev.portcullis.cedar.eval;

import static dev.portcullis.cedar.ast.BinaryOp.ADD;
import static dev.portcullis.cedar.ast.BinaryOp.CONTAINS;
import static dev.portcullis.cedar.ast.BinaryOp.CONTAINS_ALL;
import static dev.portcullis.cedar.ast.BinaryOp.CONTAINS_ANY;
import static dev.portcullis.cedar.ast.BinaryOp.EQ;
import static dev.portcullis.cedar.ast.BinaryOp.GE;
import static dev.portcullis.cedar.ast.BinaryOp.GET_TAG;
import static dev.portcullis.cedar.ast.BinaryOp.GT;
import static dev.portcullis.cedar.ast.BinaryOp.HAS_TAG;
import static dev.portcullis.cedar.ast.BinaryOp.IN;
import static dev.portcullis.cedar.ast.BinaryOp.LE;
import static dev.portcullis.cedar.ast.BinaryOp.LT;
import static dev.portcullis.cedar.ast.BinaryOp.MUL;
import static dev.portcullis.cedar.ast.BinaryOp.NEQ;
import static dev.portcullis.cedar.ast.BinaryOp.SUB;
import static dev.portcullis.cedar.eval.Ast.and;
import static dev.portcullis.cedar.eval.Ast.bin;
import static dev.portcullis.cedar.eval.Ast.call;
import static dev.portcullis.cedar.eval.Ast.context;
import static dev.portcullis.cedar.eval.Ast.get;
import static dev.portcullis.cedar.eval.Ast.has;
import static dev.portcullis.cedar.eval.Ast.is;
import static dev.portcullis.cedar.eval.Ast.isEmpty;
import static dev.portcullis.cedar.eval.Ast.ite;
import static dev.portcullis.cedar.eval.Ast.like;
import static dev.portcullis.cedar.eval.Ast.lit;
import static dev.portcullis.cedar.eval.Ast.method;
import static dev.portcullis.cedar.eval.Ast.neg;
import static dev.portcullis.cedar.eval.Ast.not;
import static dev.portcullis.cedar.eval.Ast.or;
import static dev.portcullis.cedar.eval.Ast.principal;
import static dev.portcullis.cedar.eval.Ast.rec;
import static dev.portcullis.cedar.eval.Ast.set;
import static dev.portcullis.cedar.eval.Ast.str;
import static dev.portcullis.cedar.eval.Ast.uid;
import static dev.portcullis.cedar.eval.Ast.var;
import static dev.portcullis.cedar.eval.EvaluationException.ErrorKind.ATTRIBUTE_DOES_NOT_EXIST;
import static dev.portcullis.cedar.eval.EvaluationException.ErrorKind.ENTITY_DOES_NOT_EXIST;
import static dev.portcullis.cedar.eval.EvaluationException.ErrorKind.EXTENSION_ERROR;
import static dev.portcullis.cedar.eval.EvaluationException.ErrorKind.INTEGER_OVERFLOW;
import static dev.portcullis.cedar.eval.EvaluationException.ErrorKind.TAG_DOES_NOT_EXIST;
import static dev.portcullis.cedar.eval.EvaluationException.ErrorKind.TYPE_ERROR;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.VarName;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.eval.EvaluationException.ErrorKind;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The evaluator's semantics as a table: each Bool-valued expression with the expected result or
 * error kind; every row is also checked against the official engine (cedar-java).
 */
class EvaluatorTest {
    static final EntityUid ALICE = EntityUid.of("User", "alice");
    static final EntityUid ADMINS = EntityUid.of("Group", "admins");
    static final EntityUid ALL = EntityUid.of("Group", "all");

    /** The same store as {@link Oracle#ENTITIES_JSON}. */
    static final Entities ENTITIES = Entities.of(List.of(
            new Entity(
                    ALICE,
                    Map.of(
                            "age", LongValue.of(30),
                            "name", new StringValue("alice"),
                            "rec", new RecordValue(Map.of("a", LongValue.of(1)))),
                    Set.of(ADMINS),
                    Map.of("t", new StringValue("v"))),
            new Entity(ADMINS, Map.of(), Set.of(ALL), Map.of()),
            new Entity(EntityUid.of("Action", "view")),
            new Entity(EntityUid.of("Photo", "p"))));

    static final Request REQUEST =
            new Request(ALICE, EntityUid.of("Action", "view"), EntityUid.of("Photo", "p"), RecordValue.EMPTY);

    private record Case(Expr expr, Object expected) {}

    private static final long MAX = Long.MAX_VALUE;

    private static Case ok(Expr e, boolean expected) {
        return new Case(e, expected);
    }

    private static Case err(Expr e, ErrorKind kind) {
        return new Case(e, kind);
    }

    private static Expr eq(Expr a, Expr b) {
        return bin(EQ, a, b);
    }

    private static Expr dec(String s) {
        return call("decimal", str(s));
    }

    private static Expr ip(String s) {
        return call("ip", str(s));
    }

    private static Expr dt(String s) {
        return call("datetime", str(s));
    }

    private static Expr dur(String s) {
        return call("duration", str(s));
    }

    private static final Expr BAD = get(rec(), "missing"); // always an error

    static final List<Case> CASES = List.of(
            // && and || short-circuit, and demand Bools on every side they evaluate
            ok(and(lit(false), BAD), false),
            ok(or(lit(true), BAD), true),
            err(and(lit(true), BAD), ATTRIBUTE_DOES_NOT_EXIST),
            err(and(lit(true), lit(1)), TYPE_ERROR),
            err(or(lit(false), lit(1)), TYPE_ERROR),
            err(and(lit(1), lit(false)), TYPE_ERROR),
            ok(and(lit(false), lit(1)), false),
            ok(or(lit(true), str("x")), true),
            // if
            ok(ite(lit(true), lit(true), BAD), true),
            ok(ite(lit(false), BAD, lit(false)), false),
            err(ite(lit(1), lit(true), lit(true)), TYPE_ERROR),
            // ! and unary -
            ok(not(lit(false)), true),
            err(not(lit(1)), TYPE_ERROR),
            ok(eq(neg(lit(5)), lit(-5)), true),
            err(neg(neg(bin(SUB, lit(-MAX), lit(1)))), INTEGER_OVERFLOW),
            err(eq(neg(str("a")), lit(1)), TYPE_ERROR),
            // == never fails
            ok(eq(lit(1), str("1")), false),
            ok(eq(uid("User", "alice"), principal()), true),
            ok(eq(set(lit(1), lit(2)), set(lit(2), lit(1), lit(1))), true),
            ok(eq(rec("a", lit(1), "b", lit(2)), rec("b", lit(2), "a", lit(1))), true),
            ok(eq(dec("1.0"), dec("1.0000")), true),
            ok(eq(dec("1.0"), lit(1)), false),
            ok(eq(ip("10.0.0.1/24"), ip("10.0.0.0/24")), false),
            ok(eq(dur("1d"), dur("24h")), true),
            ok(eq(dt("2024-01-01T01:00:00+0100"), dt("2024-01-01")), true),
            ok(bin(NEQ, lit(1), str("1")), true),
            ok(eq(uid("User", "nobody"), uid("User", "nobody")), true),
            // ordering: Long, datetime, duration only
            ok(bin(LT, lit(1), lit(2)), true),
            ok(bin(LE, lit(2), lit(2)), true),
            ok(bin(GT, lit(1), lit(2)), false),
            ok(bin(GE, lit(2), lit(3)), false),
            err(bin(LT, str("a"), str("b")), TYPE_ERROR),
            err(bin(LT, dec("1.0"), dec("2.0")), TYPE_ERROR),
            err(bin(LT, ip("1.1.1.1"), ip("1.1.1.2")), TYPE_ERROR),
            ok(bin(LT, dt("2024-01-01"), dt("2024-01-02")), true),
            ok(bin(GE, dur("1s"), dur("1000ms")), true),
            err(bin(LT, dt("2024-01-01"), dur("1s")), TYPE_ERROR),
            err(bin(LT, lit(1), dur("1s")), TYPE_ERROR),
            // arithmetic is checked
            ok(eq(bin(ADD, lit(2), lit(3)), lit(5)), true),
            ok(eq(bin(MUL, lit(-4), lit(3)), lit(-12)), true),
            err(bin(EQ, bin(ADD, lit(MAX), lit(1)), lit(0)), INTEGER_OVERFLOW),
            err(bin(EQ, bin(SUB, lit(-MAX), lit(2)), lit(0)), INTEGER_OVERFLOW),
            err(bin(EQ, bin(MUL, lit(MAX / 2 + 1), lit(2)), lit(0)), INTEGER_OVERFLOW),
            ok(eq(bin(SUB, lit(-MAX), lit(1)), bin(SUB, lit(-MAX), lit(1))), true),
            err(bin(EQ, bin(ADD, lit(1), str("a")), lit(0)), TYPE_ERROR),
            // in
            ok(bin(IN, principal(), uid("User", "alice")), true),
            ok(bin(IN, principal(), uid("Group", "all")), true),
            ok(bin(IN, principal(), uid("Group", "other")), false),
            ok(bin(IN, uid("User", "nobody"), uid("User", "nobody")), true),
            ok(bin(IN, uid("User", "nobody"), uid("Group", "all")), false),
            ok(bin(IN, principal(), set(uid("Group", "x"), uid("Group", "admins"))), true),
            ok(bin(IN, principal(), set()), false),
            err(bin(IN, principal(), set(uid("Group", "admins"), lit(1))), TYPE_ERROR),
            err(bin(IN, lit(1), set(lit(1))), TYPE_ERROR),
            err(bin(IN, principal(), str("Group::\"all\"")), TYPE_ERROR),
            // sets
            ok(bin(CONTAINS, set(lit(1), str("a")), str("a")), true),
            ok(bin(CONTAINS, set(dec("1.0")), dec("1.00")), true),
            err(bin(CONTAINS, str("abc"), str("a")), TYPE_ERROR),
            ok(bin(CONTAINS_ALL, set(lit(1), lit(2)), set(lit(1))), true),
            ok(bin(CONTAINS_ALL, set(lit(1)), set()), true),
            ok(bin(CONTAINS_ANY, set(lit(1)), set()), false),
            ok(bin(CONTAINS_ANY, set(lit(1), lit(2)), set(lit(3), lit(2))), true),
            err(bin(CONTAINS_ANY, set(lit(1)), lit(1)), TYPE_ERROR),
            ok(isEmpty(set()), true),
            ok(isEmpty(set(lit(1))), false),
            err(isEmpty(rec()), TYPE_ERROR),
            // attributes
            ok(eq(get(principal(), "age"), lit(30)), true),
            err(eq(get(principal(), "nope"), lit(30)), ATTRIBUTE_DOES_NOT_EXIST),
            err(eq(get(uid("User", "nobody"), "age"), lit(30)), ENTITY_DOES_NOT_EXIST),
            ok(eq(get(get(principal(), "rec"), "a"), lit(1)), true),
            err(eq(get(lit(1), "a"), lit(1)), TYPE_ERROR),
            ok(has(principal(), "age"), true),
            ok(has(principal(), "nope"), false),
            ok(has(uid("User", "nobody"), "age"), false),
            ok(has(rec("a", lit(1)), "a"), true),
            ok(has(context(), "a"), false),
            err(has(str("a"), "a"), TYPE_ERROR),
            err(has(rec("a", BAD), "b"), ATTRIBUTE_DOES_NOT_EXIST), // errors inside literals propagate
            err(eq(set(lit(1), BAD), set()), ATTRIBUTE_DOES_NOT_EXIST),
            // tags
            ok(eq(bin(GET_TAG, principal(), str("t")), str("v")), true),
            err(eq(bin(GET_TAG, principal(), str("u")), str("v")), TAG_DOES_NOT_EXIST),
            err(eq(bin(GET_TAG, uid("User", "nobody"), str("t")), str("v")), ENTITY_DOES_NOT_EXIST),
            ok(bin(HAS_TAG, principal(), str("t")), true),
            ok(bin(HAS_TAG, uid("User", "nobody"), str("t")), false),
            err(bin(HAS_TAG, principal(), lit(1)), TYPE_ERROR),
            err(bin(HAS_TAG, str("x"), str("t")), TYPE_ERROR),
            // like works on code points
            ok(like(str("a\uD83D\uDE00b"), "a*b"), true),
            ok(like(str("abc"), "a*c"), true),
            ok(like(str("abc"), "a*"), true),
            ok(like(str("abc"), "*"), true),
            ok(like(str(""), "*"), true),
            ok(like(str("abc"), "b*"), false),
            ok(like(str("aXbXc"), "*X*X*"), true),
            ok(like(str("aXbc"), "*X*X*"), false),
            ok(like(str("mississippi"), "*sip*i"), true),
            ok(like(str("abc"), ""), false),
            err(like(lit(1), "*"), TYPE_ERROR),
            // is
            ok(is(principal(), "User"), true),
            ok(is(principal(), "Group"), false),
            ok(is(uid("NS::User", "a"), "User"), false),
            err(is(lit(1), "User"), TYPE_ERROR),
            // variables
            ok(eq(var(VarName.ACTION), uid("Action", "view")), true),
            ok(eq(var(VarName.RESOURCE), uid("Photo", "p")), true),
            // extension calls
            ok(method(dec("1.5"), "lessThan", dec("2.0")), true),
            err(method(dec("1.5"), "lessThan", lit(2)), TYPE_ERROR),
            err(method(str("1.5"), "lessThan", dec("2.0")), TYPE_ERROR),
            err(eq(dec("1.23456"), dec("1.0")), EXTENSION_ERROR),
            err(eq(call("decimal", lit(1)), dec("1.0")), TYPE_ERROR),
            ok(method(ip("10.1.2.3"), "isInRange", ip("10.0.0.0/8")), true),
            ok(method(ip("127.0.0.1/7"), "isLoopback"), false),
            err(eq(ip("::ffff:1.2.3.4"), ip("::1")), EXTENSION_ERROR),
            ok(eq(method(dt("2024-01-01"), "offset", dur("1d")), dt("2024-01-02")), true),
            err(eq(method(dt("2024-01-01"), "offset", dt("2024-01-02")), dt("2024-01-02")), TYPE_ERROR),
            ok(eq(method(dur("-1d1h"), "toHours"), lit(-25)), true),
            ok(eq(method(dur("-1ms"), "toSeconds"), lit(0)), true),
            ok(eq(method(dur("9223372036854775807ms"), "toDays"), lit(106751991167L)), true),
            ok(eq(method(dt("1969-12-31T23:59:59.999Z"), "toTime"), dur("86399999ms")), true),
            err(eq(method(dur("1s"), "toDate"), dt("2024-01-01")), TYPE_ERROR));

    @Test
    void casesMatchExpectationsAndTheOfficialEngine() {
        Evaluator ev = new Evaluator(REQUEST, ENTITIES);
        List<String> problems = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<String> ours = new ArrayList<>();
        for (Case c : CASES) {
            String got;
            Object kind;
            try {
                Value v = ev.evaluate(c.expr());
                got = v instanceof BoolValue b ? Boolean.toString(b.value()) : "non-bool " + v;
                kind = v instanceof BoolValue b ? b.value() : v;
            } catch (EvaluationException e) {
                got = "error";
                kind = e.kind();
            }
            if (c.expected() != null && !c.expected().equals(kind)) {
                problems.add(Ast.render(c.expr()) + ": expected " + c.expected() + ", got " + kind);
            }
            texts.add(Ast.render(c.expr()));
            ours.add(got);
        }
        List<String> cedar = Oracle.evalAll(texts);
        for (int i = 0; i < texts.size(); i++) {
            if (!cedar.get(i).equals(ours.get(i))) {
                problems.add(texts.get(i) + ": ours " + ours.get(i) + ", cedar " + cedar.get(i));
            }
        }
        assertThat(problems).isEmpty();
    }
}
