package dev.portcullis.cedar.parser;

import java.util.Set;

/** Word lists of the Cedar grammar: reserved identifiers and the known functions and methods. */
public final class Names {
    private Names() {}

    /** Identifiers that may not name an attribute, a record key, a type part or a method. */
    static final Set<String> RESERVED = Set.of("true", "false", "if", "then", "else", "in", "is", "like", "has");

    /** A name part Cedar keeps for itself; it may not appear in names or attribute identifiers. */
    static final String CEDAR_NAMESPACE = "__cedar";

    static final Set<String> VARIABLES = Set.of("principal", "action", "resource", "context");

    /** Extension functions, called function-style: {@code ip("10.0.0.1")}. */
    static final Set<String> EXTENSION_FUNCTIONS = Set.of("decimal", "ip", "datetime", "duration");

    /** Extension methods, called method-style: {@code a.lessThan(b)}. */
    static final Set<String> EXTENSION_METHODS = Set.of(
            "lessThan",
            "lessThanOrEqual",
            "greaterThan",
            "greaterThanOrEqual",
            "isIpv4",
            "isIpv6",
            "isLoopback",
            "isMulticast",
            "isInRange",
            "offset",
            "durationSince",
            "toDate",
            "toTime",
            "toMilliseconds",
            "toSeconds",
            "toMinutes",
            "toHours",
            "toDays");

    /** Built-in methods, represented as operators in the AST. */
    static final Set<String> BUILTIN_METHODS =
            Set.of("contains", "containsAll", "containsAny", "isEmpty", "getTag", "hasTag");

    static boolean isReserved(String word) {
        return RESERVED.contains(word);
    }

    /** True for the extension functions called function-style, e.g. {@code ip}. */
    public static boolean isExtensionFunction(String name) {
        return EXTENSION_FUNCTIONS.contains(name);
    }

    /** True for the extension methods called method-style, e.g. {@code lessThan}. */
    public static boolean isExtensionMethod(String name) {
        return EXTENSION_METHODS.contains(name);
    }
}
