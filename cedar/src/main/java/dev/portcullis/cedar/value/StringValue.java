package dev.portcullis.cedar.value;

import java.util.Objects;

/** A Cedar {@code String}. */
public record StringValue(String value) implements Value {
    public StringValue {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String typeName() {
        return "String";
    }

    @Override
    public String toString() {
        return Strings.quote(value);
    }
}
