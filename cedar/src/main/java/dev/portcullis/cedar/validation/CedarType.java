package dev.portcullis.cedar.validation;

import dev.portcullis.cedar.schema.SchemaType;
import dev.portcullis.cedar.value.EntityType;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The types of the strict type checker. Booleans are refined to the singletons {@code True} and
 * {@code False} so that the checker can tell which code can never run; records are closed, so two
 * record types agree only when they have the same attributes.
 */
sealed interface CedarType {
    BoolT TRUE = new BoolT(BoolKind.TRUE);
    BoolT FALSE = new BoolT(BoolKind.FALSE);
    BoolT BOOL = new BoolT(BoolKind.ANY);
    LongT LONG = new LongT();
    StringT STRING = new StringT();

    enum BoolKind {
        TRUE,
        FALSE,
        ANY;

        BoolKind not() {
            return switch (this) {
                case TRUE -> FALSE;
                case FALSE -> TRUE;
                case ANY -> ANY;
            };
        }
    }

    record BoolT(BoolKind kind) implements CedarType {
        @Override
        public String toString() {
            return switch (kind) {
                case TRUE -> "True";
                case FALSE -> "False";
                case ANY -> "Bool";
            };
        }
    }

    record LongT() implements CedarType {
        @Override
        public String toString() {
            return "Long";
        }
    }

    record StringT() implements CedarType {
        @Override
        public String toString() {
            return "String";
        }
    }

    record EntityT(EntityType type) implements CedarType {
        @Override
        public String toString() {
            return type.name();
        }
    }

    record SetT(CedarType element) implements CedarType {
        @Override
        public String toString() {
            return "Set<" + element + ">";
        }
    }

    record Attr(CedarType type, boolean required) {}

    record RecordT(Map<String, Attr> attrs) implements CedarType {
        public RecordT {
            attrs = Collections.unmodifiableMap(new TreeMap<>(attrs));
        }

        @Override
        public String toString() {
            return attrs.entrySet().stream()
                    .map(e -> e.getKey() + (e.getValue().required() ? "" : "?") + ": "
                            + e.getValue().type())
                    .collect(Collectors.joining(", ", "{", "}"));
        }
    }

    /** {@code decimal}, {@code ipaddr}, {@code datetime} or {@code duration}. */
    record ExtT(String name) implements CedarType {
        @Override
        public String toString() {
            return name;
        }
    }

    static CedarType of(SchemaType t) {
        return switch (t) {
            case SchemaType.LongType l -> LONG;
            case SchemaType.StringType s -> STRING;
            case SchemaType.BoolType b -> BOOL;
            case SchemaType.SetType s -> new SetT(of(s.element()));
            case SchemaType.RecordType r -> ofRecord(r);
            case SchemaType.EntityRefType e -> new EntityT(e.entityType());
            case SchemaType.ExtensionType x -> new ExtT(x.name());
        };
    }

    static RecordT ofRecord(SchemaType.RecordType r) {
        Map<String, Attr> attrs = new TreeMap<>();
        r.attributes().forEach((k, v) -> attrs.put(k, new Attr(of(v.type()), v.required())));
        return new RecordT(attrs);
    }

    /**
     * The least upper bound in strict mode, or {@code null} when there is none: singleton booleans
     * widen to {@code Bool}, sets and records go element-wise, records must have the same attribute
     * names with the same optionality, and every other type only agrees with itself.
     */
    static CedarType lub(CedarType a, CedarType b) {
        if (a instanceof BoolT x && b instanceof BoolT y) {
            return x.kind() == y.kind() ? x : BOOL;
        }
        if (a instanceof SetT x && b instanceof SetT y) {
            CedarType e = lub(x.element(), y.element());
            return e == null ? null : new SetT(e);
        }
        if (a instanceof RecordT x && b instanceof RecordT y) {
            if (!x.attrs().keySet().equals(y.attrs().keySet())) {
                return null;
            }
            Map<String, Attr> out = new TreeMap<>();
            Iterator<Map.Entry<String, Attr>> it = x.attrs().entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, Attr> e = it.next();
                Attr other = y.attrs().get(e.getKey());
                CedarType t = lub(e.getValue().type(), other.type());
                if (t == null || e.getValue().required() != other.required()) {
                    return null;
                }
                out.put(e.getKey(), new Attr(t, other.required()));
            }
            return new RecordT(out);
        }
        return a.equals(b) ? a : null;
    }

    /** Whether {@code a} is a subtype of {@code b}. */
    static boolean isSubtype(CedarType a, CedarType b) {
        CedarType l = lub(a, b);
        return l != null && l.equals(b);
    }
}
