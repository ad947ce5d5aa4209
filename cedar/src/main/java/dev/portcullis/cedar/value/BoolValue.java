package dev.portcullis.cedar.value;

/** A Cedar {@code Bool}. Use {@link #of(boolean)} to share the two instances. */
public record BoolValue(boolean value) implements Value {
    public static final BoolValue TRUE = new BoolValue(true);
    public static final BoolValue FALSE = new BoolValue(false);

    public static BoolValue of(boolean b) {
        return b ? TRUE : FALSE;
    }

    @Override
    public String typeName() {
        return "Bool";
    }

    @Override
    public String toString() {
        return Boolean.toString(value);
    }
}
