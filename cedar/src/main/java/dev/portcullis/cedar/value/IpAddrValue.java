package dev.portcullis.cedar.value;

/**
 * Cedar {@code ipaddr}: an IPv4 or IPv6 address with a prefix length (a single address has the
 * full length, 32 or 128). The address is held as 128 bits in {@code hi}/{@code lo}; for IPv4
 * only the low 32 bits of {@code lo} are used.
 */
public record IpAddrValue(boolean v4, long hi, long lo, int prefixLength) implements ExtValue {
    @Override
    public String typeName() {
        return "ipaddr";
    }
}
