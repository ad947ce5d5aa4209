package dev.portcullis.cedar.testing;

import dev.portcullis.cedar.ast.BinaryOp;
import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.Loc;
import dev.portcullis.cedar.ast.Pattern;
import dev.portcullis.cedar.ast.SlotId;
import dev.portcullis.cedar.ast.UnaryOp;
import dev.portcullis.cedar.ast.VarName;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.StringValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random well-formed expression trees covering every node kind, with the awkward corners the
 * formatter must get right: negative and extreme literals, negations of literals, long unary
 * chains, attribute names that are not identifiers, patterns with literal stars, and operands of
 * every precedence in every position.
 */
public final class RandomExprs {
    private final Random rnd;
    private final boolean slots;

    public RandomExprs(long seed, boolean slots) {
        this.rnd = new Random(seed);
        this.slots = slots;
    }

    private static final Loc N = Loc.NONE;
    private static final String[] ATTRS = {
        "a", "b_1", "principal", "if", "in", "", "a b", "__cedar", "é", "\"q\"", "x\\y"
    };
    private static final String[] TYPES = {"User", "A::B", "principal", "permit::when", "Action", "NS::Action"};
    private static final String[] STRINGS = {
        "", "abc", "a\"b", "back\\slash", "tab\tnew\nline", "nul\0", "é😀", "*", "\u007f"
    };
    private static final long[] LONGS = {0, 1, -1, 7, -42, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
    private static final String[] FUNCTIONS = {"ip", "decimal", "datetime", "duration"};
    private static final String[] METHODS = {"lessThan", "isIpv4", "isInRange", "offset", "toDays"};

    public Expr expr(int depth) {
        if (depth <= 0) {
            return leaf();
        }
        int d = depth - 1;
        return switch (rnd.nextInt(17)) {
            case 0 -> leaf();
            case 1 -> new Expr.If(expr(d), expr(d), expr(d), N);
            case 2 -> new Expr.And(expr(d), expr(d), N);
            case 3 -> new Expr.Or(expr(d), expr(d), N);
            case 4 -> {
                // chains of up to six identical unary operators, the parser allows four in a row
                Expr e = expr(d);
                UnaryOp op = UnaryOp.values()[rnd.nextInt(3)];
                int n = 1 + rnd.nextInt(op == UnaryOp.IS_EMPTY ? 1 : 6);
                for (int i = 0; i < n; i++) {
                    e = new Expr.Unary(op, e, N);
                }
                yield e;
            }
            case 5, 6 -> new Expr.Binary(BinaryOp.values()[rnd.nextInt(BinaryOp.values().length)], expr(d), expr(d), N);
            case 7 -> {
                List<Expr> args = list(d);
                yield new Expr.Call(FUNCTIONS[rnd.nextInt(FUNCTIONS.length)], args, false, N);
            }
            case 8 -> {
                List<Expr> args = list(d);
                args.add(0, expr(d));
                yield new Expr.Call(METHODS[rnd.nextInt(METHODS.length)], args, true, N);
            }
            case 9 -> new Expr.GetAttr(expr(d), pick(ATTRS), N);
            case 10 -> new Expr.HasAttr(expr(d), pick(ATTRS), N);
            case 11 -> new Expr.Like(expr(d), pattern(), N);
            case 12 -> new Expr.Is(expr(d), new dev.portcullis.cedar.value.EntityType(pick(TYPES)), N);
            case 13 -> new Expr.SetLit(list(d), N);
            case 14 -> {
                Map<String, Expr> fields = new LinkedHashMap<>();
                int n = rnd.nextInt(3);
                for (int i = 0; i < n; i++) {
                    fields.put(pick(ATTRS), expr(d));
                }
                yield new Expr.RecordLit(fields, N);
            }
            case 15 -> new Expr.Unary(UnaryOp.NEG, new Expr.Lit(LongValue.of(LONGS[rnd.nextInt(LONGS.length)]), N), N);
            default -> new Expr.Binary(BinaryOp.SUB, expr(d), new Expr.Lit(LongValue.of(-rnd.nextInt(5)), N), N);
        };
    }

    private List<Expr> list(int d) {
        List<Expr> out = new ArrayList<>();
        int n = rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            out.add(expr(d));
        }
        return out;
    }

    private Expr leaf() {
        return switch (rnd.nextInt(slots ? 7 : 6)) {
            case 0 -> new Expr.Lit(BoolValue.of(rnd.nextBoolean()), N);
            case 1 -> new Expr.Lit(LongValue.of(LONGS[rnd.nextInt(LONGS.length)]), N);
            case 2 -> new Expr.Lit(new StringValue(pick(STRINGS)), N);
            case 3 ->
                new Expr.Lit(new EntityUid(new dev.portcullis.cedar.value.EntityType(pick(TYPES)), pick(STRINGS)), N);
            case 4, 5 -> new Expr.Var(VarName.values()[rnd.nextInt(4)], N);
            default -> new Expr.Slot(rnd.nextBoolean() ? SlotId.PRINCIPAL : SlotId.RESOURCE, N);
        };
    }

    private Pattern pattern() {
        List<Pattern.Elem> elems = new ArrayList<>();
        int n = rnd.nextInt(6);
        int[] cps = {'a', '*', '\\', '"', '\n', 0, 0xe9, 0x1F600, ' '};
        for (int i = 0; i < n; i++) {
            elems.add(rnd.nextInt(3) == 0 ? Pattern.Elem.WILDCARD : Pattern.Elem.literal(cps[rnd.nextInt(cps.length)]));
        }
        return new Pattern(elems);
    }

    private String pick(String[] options) {
        return options[rnd.nextInt(options.length)];
    }
}
