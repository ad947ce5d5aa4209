package dev.portcullis.mcp.authz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.DecimalValue;
import dev.portcullis.cedar.value.ExtensionException;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.SetValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tool arguments (JSON from the client) → Cedar values for {@code context}, literally: objects
 * become records, arrays sets, strings strings, integers Longs, other numbers decimals (when they
 * fit Cedar's four digits after the point; else the number's text), booleans Bools; {@code null}
 * members are left out. Nothing is interpreted: an argument {@code {"__entity": ...}} is a record
 * with the attribute {@code __entity}, never an entity reference, so a caller cannot smuggle an
 * entity (and its group memberships) into a decision.
 */
final class JsonCedar {
    static final int MAX_DEPTH = 32;

    private JsonCedar() {}

    static Value value(JsonNode n, String path) {
        return value(n, path, 0);
    }

    /** An object's members as a record (null members left out). */
    static RecordValue record(JsonNode n, String path) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return RecordValue.EMPTY;
        }
        Value v = value(n, path, 0);
        if (v instanceof RecordValue r) {
            return r;
        }
        throw new MappingException("`" + path + "`: expected an object");
    }

    private static Value value(JsonNode n, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new MappingException("`" + path + "`: nested deeper than " + MAX_DEPTH);
        }
        return switch (n.getNodeType()) {
            case OBJECT -> {
                Map<String, Value> m = new LinkedHashMap<>();
                var it = n.fields();
                while (it.hasNext()) {
                    var e = it.next();
                    if (!e.getValue().isNull()) {
                        m.put(e.getKey(), value(e.getValue(), path + "." + e.getKey(), depth + 1));
                    }
                }
                yield new RecordValue(m);
            }
            case ARRAY -> {
                List<Value> l = new ArrayList<>(n.size());
                for (int i = 0; i < n.size(); i++) {
                    if (!n.get(i).isNull()) {
                        l.add(value(n.get(i), path + "[" + i + "]", depth + 1));
                    }
                }
                yield SetValue.of(l);
            }
            case STRING -> new StringValue(n.asText());
            case BOOLEAN -> BoolValue.of(n.booleanValue());
            case NUMBER -> number(n);
            default -> throw new MappingException("`" + path + "`: unsupported JSON value");
        };
    }

    private static Value number(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? LongValue.of(n.longValue()) : new StringValue(n.asText());
        }
        BigDecimal d = n.decimalValue().stripTrailingZeros();
        if (d.scale() <= 0 && d.precision() - d.scale() <= 18) {
            return LongValue.of(d.longValueExact());
        }
        if (d.scale() <= DecimalValue.SCALE) {
            String s = d.toPlainString();
            try {
                return DecimalValue.parse(s.contains(".") ? s : s + ".0");
            } catch (ExtensionException e) {
                // out of decimal's range: the text
            }
        }
        return new StringValue(d.toPlainString());
    }
}
