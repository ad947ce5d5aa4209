package dev.portcullis.cedar.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Known values of the extension types (dates and durations checked by hand, not by the code). */
class ExtensionValuesTest {
    @Test
    void decimal() {
        assertThat(DecimalValue.parse("1.5").unscaled()).isEqualTo(15_000);
        assertThat(DecimalValue.parse("-0.0001").unscaled()).isEqualTo(-1);
        assertThat(DecimalValue.parse("-922337203685477.5808").unscaled()).isEqualTo(Long.MIN_VALUE);
        assertThat(DecimalValue.parse("922337203685477.5807").unscaled()).isEqualTo(Long.MAX_VALUE);
        assertThat(DecimalValue.parse("1.0")).isEqualTo(DecimalValue.parse("1.0000"));
        assertThat(DecimalValue.parse("-0.5").lessThan(DecimalValue.parse("0.0")))
                .isTrue();
        assertThat(DecimalValue.parse("2.0").greaterThanOrEqual(DecimalValue.parse("2.00")))
                .isTrue();
        assertThat(DecimalValue.parse("-0.05").toString()).isEqualTo("decimal(\"-0.05\")");
        assertThat(DecimalValue.parse("12.3400").toDecimalString()).isEqualTo("12.34");
        assertThat(DecimalValue.parse("-7.0").toDecimalString()).isEqualTo("-7.0");
        for (String bad : new String[] {"1", "1.", ".1", "1.23456", "922337203685477.5808", "1e3", "", "-", "1.0x"}) {
            assertThatThrownBy(() -> DecimalValue.parse(bad)).isInstanceOf(ExtensionException.class);
        }
    }

    @Test
    void ipaddr() {
        IpAddrValue a = IpAddrValue.parse("192.168.0.1");
        assertThat(a).isEqualTo(new IpAddrValue(true, 0, 0xC0A80001L, 32));
        assertThat(IpAddrValue.parse("::1")).isEqualTo(new IpAddrValue(false, 0, 1, 128));
        assertThat(IpAddrValue.parse("ff02::1:2/64")).isEqualTo(new IpAddrValue(false, 0xff02L << 48, 0x10002L, 64));
        assertThat(a.isInRange(IpAddrValue.parse("192.168.0.0/16"))).isTrue();
        assertThat(IpAddrValue.parse("192.168.0.0/15").isInRange(IpAddrValue.parse("192.168.0.0/16")))
                .isFalse();
        assertThat(a.isInRange(IpAddrValue.parse("::/0"))).isFalse();
        assertThat(IpAddrValue.parse("2001:db8::/32").isInRange(IpAddrValue.parse("2001:db8::/31")))
                .isTrue();
        assertThat(IpAddrValue.parse("239.1.1.1").isMulticast()).isTrue();
        assertThat(IpAddrValue.parse("240.1.1.1").isMulticast()).isFalse();
        assertThat(IpAddrValue.parse("127.255.0.1").isLoopback()).isTrue();
        assertThat(IpAddrValue.parse("2001:db8:0:0:1:0:0:1").toAddressString()).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpAddrValue.parse("0:0:1:0:0:0:0:0/40").toString()).isEqualTo("ip(\"0:0:1::/40\")");
        assertThat(IpAddrValue.parse("10.0.0.0/8").toString()).isEqualTo("ip(\"10.0.0.0/8\")");
        for (String bad :
                new String[] {"1.2.3.04", "1.2.3.4/33", "::1/129", "::ffff:1.2.3.4", "1::2::3", "1.2.3.4/08"}) {
            assertThatThrownBy(() -> IpAddrValue.parse(bad)).isInstanceOf(ExtensionException.class);
        }
    }

    @Test
    void datetime() {
        assertThat(DatetimeValue.parse("1970-01-01").epochMillis()).isZero();
        assertThat(DatetimeValue.parse("2024-10-15").epochMillis()).isEqualTo(1_728_950_400_000L);
        assertThat(DatetimeValue.parse("2024-10-15T11:35:00.123Z").epochMillis())
                .isEqualTo(1_728_950_400_000L + (11 * 3600 + 35 * 60) * 1000L + 123);
        assertThat(DatetimeValue.parse("2024-10-15T11:35:00+0130").epochMillis())
                .isEqualTo(1_728_950_400_000L + (10 * 3600 + 5 * 60) * 1000L);
        assertThat(DatetimeValue.parse("0000-01-01").epochMillis()).isEqualTo(-62_167_219_200_000L);
        DatetimeValue before = DatetimeValue.parse("1969-12-31T23:00:00Z");
        assertThat(before.toDate()).isEqualTo(DatetimeValue.parse("1969-12-31"));
        assertThat(before.toTime()).isEqualTo(DurationValue.parse("23h"));
        assertThat(DatetimeValue.parse("2024-03-01").durationSince(DatetimeValue.parse("2024-02-28")))
                .isEqualTo(DurationValue.parse("2d"));
        assertThat(DatetimeValue.parse("2024-10-15T13:35:00.500+0200").toString())
                .isEqualTo("datetime(\"2024-10-15T11:35:00.500Z\")");
        assertThat(new DatetimeValue(Long.MAX_VALUE).toString()).startsWith("datetime(\"1970-01-01\").offset(");
    }

    @Test
    void duration() {
        DurationValue d = DurationValue.parse("1d2h3m4s5ms");
        assertThat(d.millis()).isEqualTo(93_784_005L);
        assertThat(DurationValue.parse("-1d2h3m4s5ms").millis()).isEqualTo(-93_784_005L);
        assertThat(d.toDays()).isEqualTo(1);
        assertThat(d.toHours()).isEqualTo(26);
        assertThat(d.toMinutes()).isEqualTo(1563);
        assertThat(d.toSeconds()).isEqualTo(93_784);
        assertThat(DurationValue.parse("-90s").toMinutes()).isEqualTo(-1);
        assertThat(DurationValue.parse("-9223372036854775808ms").millis()).isEqualTo(Long.MIN_VALUE);
        assertThat(d.toString()).isEqualTo("duration(\"1d2h3m4s5ms\")");
        assertThat(new DurationValue(Long.MIN_VALUE).toDurationString()).isEqualTo("-106751991167d7h12m55s808ms");
        assertThat(new DurationValue(0).toDurationString()).isEqualTo("0ms");
        for (String bad : new String[] {"", "-", "1", "1h1d", "1d1d", "1 d", "9223372036854775808ms", "1.5h"}) {
            assertThatThrownBy(() -> DurationValue.parse(bad)).isInstanceOf(ExtensionException.class);
        }
    }
}
