package dev.portcullis.cedar.json;

import dev.portcullis.cedar.eval.EvaluationException;
import dev.portcullis.cedar.eval.Extensions;
import dev.portcullis.cedar.value.ExtensionException;
import dev.portcullis.cedar.value.Value;
import java.util.List;

/**
 * Calls of extension functions written in JSON data ({@code __extn}). Cedar evaluates such a call
 * like any extension call of a policy, so this goes through the evaluator's function table ({@link
 * Extensions}), whose constructors are the value classes' own parsers ({@code DecimalValue.parse},
 * {@code IpAddrValue.parse}, ...): JSON and policy literals cannot drift apart. Any extension
 * function may be called, as in Cedar ({@code isIpv4} of an address gives a boolean, {@code offset}
 * a datetime).
 */
final class ExtensionLiterals {
    private ExtensionLiterals() {}

    /** Whether {@code fn} names an extension function. */
    static boolean exists(String fn) {
        return Extensions.get(fn) != null;
    }

    /** The constructor that makes {@code type} from a string ({@code ipaddr} → {@code ip}). */
    static String constructorOf(String type) {
        return type.equals("ipaddr") ? "ip" : type;
    }

    /**
     * The schema type names of {@code fn}'s arguments ({@code String} or an extension type), for
     * schema-directed reading where an argument may itself be written as a bare string; {@code
     * null} for an unknown function.
     */
    static List<String> argumentTypes(String fn) {
        return switch (fn) {
            case "decimal", "ip", "datetime", "duration" -> List.of("String");
            case "lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual" -> List.of("decimal", "decimal");
            case "isIpv4", "isIpv6", "isLoopback", "isMulticast" -> List.of("ipaddr");
            case "isInRange" -> List.of("ipaddr", "ipaddr");
            case "offset" -> List.of("datetime", "duration");
            case "durationSince" -> List.of("datetime", "datetime");
            case "toDate", "toTime" -> List.of("datetime");
            case "toMilliseconds", "toSeconds", "toMinutes", "toHours", "toDays" -> List.of("duration");
            default -> null;
        };
    }

    /**
     * Calls {@code fn} on {@code args}.
     *
     * @throws ExtensionException when the function is unknown, the number of arguments is wrong,
     *     or the function fails on them
     */
    static Value call(String fn, List<Value> args) {
        Extensions.Function f = Extensions.get(fn);
        if (f == null) {
            throw new ExtensionException("unknown extension function `" + fn + "`");
        }
        if (args.size() != f.arity()) {
            throw new ExtensionException("`" + fn + "` takes " + f.arity() + " argument" + (f.arity() == 1 ? "" : "s")
                    + ", not " + args.size());
        }
        try {
            return f.impl().apply(args.get(0), args.size() > 1 ? args.get(1) : null);
        } catch (EvaluationException e) {
            throw new ExtensionException(e.getMessage());
        }
    }
}
