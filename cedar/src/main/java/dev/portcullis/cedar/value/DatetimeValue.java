package dev.portcullis.cedar.value;

/** Cedar {@code datetime}: milliseconds since the Unix epoch, UTC. */
public record DatetimeValue(long epochMillis) implements ExtValue {
    @Override
    public String typeName() {
        return "datetime";
    }
}
