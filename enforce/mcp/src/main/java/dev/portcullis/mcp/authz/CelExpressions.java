package dev.portcullis.mcp.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.primitives.UnsignedLong;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelOptionalLibrary;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * COAZ expressions: CEL (Google's cel-java) over the variables {@code params} and {@code token}
 * (both {@code map(string, dyn)}), with optional selection ({@code .?}). Each expression is
 * compiled once and cached; a template is resolved with the COAZ rules: a string starting with
 * {@code $} is an expression, {@code $$} escapes a literal {@code $}, anything else is a literal.
 *
 * <p>Thread-safe.
 */
final class CelExpressions {
    /** Expressions kept compiled; beyond this the cache starts over (a server changing its tools). */
    private static final int MAX_CACHED = 10_000;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final CelCompiler compiler;
    private final CelRuntime runtime;
    private final Map<String, Compiled> cache = new ConcurrentHashMap<>();

    /** A compiled expression, or why it does not compile. */
    private record Compiled(CelRuntime.Program program, String error) {}

    CelExpressions() {
        CelOptions options = CelOptions.current().enableOptionalSyntax(true).build();
        MapType dynMap = MapType.create(SimpleType.STRING, SimpleType.DYN);
        this.compiler = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addLibraries(CelOptionalLibrary.INSTANCE)
                .addVar("params", dynMap)
                .addVar("token", dynMap)
                .setResultType(SimpleType.DYN)
                .build();
        this.runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
                .setOptions(options)
                .addLibraries(CelOptionalLibrary.INSTANCE)
                .build();
    }

    /** How many expressions are compiled and cached. */
    int cached() {
        return cache.size();
    }

    /** Compiles {@code expr} (without the leading {@code $}) unless cached; returns the error or null. */
    String compile(String expr) {
        return compiled(expr).error;
    }

    private Compiled compiled(String expr) {
        Compiled c = cache.get(expr);
        if (c != null) {
            return c;
        }
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        return cache.computeIfAbsent(expr, this::doCompile);
    }

    private Compiled doCompile(String expr) {
        try {
            CelValidationResult r = compiler.compile(expr);
            if (r.hasError()) {
                return new Compiled(null, oneLine(r.getErrorString()));
            }
            CelAbstractSyntaxTree ast = r.getAst();
            return new Compiled(runtime.createProgram(ast), null);
        } catch (Exception e) {
            return new Compiled(null, oneLine(String.valueOf(e.getMessage())));
        }
    }

    /**
     * Evaluates {@code expr}: its JSON value, or {@link Optional#empty()} when an optional selection
     * found nothing (the field is then left out).
     */
    Optional<JsonNode> eval(String expr, Map<String, Object> vars) {
        Compiled c = compiled(expr);
        if (c.error != null) {
            throw new MappingException("expression '$" + expr + "' does not compile: " + c.error);
        }
        Object v;
        try {
            v = c.program.eval(vars);
        } catch (CelEvaluationException e) {
            throw new MappingException("expression '$" + expr + "' failed: " + oneLine(e.getMessage()));
        } catch (RuntimeException e) {
            throw new MappingException("expression '$" + expr + "' failed: " + oneLine(String.valueOf(e)));
        }
        return toJson(v, expr);
    }

    /**
     * Resolves a mapping template: expressions evaluated, literals kept, {@code $$} unescaped; a
     * member or element whose optional expression is empty is left out.
     */
    JsonNode resolve(JsonNode template, Map<String, Object> vars) {
        return resolveOpt(template, vars).orElse(JSON.nullNode());
    }

    private Optional<JsonNode> resolveOpt(JsonNode t, Map<String, Object> vars) {
        if (t.isTextual()) {
            String s = t.asText();
            if (s.startsWith("$$")) {
                return Optional.of(JSON.textNode(s.substring(1)));
            }
            if (s.startsWith("$")) {
                return eval(s.substring(1), vars);
            }
            return Optional.of(t);
        }
        if (t.isObject()) {
            ObjectNode out = JSON.objectNode();
            var it = t.fields();
            while (it.hasNext()) {
                var e = it.next();
                resolveOpt(e.getValue(), vars).ifPresent(v -> out.set(e.getKey(), v));
            }
            return Optional.of(out);
        }
        if (t.isArray()) {
            ArrayNode out = JSON.arrayNode();
            for (JsonNode e : t) {
                resolveOpt(e, vars).ifPresent(out::add);
            }
            return Optional.of(out);
        }
        return Optional.of(t);
    }

    /** Compiles every expression of a template; returns the first error, or null. */
    String check(JsonNode t) {
        if (t.isTextual()) {
            String s = t.asText();
            if (s.startsWith("$") && !s.startsWith("$$")) {
                String err = compile(s.substring(1));
                return err == null ? null : "expression '" + s + "' does not compile: " + err;
            }
            return null;
        }
        for (JsonNode e : t) {
            String err = check(e);
            if (err != null) {
                return err;
            }
        }
        return null;
    }

    // ---- values in and out ----

    /** JSON → the values CEL expects (long integers, doubles, lists, maps, null). */
    static Object toCel(JsonNode n) {
        return switch (n.getNodeType()) {
            case OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                n.fields().forEachRemaining(e -> m.put(e.getKey(), toCel(e.getValue())));
                yield m;
            }
            case ARRAY -> {
                List<Object> l = new ArrayList<>(n.size());
                n.forEach(e -> l.add(toCel(e)));
                yield l;
            }
            case STRING -> n.asText();
            case BOOLEAN -> n.booleanValue();
            case NUMBER -> n.canConvertToLong() && n.isIntegralNumber() ? (Object) n.longValue() : n.doubleValue();
            default -> dev.cel.common.values.NullValue.NULL_VALUE;
        };
    }

    /** Token claims (plain Java values) → CEL values. */
    static Object claimToCel(Object v) {
        return switch (v) {
            case null -> dev.cel.common.values.NullValue.NULL_VALUE;
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case Float f -> (double) f;
            case java.math.BigInteger b -> b.bitLength() < 64 ? (Object) b.longValue() : b.doubleValue();
            case java.math.BigDecimal d -> d.doubleValue();
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, x) -> out.put(String.valueOf(k), claimToCel(x)));
                yield out;
            }
            case java.util.Collection<?> c -> {
                List<Object> out = new ArrayList<>(c.size());
                c.forEach(x -> out.add(claimToCel(x)));
                yield out;
            }
            case java.time.Instant i -> i.getEpochSecond();
            case java.util.Date d -> d.toInstant().getEpochSecond();
            default -> v;
        };
    }

    private static Optional<JsonNode> toJson(Object v, String expr) {
        if (v instanceof Optional<?> o) {
            return o.isEmpty() ? Optional.empty() : toJson(o.get(), expr);
        }
        return Optional.of(json(v, expr));
    }

    private static JsonNode json(Object v, String expr) {
        return switch (v) {
            case null -> JSON.nullNode();
            case String s -> JSON.textNode(s);
            case Boolean b -> JSON.booleanNode(b);
            case Long l -> JSON.numberNode(l);
            case Integer i -> JSON.numberNode((long) i);
            case Double d -> JSON.numberNode(d);
            case UnsignedLong u -> JSON.numberNode(u.bigIntegerValue());
            case dev.cel.common.values.NullValue n -> JSON.nullNode();
            case com.google.protobuf.NullValue n -> JSON.nullNode();
            case Map<?, ?> m -> {
                ObjectNode o = JSON.objectNode();
                for (var e : m.entrySet()) {
                    if (!(e.getKey() instanceof String k)) {
                        throw new MappingException("expression '$" + expr + "' yields a map with a non-string key");
                    }
                    if (e.getValue() instanceof Optional<?> opt && opt.isEmpty()) {
                        continue;
                    }
                    o.set(k, json(e.getValue() instanceof Optional<?> opt ? opt.get() : e.getValue(), expr));
                }
                yield o;
            }
            case List<?> l -> {
                ArrayNode a = JSON.arrayNode();
                l.forEach(x -> a.add(json(x, expr)));
                yield a;
            }
            default ->
                throw new MappingException(
                        "expression '$" + expr + "' yields a " + v.getClass().getSimpleName() + ", not a JSON value");
        };
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
