package dev.portcullis.cedar.validation;

import static dev.portcullis.cedar.validation.ValidationError.Kind.EXTENSION_ERROR;
import static dev.portcullis.cedar.validation.ValidationError.Kind.NON_LITERAL_EXTENSION_CONSTRUCTOR;
import static dev.portcullis.cedar.validation.ValidationError.Kind.UNKNOWN_FUNCTION;

import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.validation.CedarType.ExtT;
import dev.portcullis.cedar.value.DatetimeValue;
import dev.portcullis.cedar.value.DecimalValue;
import dev.portcullis.cedar.value.DurationValue;
import dev.portcullis.cedar.value.IpAddrValue;
import dev.portcullis.cedar.value.StringValue;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The signatures of Cedar's extension functions. Constructors ({@code decimal}, {@code ip},
 * {@code datetime}, {@code duration}) must be applied to a string literal, which is parsed here so
 * that a malformed literal is rejected before the policy goes live.
 */
final class ExtensionTypes {
    private ExtensionTypes() {}

    static final ExtT DECIMAL = new ExtT("decimal");
    static final ExtT IPADDR = new ExtT("ipaddr");
    static final ExtT DATETIME = new ExtT("datetime");
    static final ExtT DURATION = new ExtT("duration");

    private record Signature(List<CedarType> params, CedarType result) {}

    private record Constructor(ExtT result, Consumer<String> parser) {}

    private static final Map<String, Constructor> CONSTRUCTORS = Map.of(
            "decimal", new Constructor(DECIMAL, DecimalValue::parse),
            "ip", new Constructor(IPADDR, IpAddrValue::parse),
            "datetime", new Constructor(DATETIME, DatetimeValue::parse),
            "duration", new Constructor(DURATION, DurationValue::parse));

    private static final Map<String, Signature> METHODS = Map.ofEntries(
            Map.entry("lessThan", new Signature(List.of(DECIMAL, DECIMAL), CedarType.BOOL)),
            Map.entry("lessThanOrEqual", new Signature(List.of(DECIMAL, DECIMAL), CedarType.BOOL)),
            Map.entry("greaterThan", new Signature(List.of(DECIMAL, DECIMAL), CedarType.BOOL)),
            Map.entry("greaterThanOrEqual", new Signature(List.of(DECIMAL, DECIMAL), CedarType.BOOL)),
            Map.entry("isIpv4", new Signature(List.of(IPADDR), CedarType.BOOL)),
            Map.entry("isIpv6", new Signature(List.of(IPADDR), CedarType.BOOL)),
            Map.entry("isLoopback", new Signature(List.of(IPADDR), CedarType.BOOL)),
            Map.entry("isMulticast", new Signature(List.of(IPADDR), CedarType.BOOL)),
            Map.entry("isInRange", new Signature(List.of(IPADDR, IPADDR), CedarType.BOOL)),
            Map.entry("offset", new Signature(List.of(DATETIME, DURATION), DATETIME)),
            Map.entry("durationSince", new Signature(List.of(DATETIME, DATETIME), DURATION)),
            Map.entry("toDate", new Signature(List.of(DATETIME), DATETIME)),
            Map.entry("toTime", new Signature(List.of(DATETIME), DURATION)),
            Map.entry("toMilliseconds", new Signature(List.of(DURATION), CedarType.LONG)),
            Map.entry("toSeconds", new Signature(List.of(DURATION), CedarType.LONG)),
            Map.entry("toMinutes", new Signature(List.of(DURATION), CedarType.LONG)),
            Map.entry("toHours", new Signature(List.of(DURATION), CedarType.LONG)),
            Map.entry("toDays", new Signature(List.of(DURATION), CedarType.LONG)));

    /** The result type of a call whose arguments have types {@code args}. */
    static CedarType typeOfCall(Expr.Call call, List<CedarType> args) {
        String fn = call.fn();
        Constructor ctor = CONSTRUCTORS.get(fn);
        if (ctor != null) {
            if (args.size() != 1) {
                throw new TypeError(
                        EXTENSION_ERROR, call.loc(), "`" + fn + "` takes one string argument, got " + args.size());
            }
            if (!(call.args().get(0) instanceof Expr.Lit lit && lit.value() instanceof StringValue s)) {
                throw new TypeError(
                        NON_LITERAL_EXTENSION_CONSTRUCTOR,
                        call.loc(),
                        "`" + fn + "` must be applied to a string literal so it can be checked now, but got `"
                                + Typechecker.text(call.args().get(0)) + "`");
            }
            try {
                ctor.parser().accept(s.value());
            } catch (RuntimeException e) {
                throw new TypeError(
                        EXTENSION_ERROR,
                        call.loc(),
                        "`" + Typechecker.text(call) + "` is not a valid " + ctor.result() + " literal"
                                + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
            return ctor.result();
        }
        Signature sig = METHODS.get(fn);
        if (sig == null) {
            throw new TypeError(UNKNOWN_FUNCTION, call.loc(), "unknown extension function `" + fn + "`");
        }
        if (!args.equals(sig.params())) {
            String want = sig.params().stream().map(Object::toString).collect(Collectors.joining(", "));
            String got = args.stream().map(Object::toString).collect(Collectors.joining(", "));
            throw new TypeError(
                    EXTENSION_ERROR,
                    call.loc(),
                    "`" + fn + "` takes (" + want + ") but `" + Typechecker.text(call) + "` passes (" + got + ")");
        }
        return sig.result();
    }
}
