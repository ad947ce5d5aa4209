package dev.portcullis.cedar.json;

import dev.portcullis.cedar.value.DatetimeValue;
import dev.portcullis.cedar.value.DecimalValue;
import dev.portcullis.cedar.value.DurationValue;
import dev.portcullis.cedar.value.ExtValue;
import dev.portcullis.cedar.value.ExtensionException;
import dev.portcullis.cedar.value.IpAddrValue;
import java.util.List;

/**
 * The extension functions that may appear in JSON data ({@code __extn}): the four constructors,
 * which take a string, and the datetime functions whose result is again an extension value
 * ({@code offset}, {@code durationSince}, {@code toDate}, {@code toTime}), which take values. The
 * value classes do the parsing and arithmetic.
 */
final class ExtensionLiterals {
    private ExtensionLiterals() {}

    /** The schema type name each JSON-callable function returns, or {@code null} for an unknown one. */
    static String resultType(String fn) {
        return switch (fn) {
            case "ip" -> "ipaddr";
            case "decimal" -> "decimal";
            case "datetime", "offset", "toDate" -> "datetime";
            case "duration", "durationSince", "toTime" -> "duration";
            default -> null;
        };
    }

    /** The constructor that makes {@code type} from a string ({@code ipaddr} → {@code ip}). */
    static String constructorOf(String type) {
        return type.equals("ipaddr") ? "ip" : type;
    }

    /**
     * Calls {@code fn} on {@code args} (a {@link String} for a constructor's argument, values
     * otherwise).
     *
     * @throws ExtensionException when the arguments are wrong or the function rejects them
     */
    static ExtValue call(String fn, List<Object> args) {
        return switch (fn) {
            case "ip" -> IpAddrValue.parse(string(fn, args));
            case "decimal" -> DecimalValue.parse(string(fn, args));
            case "datetime" -> DatetimeValue.parse(string(fn, args));
            case "duration" -> DurationValue.parse(string(fn, args));
            case "offset" -> arg(fn, args, 0, 2, DatetimeValue.class).offset(arg(fn, args, 1, 2, DurationValue.class));
            case "durationSince" ->
                arg(fn, args, 0, 2, DatetimeValue.class).durationSince(arg(fn, args, 1, 2, DatetimeValue.class));
            case "toDate" -> arg(fn, args, 0, 1, DatetimeValue.class).toDate();
            case "toTime" -> arg(fn, args, 0, 1, DatetimeValue.class).toTime();
            default -> throw new ExtensionException("unknown extension function `" + fn + "`");
        };
    }

    private static String string(String fn, List<Object> args) {
        if (args.size() != 1 || !(args.get(0) instanceof String s)) {
            throw new ExtensionException("`" + fn + "` takes one string argument");
        }
        return s;
    }

    private static <T> T arg(String fn, List<Object> args, int i, int arity, Class<T> type) {
        if (args.size() != arity) {
            throw new ExtensionException(
                    "`" + fn + "` takes " + arity + " argument" + (arity == 1 ? "" : "s") + ", not " + args.size());
        }
        Object a = args.get(i);
        if (!type.isInstance(a)) {
            String found =
                    a instanceof String s ? "the string " + dev.portcullis.cedar.value.Strings.quote(s) : a.toString();
            throw new ExtensionException("argument " + (i + 1) + " of `" + fn + "` must be a `"
                    + type.getSimpleName().replace("Value", "").toLowerCase(java.util.Locale.ROOT) + "`, not " + found);
        }
        return type.cast(a);
    }
}
