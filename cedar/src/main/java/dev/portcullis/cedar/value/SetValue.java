package dev.portcullis.cedar.value;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/** A Cedar {@code Set}: unordered, no duplicates, elements of any type. */
public record SetValue(Set<Value> elements) implements Value {
    public static final SetValue EMPTY = new SetValue(Set.of());

    public SetValue {
        elements = Collections.unmodifiableSet(new LinkedHashSet<>(elements));
    }

    public static SetValue of(Collection<? extends Value> values) {
        return values.isEmpty() ? EMPTY : new SetValue(new LinkedHashSet<>(values));
    }

    @Override
    public String typeName() {
        return "Set";
    }

    @Override
    public String toString() {
        return elements.stream().map(Value::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
