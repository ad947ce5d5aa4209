package dev.portcullis.cedar.value;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecordValueTest {
    @Test
    void aRecordOfAShapeIsTheSameRecordAsOneFromAMap() {
        RecordValue arrays =
                RecordShape.of("c", "a", "b").record(LongValue.of(1), new StringValue("x"), BoolValue.TRUE);
        RecordValue map = new RecordValue(Map.of("c", BoolValue.TRUE, "a", LongValue.of(1), "b", new StringValue("x")));

        assertThat(arrays).isEqualTo(map).hasSameHashCodeAs(map);
        assertThat(map).isEqualTo(arrays);
        assertThat(arrays.get("b")).isEqualTo(new StringValue("x"));
        assertThat(arrays.get("d")).isNull();
        assertThat(arrays.attrs().containsKey("c")).isTrue();
        assertThat(arrays.attrs().containsKey("zz")).isFalse();
        assertThat(List.copyOf(arrays.attrs().keySet())).containsExactly("a", "b", "c");
        assertThat(arrays.toString()).isEqualTo(map.toString());
        assertThat(new RecordValue(arrays.attrs())).isEqualTo(map);
    }

    @Test
    void theRecordCannotBeChangedThroughItsMap() {
        RecordValue r = RecordShape.of("a").record(BoolValue.TRUE);
        assertThatThrownBy(() -> r.attrs().put("b", BoolValue.FALSE)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.attrs().entrySet().iterator().next().setValue(BoolValue.FALSE))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aShapeSortsItsNamesOnce_andEachRecordIsTheRecordOfThoseValues() {
        RecordShape shape = RecordShape.of("session", "amount", "time");
        assertThat(shape.size()).isEqualTo(3);
        Value[] values = new Value[3];
        values[shape.indexOf("session")] = new StringValue("s1");
        values[shape.indexOf("amount")] = LongValue.of(5);
        values[shape.indexOf("time")] = LongValue.of(7);
        RecordValue r = shape.record(values);
        assertThat(r)
                .isEqualTo(new RecordValue(
                        Map.of("session", new StringValue("s1"), "amount", LongValue.of(5), "time", LongValue.of(7))));
        assertThat(List.copyOf(r.attrs().keySet())).containsExactly("amount", "session", "time");

        assertThatThrownBy(() -> shape.indexOf("other")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> shape.record(LongValue.of(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> shape.record(LongValue.of(1), null, LongValue.of(2)))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> RecordShape.of("a", "b", "a")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lazyRecord_computesItsValuesOnceAndOnlyWhenAValueIsNeeded() {
        AtomicInteger calls = new AtomicInteger();
        RecordShape shape = RecordShape.of("session", "amount");
        RecordValue lazy = shape.lazyRecord(() -> {
            calls.incrementAndGet();
            return new Value[] {LongValue.of(5), new StringValue("s")};
        });

        assertThat(lazy.attrs().containsKey("session")).isTrue();
        assertThat(lazy.attrs().containsKey("other")).isFalse();
        assertThat(lazy.attrs()).hasSize(2);
        assertThat(calls).hasValue(0);

        assertThat(lazy.get("session")).isEqualTo(new StringValue("s"));
        assertThat(lazy.get("amount")).isEqualTo(LongValue.of(5));
        assertThat(lazy).isEqualTo(new RecordValue(Map.of("amount", LongValue.of(5), "session", new StringValue("s"))));
        assertThat(List.copyOf(lazy.attrs().keySet())).containsExactly("amount", "session");
        assertThat(calls).hasValue(1);
    }

    @Test
    void lazyRecord_rejectsAWrongNumberOfValuesWhenTheyAreComputed() {
        RecordValue lazy = RecordShape.of("a", "b").lazyRecord(() -> new Value[] {BoolValue.TRUE});

        assertThatThrownBy(() -> lazy.get("a")).isInstanceOf(IllegalArgumentException.class);
    }
}
