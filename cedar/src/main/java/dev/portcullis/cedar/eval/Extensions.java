package dev.portcullis.cedar.eval;

import dev.portcullis.cedar.eval.EvaluationException.ErrorKind;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.DatetimeValue;
import dev.portcullis.cedar.value.DecimalValue;
import dev.portcullis.cedar.value.DurationValue;
import dev.portcullis.cedar.value.ExtensionException;
import dev.portcullis.cedar.value.IpAddrValue;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cedar's extension functions ({@code decimal}, {@code ipaddr}, {@code datetime}), one table from
 * name to implementation. The value types themselves parse and compute; this class checks argument
 * types and turns failures into {@link EvaluationException}s.
 */
public final class Extensions {
    /** One-argument functions ignore {@code b}. */
    @FunctionalInterface
    public interface Impl {
        Value apply(Value a, Value b);
    }

    /**
     * An extension function.
     *
     * @param method true when it is called as a method ({@code a.lessThan(b)}), false when called as
     *     a function ({@code decimal("1.0")})
     * @param arity the number of arguments, counting the receiver of a method
     */
    public record Function(String name, int arity, boolean method, Impl impl) {
        /**
         * {@code impl} applied to a string literal of a policy, memoized: policies hold literals
         * such as {@code decimal("100.00")} or {@code ip("10.0.0.0/8")} that would otherwise be
         * parsed at every evaluation. The cache only ever sees policy text, never request data,
         * and stops growing at a bound. Failures are not cached (they rethrow on each call).
         */
        public Value applyToLiteral(StringValue literal) {
            ConcurrentHashMap<String, Value> cache = LITERAL_CACHE.get(name);
            Value v = cache == null ? null : cache.get(literal.value());
            if (v != null) {
                return v;
            }
            v = impl.apply(literal, null);
            if (cache != null && cache.size() < LITERAL_CACHE_LIMIT) {
                cache.put(literal.value(), v);
            }
            return v;
        }
    }

    private static final int LITERAL_CACHE_LIMIT = 10_000;

    // Constructor name -> literal text -> value. Values are immutable, so sharing them is safe.
    private static final Map<String, ConcurrentHashMap<String, Value>> LITERAL_CACHE = Map.of(
            "decimal", new ConcurrentHashMap<>(),
            "ip", new ConcurrentHashMap<>(),
            "datetime", new ConcurrentHashMap<>(),
            "duration", new ConcurrentHashMap<>());

    private static final List<Function> ALL = List.of(
            // decimal
            fn("decimal", 1, false, (a, b) -> parse("decimal", a, DecimalValue::parse)),
            fn("lessThan", 2, true, (a, b) -> bool(decimal(a).lessThan(decimal(b)))),
            fn("lessThanOrEqual", 2, true, (a, b) -> bool(decimal(a).lessThanOrEqual(decimal(b)))),
            fn("greaterThan", 2, true, (a, b) -> bool(decimal(a).greaterThan(decimal(b)))),
            fn("greaterThanOrEqual", 2, true, (a, b) -> bool(decimal(a).greaterThanOrEqual(decimal(b)))),
            // ipaddr
            fn("ip", 1, false, (a, b) -> parse("ip", a, IpAddrValue::parse)),
            fn("isIpv4", 1, true, (a, b) -> bool(ip(a).isIpv4())),
            fn("isIpv6", 1, true, (a, b) -> bool(ip(a).isIpv6())),
            fn("isLoopback", 1, true, (a, b) -> bool(ip(a).isLoopback())),
            fn("isMulticast", 1, true, (a, b) -> bool(ip(a).isMulticast())),
            fn("isInRange", 2, true, (a, b) -> bool(ip(a).isInRange(ip(b)))),
            // datetime and duration
            fn("datetime", 1, false, (a, b) -> parse("datetime", a, DatetimeValue::parse)),
            fn("duration", 1, false, (a, b) -> parse("duration", a, DurationValue::parse)),
            fn("offset", 2, true, (a, b) -> compute("offset", () -> datetime(a).offset(duration(b)))),
            fn(
                    "durationSince",
                    2,
                    true,
                    (a, b) -> compute("durationSince", () -> datetime(a).durationSince(datetime(b)))),
            fn("toDate", 1, true, (a, b) -> compute("toDate", () -> datetime(a).toDate())),
            fn("toTime", 1, true, (a, b) -> datetime(a).toTime()),
            fn("toMilliseconds", 1, true, (a, b) -> LongValue.of(duration(a).toMilliseconds())),
            fn("toSeconds", 1, true, (a, b) -> LongValue.of(duration(a).toSeconds())),
            fn("toMinutes", 1, true, (a, b) -> LongValue.of(duration(a).toMinutes())),
            fn("toHours", 1, true, (a, b) -> LongValue.of(duration(a).toHours())),
            fn("toDays", 1, true, (a, b) -> LongValue.of(duration(a).toDays())));

    private static final Map<String, Function> TABLE = new HashMap<>();

    static {
        for (Function f : ALL) {
            TABLE.put(f.name(), f);
        }
    }

    private Extensions() {}

    /** The function with this name, or {@code null}. */
    public static Function get(String name) {
        return TABLE.get(name);
    }

    /** Every extension function, in registration order. */
    public static List<Function> all() {
        return ALL;
    }

    private static Function fn(String name, int arity, boolean method, Impl impl) {
        return new Function(name, arity, method, impl);
    }

    private static BoolValue bool(boolean b) {
        return BoolValue.of(b);
    }

    private interface Parser {
        Value parse(String s);
    }

    private interface Computation {
        Value run();
    }

    private static Value parse(String fn, Value arg, Parser parser) {
        if (!(arg instanceof StringValue s)) {
            throw Evaluator.typeError("`" + fn + "` expects a String, got " + Evaluator.describe(arg));
        }
        try {
            return parser.parse(s.value());
        } catch (ExtensionException e) {
            throw new EvaluationException(ErrorKind.EXTENSION_ERROR, "error in `" + fn + "`: " + e.getMessage());
        }
    }

    private static Value compute(String fn, Computation c) {
        try {
            return c.run();
        } catch (ExtensionException e) {
            throw new EvaluationException(ErrorKind.EXTENSION_ERROR, "error in `" + fn + "`: " + e.getMessage());
        }
    }

    private static DecimalValue decimal(Value v) {
        if (v instanceof DecimalValue d) {
            return d;
        }
        throw extTypeError("decimal", v);
    }

    private static IpAddrValue ip(Value v) {
        if (v instanceof IpAddrValue d) {
            return d;
        }
        throw extTypeError("ipaddr", v);
    }

    private static DatetimeValue datetime(Value v) {
        if (v instanceof DatetimeValue d) {
            return d;
        }
        throw extTypeError("datetime", v);
    }

    private static DurationValue duration(Value v) {
        if (v instanceof DurationValue d) {
            return d;
        }
        throw extTypeError("duration", v);
    }

    private static EvaluationException extTypeError(String type, Value v) {
        String advice = v instanceof StringValue
                ? " (maybe you forgot to apply the `" + (type.equals("ipaddr") ? "ip" : type) + "` constructor?)"
                : "";
        return Evaluator.typeError("expected " + type + ", got " + Evaluator.describe(v) + advice);
    }
}
