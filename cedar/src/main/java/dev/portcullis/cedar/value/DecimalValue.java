package dev.portcullis.cedar.value;

/**
 * Cedar {@code decimal}: a fixed-point number with four digits after the point, held as the
 * 64-bit integer {@code value * 10^4}.
 */
public record DecimalValue(long unscaled) implements ExtValue {
    @Override
    public String typeName() {
        return "decimal";
    }
}
