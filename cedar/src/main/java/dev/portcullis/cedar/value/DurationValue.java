package dev.portcullis.cedar.value;

/** Cedar {@code duration}: a signed number of milliseconds. */
public record DurationValue(long millis) implements ExtValue {
    @Override
    public String typeName() {
        return "duration";
    }
}
