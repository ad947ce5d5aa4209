package dev.portcullis.cedar.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.value.DatetimeValue;
import dev.portcullis.cedar.value.DecimalValue;
import dev.portcullis.cedar.value.DurationValue;
import dev.portcullis.cedar.value.ExtensionException;
import dev.portcullis.cedar.value.IpAddrValue;
import dev.portcullis.cedar.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Differential test of the extension types against the official engine: every literal (a curated
 * list plus every literal of the conformance corpus, when present) must be accepted or rejected
 * alike and, when accepted, equal our canonical rendering; the methods must agree on them.
 */
class ExtensionOracleTest {
    private static final String[][] CURATED = {
        {"decimal", "0.0"},
        {"decimal", "-0.0"},
        {"decimal", "1.2345"},
        {"decimal", "-1.2345"},
        {"decimal", "1.23456"},
        {"decimal", "1."},
        {"decimal", ".5"},
        {"decimal", "1"},
        {"decimal", "+1.0"},
        {"decimal", "-0.5"},
        {"decimal", "0.5"},
        {"decimal", "922337203685477.5807"},
        {"decimal", "922337203685477.5808"},
        {"decimal", "-922337203685477.5808"},
        {"decimal", "-922337203685477.5809"},
        {"decimal", "00001.1"},
        {"decimal", "1.0 "},
        {"decimal", " 1.0"},
        {"decimal", "1,0"},
        {"decimal", "--1.0"},
        {"decimal", "1.-0"},
        {"decimal", "99999999999999999999.0"},
        {"decimal", "\u0661.0"},
        {"decimal", "1.0\n"},
        {"ip", "10.0.0.1"},
        {"ip", "10.0.0.0/24"},
        {"ip", "10.0.0.1/24"},
        {"ip", "10.0.0.01"},
        {"ip", "10.0.0.0/024"},
        {"ip", "0.0.0.0/0"},
        {"ip", "0.0.0.0/00"},
        {"ip", "1.2.3.4/33"},
        {"ip", "1.2.3.4/32"},
        {"ip", "256.0.0.1"},
        {"ip", "1.2.3"},
        {"ip", "1.2.3.4.5"},
        {"ip", "1.2.3.4/"},
        {"ip", "1.2.3.4//8"},
        {"ip", " 1.2.3.4"},
        {"ip", "127.0.0.1"},
        {"ip", "127.0.0.1/7"},
        {"ip", "127.0.0.1/8"},
        {"ip", "224.0.0.1/3"},
        {"ip", "224.0.0.1/4"},
        {"ip", "::"},
        {"ip", "::1"},
        {"ip", "::1/127"},
        {"ip", "::1/128"},
        {"ip", "::1/129"},
        {"ip", "1::"},
        {"ip", "1:2:3:4:5:6:7:8"},
        {"ip", "1:2:3:4:5:6:7:8:9"},
        {"ip", "1:2:3:4:5:6:7::"},
        {"ip", "::2:3:4:5:6:7:8"},
        {"ip", "1:2:3:4:5:6:7:8::"},
        {"ip", "::1:2:3:4:5:6:7:8"},
        {"ip", "1::2::3"},
        {"ip", ":1"},
        {"ip", "1:"},
        {"ip", "1:::2"},
        {"ip", "12345::"},
        {"ip", "ABCD:ef01::"},
        {"ip", "ff00::/8"},
        {"ip", "ff00::/7"},
        {"ip", "::ffff:1.2.3.4"},
        {"ip", "::ffff:0102:0304"},
        {"ip", "2001:db8::/32"},
        {"ip", "2001:db8::1/032"},
        {"ip", "fe80::1%eth0"},
        {"ip", "0:0:0:0:0:0:0:0/0"},
        {"ip", "1.2.3.4/8/8"},
        {"ip", ""},
        {"datetime", "2024-10-15"},
        {"datetime", "2024-10-15T11:35:00Z"},
        {"datetime", "2024-10-15T11:35:00.123Z"},
        {"datetime", "2024-10-15T11:35:00+0100"},
        {"datetime", "2024-10-15T11:35:00.999-2359"},
        {"datetime", "2024-10-15T11:35:00+2400"},
        {"datetime", "2024-10-15T11:35:00+0060"},
        {"datetime", "2024-10-15T11:35:00"},
        {"datetime", "2024-10-15T11:35Z"},
        {"datetime", "2024-10-15T24:00:00Z"},
        {"datetime", "2024-10-15T23:60:00Z"},
        {"datetime", "2024-10-15T23:59:60Z"},
        {"datetime", "2024-02-29"},
        {"datetime", "2023-02-29"},
        {"datetime", "1900-02-29"},
        {"datetime", "2000-02-29"},
        {"datetime", "0000-01-01"},
        {"datetime", "9999-12-31T23:59:59.999Z"},
        {"datetime", "10000-01-01"},
        {"datetime", "2024-1-01"},
        {"datetime", "2024-13-01"},
        {"datetime", "2024-00-10"},
        {"datetime", "2024-04-31"},
        {"datetime", "2024-10-15Z"},
        {"datetime", "2024-10-15T11:35:00.12Z"},
        {"datetime", "2024-10-15T11:35:00.1234Z"},
        {"datetime", "2024-10-15T11:35:00+01:00"},
        {"datetime", "2024-10-15T11:35:00z"},
        {"datetime", "1969-12-31T23:59:59.999Z"},
        {"datetime", "2024-10-15T11:35:00Z\n"},
        {"datetime", "2024-10-15 11:35:00Z"},
        {"duration", "1d2h3m4s5ms"},
        {"duration", "-1d2h3m4s5ms"},
        {"duration", "0ms"},
        {"duration", "-0ms"},
        {"duration", ""},
        {"duration", "-"},
        {"duration", "1"},
        {"duration", "d"},
        {"duration", "1h1d"},
        {"duration", "1d1d"},
        {"duration", "1ms1s"},
        {"duration", "1m"},
        {"duration", "1ms"},
        {"duration", "1D"},
        {"duration", "+1d"},
        {"duration", "1.5h"},
        {"duration", "9223372036854775807ms"},
        {"duration", "9223372036854775808ms"},
        {"duration", "-9223372036854775808ms"},
        {"duration", "-9223372036854775809ms"},
        {"duration", "106751991167d"},
        {"duration", "106751991168d"},
        {"duration", "-106751991167d23h47m16s854ms"},
        {"duration", "-106751991167d23h47m16s855ms"},
        {"duration", "18446744073709551616ms"},
        {"duration", "1 d"},
        {"duration", "1d "},
    };

    private record Check(String expr, String expected) {}

    @Test
    void literalsAndMethodsAgreeWithTheOfficialEngine() throws Exception {
        List<String[]> literals = new ArrayList<>(List.of(CURATED));
        literals.addAll(CorpusLiterals.read());
        List<Check> checks = new ArrayList<>();
        Map<String, List<String>> valid = new LinkedHashMap<>(); // fn -> literal texts that parse
        for (String[] lit : literals) {
            String fn = lit[0];
            String text = fn + "(\"" + escape(lit[1]) + "\")";
            Value ours;
            try {
                ours = parse(fn, CorpusLiterals.unescape(escape(lit[1])));
            } catch (ExtensionException e) {
                checks.add(new Check(text + " == " + text, "error"));
                continue;
            }
            checks.add(new Check(text + " == " + ours, "true"));
            valid.computeIfAbsent(fn, k -> new ArrayList<>()).add(text);
        }
        addMethodChecks(valid, checks);
        System.out.println("extension oracle checks: " + checks.size() + " (" + literals.size() + " literals)");

        List<String> mismatches = new ArrayList<>();
        for (int from = 0; from < checks.size(); from += 2000) {
            List<Check> chunk = checks.subList(from, Math.min(checks.size(), from + 2000));
            List<String> got = Oracle.evalAll(chunk.stream().map(Check::expr).toList());
            for (int i = 0; i < chunk.size(); i++) {
                if (!got.get(i).equals(chunk.get(i).expected())) {
                    mismatches.add(
                            chunk.get(i).expr() + "  ours=" + chunk.get(i).expected() + " cedar=" + got.get(i));
                }
            }
        }
        assertThat(mismatches).as("%d checks", checks.size()).isEmpty();
    }

    private static void addMethodChecks(Map<String, List<String>> valid, List<Check> checks) {
        List<String> decimals = valid.getOrDefault("decimal", List.of());
        List<String> ips = valid.getOrDefault("ip", List.of());
        List<String> datetimes = valid.getOrDefault("datetime", List.of());
        List<String> durations = valid.getOrDefault("duration", List.of());
        for (int i = 0; i < decimals.size(); i++) {
            DecimalValue a = (DecimalValue) value(decimals.get(i));
            for (int k = 1; k <= 3; k++) {
                String bt = decimals.get((i + k) % decimals.size());
                DecimalValue b = (DecimalValue) value(bt);
                String at = decimals.get(i);
                checks.add(new Check(at + ".lessThan(" + bt + ")", "" + a.lessThan(b)));
                checks.add(new Check(at + ".lessThanOrEqual(" + bt + ")", "" + a.lessThanOrEqual(b)));
                checks.add(new Check(at + ".greaterThan(" + bt + ")", "" + a.greaterThan(b)));
                checks.add(new Check(at + ".greaterThanOrEqual(" + bt + ")", "" + a.greaterThanOrEqual(b)));
            }
        }
        for (int i = 0; i < ips.size(); i++) {
            String at = ips.get(i);
            IpAddrValue a = (IpAddrValue) value(at);
            checks.add(new Check(at + ".isIpv4()", "" + a.isIpv4()));
            checks.add(new Check(at + ".isIpv6()", "" + a.isIpv6()));
            checks.add(new Check(at + ".isLoopback()", "" + a.isLoopback()));
            checks.add(new Check(at + ".isMulticast()", "" + a.isMulticast()));
            for (int k = 0; k < ips.size(); k += Math.max(1, ips.size() / 12)) {
                String bt = ips.get((i + k) % ips.size());
                checks.add(new Check(at + ".isInRange(" + bt + ")", "" + a.isInRange((IpAddrValue) value(bt))));
            }
        }
        for (int i = 0; i < datetimes.size(); i++) {
            String at = datetimes.get(i);
            DatetimeValue a = (DatetimeValue) value(at);
            add(checks, at + ".toDate()", a::toDate);
            add(checks, at + ".toTime()", a::toTime);
            for (int k = 1; k <= 2; k++) {
                String bt = datetimes.get((i + k) % datetimes.size());
                DatetimeValue b = (DatetimeValue) value(bt);
                add(checks, at + ".durationSince(" + bt + ")", () -> a.durationSince(b));
                checks.add(new Check(at + " < " + bt, "" + (a.compareTo(b) < 0)));
                checks.add(new Check(at + " >= " + bt, "" + (a.compareTo(b) >= 0)));
            }
            for (int k = 0; k < durations.size(); k += Math.max(1, durations.size() / 8)) {
                String dt = durations.get((i + k) % durations.size());
                add(checks, at + ".offset(" + dt + ")", () -> a.offset((DurationValue) value(dt)));
            }
        }
        for (int i = 0; i < durations.size(); i++) {
            String dt = durations.get(i);
            DurationValue d = (DurationValue) value(dt);
            checks.add(new Check(dt + ".toMilliseconds() == " + d.toMilliseconds(), "true"));
            checks.add(new Check(dt + ".toSeconds() == " + d.toSeconds(), "true"));
            checks.add(new Check(dt + ".toMinutes() == " + d.toMinutes(), "true"));
            checks.add(new Check(dt + ".toHours() == " + d.toHours(), "true"));
            checks.add(new Check(dt + ".toDays() == " + d.toDays(), "true"));
            String et = durations.get((i + 1) % durations.size());
            checks.add(new Check(dt + " <= " + et, "" + (d.compareTo((DurationValue) value(et)) <= 0)));
        }
    }

    private static void add(List<Check> checks, String expr, Supplier<Value> ours) {
        try {
            checks.add(new Check(expr + " == " + ours.get(), "true"));
        } catch (ExtensionException e) {
            checks.add(new Check(expr + " == " + expr, "error"));
        }
    }

    /** The value of a literal text such as {@code decimal("1.0")}. */
    private static Value value(String text) {
        int open = text.indexOf('(');
        return parse(text.substring(0, open), CorpusLiterals.unescape(text.substring(open + 2, text.length() - 2)));
    }

    private static Value parse(String fn, String s) {
        return switch (fn) {
            case "decimal" -> DecimalValue.parse(s);
            case "ip" -> IpAddrValue.parse(s);
            case "datetime" -> DatetimeValue.parse(s);
            case "duration" -> DurationValue.parse(s);
            default -> throw new IllegalArgumentException(fn);
        };
    }

    /** Cedar string-literal text for a raw string, or the already-escaped corpus text unchanged. */
    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) { // corpus literals arrive escaped already
                b.append(c).append(s.charAt(++i));
            } else if (c == '"') {
                b.append("\\\"");
            } else if (c < 0x20) {
                b.append(String.format("\\u{%x}", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
