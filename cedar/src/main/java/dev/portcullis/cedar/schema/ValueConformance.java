package dev.portcullis.cedar.schema;

import dev.portcullis.cedar.schema.SchemaType.Attribute;
import dev.portcullis.cedar.schema.SchemaType.RecordType;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.DatetimeValue;
import dev.portcullis.cedar.value.DecimalValue;
import dev.portcullis.cedar.value.DurationValue;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.IpAddrValue;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.SetValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import java.util.Map;

/**
 * Whether a value is an instance of a schema type, as Cedar defines it for entity data and
 * request contexts: records are closed (every attribute declared, every required attribute
 * present), every element of a set conforms, an entity reference has exactly the declared type
 * and, for an enumerated type, one of its ids.
 */
final class ValueConformance {
    private final Schema schema;

    ValueConformance(Schema schema) {
        this.schema = schema;
    }

    /** Throws a {@link ConformanceException} naming {@code where} when {@code v} is not a {@code type}. */
    void check(Value v, SchemaType type, String where) {
        switch (type) {
            case SchemaType.LongType t -> expect(v instanceof LongValue, v, type, where);
            case SchemaType.StringType t -> expect(v instanceof StringValue, v, type, where);
            case SchemaType.BoolType t -> expect(v instanceof BoolValue, v, type, where);
            case SchemaType.ExtensionType x -> expect(extensionName(v).equals(x.name()), v, type, where);
            case SchemaType.EntityRefType e -> {
                expect(v instanceof EntityUid u && u.type().equals(e.entityType()), v, type, where);
                EntityTypeDecl decl = schema.entityType(e.entityType());
                EntityUid uid = (EntityUid) v;
                if (decl != null && !decl.allowsId(uid.id())) {
                    throw new ConformanceException(where + ": `" + uid
                            + "` is not one of the values of enumerated entity type `" + uid.type() + "`");
                }
            }
            case SchemaType.SetType s -> {
                expect(v instanceof SetValue, v, type, where);
                for (Value element : ((SetValue) v).elements()) {
                    check(element, s.element(), where + " (set element)");
                }
            }
            case RecordType r -> {
                expect(v instanceof RecordValue, v, type, where);
                checkRecord(((RecordValue) v).attrs(), r, where);
            }
        }
    }

    /** A record's attributes against a record type (entity shapes and contexts). */
    void checkRecord(Map<String, Value> attrs, RecordType type, String where) {
        for (var e : type.attributes().entrySet()) {
            if (e.getValue().required() && !attrs.containsKey(e.getKey())) {
                throw new ConformanceException(where + ": missing required attribute `" + e.getKey() + "`");
            }
        }
        for (var e : attrs.entrySet()) {
            Attribute declared = type.attribute(e.getKey());
            if (declared == null) {
                if (type.open()) {
                    continue;
                }
                throw new ConformanceException(
                        where + ": attribute `" + e.getKey() + "` is not declared in the schema");
            }
            check(e.getValue(), declared.type(), where + "." + e.getKey());
        }
    }

    private static void expect(boolean ok, Value v, SchemaType type, String where) {
        if (!ok) {
            throw new ConformanceException(where + ": expected a value of type `" + type + "`, found " + describe(v));
        }
    }

    static String describe(Value v) {
        String s = v.toString();
        if (s.length() > 60) {
            s = s.substring(0, 57) + "...";
        }
        return kind(v) + " `" + s + "`";
    }

    private static String kind(Value v) {
        return switch (v) {
            case LongValue l -> "long";
            case StringValue s -> "string";
            case BoolValue b -> "boolean";
            case EntityUid u -> "entity of type `" + u.type() + "`";
            case SetValue s -> "set";
            case RecordValue r -> "record";
            default -> extensionName(v);
        };
    }

    private static String extensionName(Value v) {
        return switch (v) {
            case DecimalValue d -> "decimal";
            case IpAddrValue i -> "ipaddr";
            case DatetimeValue d -> "datetime";
            case DurationValue d -> "duration";
            default -> "";
        };
    }
}
