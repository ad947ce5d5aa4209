package dev.portcullis.cedar.value;

/**
 * A Cedar value. Equality is Cedar's {@code ==}: structural, and values of different types are
 * never equal.
 */
public sealed interface Value permits BoolValue, LongValue, StringValue, EntityUid, SetValue, RecordValue, ExtValue {

    /** The Cedar type name used in error messages, e.g. {@code Long} or {@code Set}. */
    String typeName();
}
