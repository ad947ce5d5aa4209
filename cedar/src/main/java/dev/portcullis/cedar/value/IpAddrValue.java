package dev.portcullis.cedar.value;

/**
 * Cedar {@code ipaddr}: an IPv4 or IPv6 address with a prefix length (a single address has the
 * full length, 32 or 128). The address is held as 128 bits in {@code hi}/{@code lo}; for IPv4
 * only the low 32 bits of {@code lo} are used and {@code hi} is 0.
 *
 * <p>The address is kept as written, not masked by the prefix: like Cedar, {@code
 * ip("10.0.0.1/24") != ip("10.0.0.0/24")}, so record equality is Cedar's {@code ==}. An IPv4
 * address never equals an IPv6 one.
 */
public record IpAddrValue(boolean v4, long hi, long lo, int prefixLength) implements ExtValue {
    // Longest accepted text, in bytes: "ABCD:EF01:2345:6789:ABCD:EF01:2345:6789/128".
    private static final int MAX_TEXT_LENGTH = 43;

    /**
     * Parses Cedar's {@code ip(...)} syntax: a dotted-quad IPv4 address (no leading zeros) or an
     * IPv6 address in hex groups with at most one {@code ::}, optionally followed by {@code /prefix}
     * (decimal, no leading zeros, at most 32 or 128). IPv4-embedded IPv6 ({@code ::ffff:1.2.3.4})
     * is rejected, as in Cedar.
     *
     * @throws ExtensionException when {@code s} is not such an address
     */
    public static IpAddrValue parse(String s) {
        if (s.length() > MAX_TEXT_LENGTH) {
            throw new ExtensionException("invalid ip address `" + s + "`: the text is too long");
        }
        if (count(s, ':') >= 2 && count(s, '.') >= 2) {
            throw new ExtensionException(
                    "invalid ip address `" + s + "`: ipv4 embedded in ipv6 (e.g. `::ffff:127.0.0.1`) is not supported");
        }
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        boolean v4 = addr.indexOf(':') < 0;
        long hi = 0;
        long lo;
        if (v4) {
            long a = parseV4(addr);
            if (a < 0) {
                throw invalid(s);
            }
            lo = a;
        } else {
            long[] words = parseV6(addr);
            if (words == null) {
                throw invalid(s);
            }
            hi = words[0];
            lo = words[1];
        }
        int max = v4 ? 32 : 128;
        int prefix = max;
        if (slash >= 0) {
            prefix = parsePrefix(s.substring(slash + 1), v4 ? 2 : 3, max);
            if (prefix < 0) {
                throw new ExtensionException("invalid prefix length in ip address `" + s + "`");
            }
        }
        return new IpAddrValue(v4, hi, lo, prefix);
    }

    private static ExtensionException invalid(String s) {
        return new ExtensionException("invalid ip address `" + s + "`");
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    /** Decimal, 1 to {@code maxLen} digits, no leading zero, at most {@code max}; -1 if invalid. */
    private static int parsePrefix(String p, int maxLen, int max) {
        if (p.isEmpty() || p.length() > maxLen || (p.charAt(0) == '0' && p.length() > 1)) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= max ? v : -1;
    }

    /** Four dot-separated decimal octets (1-3 digits, no leading zeros); -1 if invalid. */
    private static long parseV4(String s) {
        long result = 0;
        int i = 0;
        int n = s.length();
        for (int octet = 0; octet < 4; octet++) {
            if (octet > 0) {
                if (i >= n || s.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
            int start = i;
            int v = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    return -1;
                }
            }
            int len = i - start;
            if (len == 0 || v > 255 || (len > 1 && s.charAt(start) == '0')) {
                return -1;
            }
            result = (result << 8) | v;
        }
        return i == n ? result : -1;
    }

    /**
     * Eight colon-separated groups of 1-4 hex digits, or fewer with one {@code ::} standing for at
     * least one zero group; {hi, lo} or null if invalid.
     */
    private static long[] parseV6(String s) {
        int[] groups = new int[8];
        int n = s.length();
        int count = 0;
        int gap = -1; // index in groups where "::" was
        int i = 0;
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
        }
        boolean needGroup = gap < 0; // a group must follow a single ':' (or start the text)
        while (i < n) {
            int start = i;
            int v = 0;
            while (i < n && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 128) {
                v = (v << 4) | Character.digit(s.charAt(i), 16);
                i++;
            }
            int len = i - start;
            if (len == 0 || len > 4 || count == 8) {
                return null;
            }
            groups[count++] = v;
            if (i == n) {
                needGroup = false;
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < n && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                i++;
                needGroup = false;
            } else {
                needGroup = true;
            }
        }
        if (needGroup) {
            return null;
        }
        if (gap < 0) {
            if (count != 8) {
                return null;
            }
        } else {
            if (count > 7) {
                return null;
            }
            int tail = count - gap;
            System.arraycopy(groups, gap, groups, 8 - tail, tail);
            for (int k = gap; k < 8 - tail; k++) {
                groups[k] = 0;
            }
        }
        long hi = 0;
        long lo = 0;
        for (int k = 0; k < 4; k++) {
            hi = (hi << 16) | groups[k];
            lo = (lo << 16) | groups[k + 4];
        }
        return new long[] {hi, lo};
    }

    public boolean isIpv4() {
        return v4;
    }

    public boolean isIpv6() {
        return !v4;
    }

    /** In {@code 127.0.0.0/8} or exactly {@code ::1}, with a prefix no wider than that range. */
    public boolean isLoopback() {
        if (v4) {
            return (lo >>> 24) == 127 && prefixLength >= 8;
        }
        return hi == 0 && lo == 1 && prefixLength == 128;
    }

    /** In {@code 224.0.0.0/4} or {@code ff00::/8}, with a prefix no wider than that range. */
    public boolean isMulticast() {
        if (v4) {
            return ((lo >>> 28) & 0xF) == 0xE && prefixLength >= 4;
        }
        return (hi >>> 56) == 0xFF && prefixLength >= 8;
    }

    /** Whether every address of this range lies in {@code range}; false across IP versions. */
    public boolean isInRange(IpAddrValue range) {
        if (v4 != range.v4) {
            return false;
        }
        if (v4) {
            long selfNet = lo & mask32(prefixLength);
            long otherNet = range.lo & mask32(range.prefixLength);
            long selfBcast = lo | (~mask32(prefixLength) & 0xFFFFFFFFL);
            long otherBcast = range.lo | (~mask32(range.prefixLength) & 0xFFFFFFFFL);
            return otherNet <= selfNet && selfBcast <= otherBcast;
        }
        long selfNetHi = hi & maskHi(prefixLength);
        long selfNetLo = lo & maskLo(prefixLength);
        long otherNetHi = range.hi & maskHi(range.prefixLength);
        long otherNetLo = range.lo & maskLo(range.prefixLength);
        long selfBcHi = hi | ~maskHi(prefixLength);
        long selfBcLo = lo | ~maskLo(prefixLength);
        long otherBcHi = range.hi | ~maskHi(range.prefixLength);
        long otherBcLo = range.lo | ~maskLo(range.prefixLength);
        return compare128(otherNetHi, otherNetLo, selfNetHi, selfNetLo) <= 0
                && compare128(selfBcHi, selfBcLo, otherBcHi, otherBcLo) <= 0;
    }

    private static long mask32(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    private static long maskHi(int prefix) {
        return prefix == 0 ? 0 : prefix >= 64 ? -1L : -1L << (64 - prefix);
    }

    private static long maskLo(int prefix) {
        return prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
    }

    private static int compare128(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    @Override
    public String typeName() {
        return "ipaddr";
    }

    /** The address text, e.g. {@code 10.0.0.0/24} or {@code ::1} (prefix omitted when full). */
    public String toAddressString() {
        StringBuilder b = new StringBuilder(48);
        if (v4) {
            b.append((lo >>> 24) & 0xFF).append('.').append((lo >>> 16) & 0xFF).append('.');
            b.append((lo >>> 8) & 0xFF).append('.').append(lo & 0xFF);
        } else {
            int[] g = new int[8];
            for (int k = 0; k < 4; k++) {
                g[k] = (int) (hi >>> (48 - 16 * k)) & 0xFFFF;
                g[k + 4] = (int) (lo >>> (48 - 16 * k)) & 0xFFFF;
            }
            // RFC 5952: compress the longest run (length >= 2) of zero groups, the first on ties.
            int bestStart = -1;
            int bestLen = 1;
            for (int k = 0; k < 8; ) {
                if (g[k] != 0) {
                    k++;
                    continue;
                }
                int start = k;
                while (k < 8 && g[k] == 0) {
                    k++;
                }
                if (k - start > bestLen) {
                    bestStart = start;
                    bestLen = k - start;
                }
            }
            for (int k = 0; k < 8; k++) {
                if (k == bestStart) {
                    b.append("::");
                    k += bestLen - 1;
                    continue;
                }
                if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                    b.append(':');
                }
                b.append(Integer.toHexString(g[k]));
            }
        }
        if (prefixLength != (v4 ? 32 : 128)) {
            b.append('/').append(prefixLength);
        }
        return b.toString();
    }

    /** Cedar syntax, e.g. {@code ip("10.0.0.0/24")}. */
    @Override
    public String toString() {
        return "ip(\"" + toAddressString() + "\")";
    }
}
