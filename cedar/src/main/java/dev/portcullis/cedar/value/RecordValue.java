package dev.portcullis.cedar.value;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** A Cedar {@code Record}: attribute names to values. Attributes are kept sorted by name. */
public record RecordValue(Map<String, Value> attrs) implements Value {
    public static final RecordValue EMPTY = new RecordValue(Map.of());

    public RecordValue {
        if (!(attrs instanceof SortedAttrs) && !(attrs instanceof LazyAttrs)) {
            attrs = Collections.unmodifiableMap(new TreeMap<>(attrs));
        }
    }

    /** The attribute's value, or {@code null} when the record has no such attribute. */
    public Value get(String attr) {
        return attrs.get(attr);
    }

    @Override
    public String typeName() {
        return "Record";
    }

    @Override
    public String toString() {
        return attrs.entrySet().stream()
                .map(e -> Strings.quote(e.getKey()) + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
