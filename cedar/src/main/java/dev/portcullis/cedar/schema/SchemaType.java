package dev.portcullis.cedar.schema;

import dev.portcullis.cedar.value.EntityType;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A type of the Cedar schema, after name resolution: common types are already inlined, so a type
 * is one of these seven forms and nothing refers to a name that is not an entity type or an
 * extension type.
 */
public sealed interface SchemaType
        permits SchemaType.LongType,
                SchemaType.StringType,
                SchemaType.BoolType,
                SchemaType.SetType,
                SchemaType.RecordType,
                SchemaType.EntityRefType,
                SchemaType.ExtensionType {

    LongType LONG = new LongType();
    StringType STRING = new StringType();
    BoolType BOOL = new BoolType();

    /** The extension types Cedar knows, by their schema names. */
    java.util.Set<String> EXTENSION_NAMES = java.util.Set.of("ipaddr", "decimal", "datetime", "duration");

    record LongType() implements SchemaType {
        @Override
        public String toString() {
            return "Long";
        }
    }

    record StringType() implements SchemaType {
        @Override
        public String toString() {
            return "String";
        }
    }

    record BoolType() implements SchemaType {
        @Override
        public String toString() {
            return "Bool";
        }
    }

    record SetType(SchemaType element) implements SchemaType {
        public SetType {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public String toString() {
            return "Set<" + element + ">";
        }
    }

    /**
     * A record type. {@code open} records (never produced by the schema parsers, which reject
     * {@code additionalAttributes: true} as Cedar does) exist for a type checker's least upper
     * bounds.
     */
    record RecordType(Map<String, Attribute> attributes, boolean open) implements SchemaType {
        public static final RecordType EMPTY = new RecordType(Map.of(), false);

        public RecordType {
            attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
        }

        public Attribute attribute(String name) {
            return attributes.get(name);
        }

        @Override
        public String toString() {
            return attributes.entrySet().stream()
                    .map(e -> e.getKey() + (e.getValue().required() ? "" : "?") + ": "
                            + e.getValue().type())
                    .collect(Collectors.joining(", ", "{", open ? ", ...}" : "}"));
        }
    }

    /** An attribute of a record type; annotations are kept for tools, they carry no meaning. */
    record Attribute(SchemaType type, boolean required, Map<String, String> annotations) {
        public Attribute {
            Objects.requireNonNull(type, "type");
            annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
        }

        public Attribute(SchemaType type, boolean required) {
            this(type, required, Map.of());
        }
    }

    record EntityRefType(EntityType entityType) implements SchemaType {
        public EntityRefType {
            Objects.requireNonNull(entityType, "entityType");
        }

        @Override
        public String toString() {
            return entityType.name();
        }
    }

    /** An extension type: {@code ipaddr}, {@code decimal}, {@code datetime} or {@code duration}. */
    record ExtensionType(String name) implements SchemaType {
        public ExtensionType {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
