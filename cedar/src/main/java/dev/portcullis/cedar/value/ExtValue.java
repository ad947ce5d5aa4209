package dev.portcullis.cedar.value;

/** A value of one of Cedar's extension types. One file per type; each parses and compares itself. */
public sealed interface ExtValue extends Value permits DecimalValue, IpAddrValue, DatetimeValue, DurationValue {}
