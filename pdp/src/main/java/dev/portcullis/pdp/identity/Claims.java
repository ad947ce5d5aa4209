package dev.portcullis.pdp.identity;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Claims as immutable plain Java values, detached from the parser's mutable maps. */
final class Claims {
    private Claims() {}

    /** A deep, unmodifiable copy; top-level nulls are dropped (they carry nothing). */
    static Map<String, Object> freeze(Map<String, Object> claims) {
        Map<String, Object> out = new LinkedHashMap<>();
        claims.forEach((k, v) -> {
            if (v != null) {
                out.put(k, freezeValue(v));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    private static Object freezeValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), x == null ? null : freezeValue(x)));
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(x == null ? null : freezeValue(x)));
            return Collections.unmodifiableList(out);
        }
        if (v instanceof java.util.Date d) {
            return d.getTime() / 1000;
        }
        return v;
    }
}
