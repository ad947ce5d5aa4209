package dev.portcullis.mcp.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the decision log must not show: values of arguments by name (at any depth of the
 * arguments, and in a declared mapping's context) and by JSON pointer into {@code params} (e.g.
 * {@code /arguments/credentials/password}). A redacted value reads {@code "[redacted]"}.
 */
final class Redactor {
    static final String REDACTED = "[redacted]";

    private final Set<String> names = new HashSet<>();
    private final List<String[]> pointers = new ArrayList<>();

    Redactor(List<String> entries) {
        for (String e : entries) {
            if (e.startsWith("/")) {
                String[] parts = e.substring(1).split("/", -1);
                for (int i = 0; i < parts.length; i++) {
                    parts[i] = parts[i].replace("~1", "/").replace("~0", "~");
                }
                pointers.add(parts);
            } else {
                names.add(e);
            }
        }
    }

    /** Whether values are redacted by name ({@link #byName} changes anything). */
    boolean redactsNames() {
        return !names.isEmpty();
    }

    boolean isEmpty() {
        return names.isEmpty() && pointers.isEmpty();
    }

    /** A copy of {@code params} with the configured values replaced. */
    JsonNode params(JsonNode params) {
        if (isEmpty() || params == null) {
            return params;
        }
        JsonNode copy = params.deepCopy();
        for (String[] p : pointers) {
            pointer(copy, p, 0);
        }
        if (!names.isEmpty()) {
            JsonNode args = copy.get("arguments");
            if (args != null) {
                byName(args);
            }
        }
        return copy;
    }

    /** Replaces, in place, every member of {@code node} (at any depth) whose name is configured. */
    void byName(JsonNode node) {
        if (names.isEmpty() || node == null) {
            return;
        }
        if (node instanceof ObjectNode o) {
            List<String> fields = new ArrayList<>();
            o.fieldNames().forEachRemaining(fields::add);
            for (String f : fields) {
                if (names.contains(f)) {
                    o.put(f, REDACTED);
                } else {
                    byName(o.get(f));
                }
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(this::byName);
        }
    }

    private static void pointer(JsonNode node, String[] path, int i) {
        if (node == null || i >= path.length) {
            return;
        }
        String key = path[i];
        boolean last = i == path.length - 1;
        if (node instanceof ObjectNode o && o.has(key)) {
            if (last) {
                o.put(key, REDACTED);
            } else {
                pointer(o.get(key), path, i + 1);
            }
        } else if (node instanceof ArrayNode a && key.matches("\\d{1,9}")) {
            int idx = Integer.parseInt(key);
            if (idx < a.size()) {
                if (last) {
                    a.set(idx, a.textNode(REDACTED));
                } else {
                    pointer(a.get(idx), path, i + 1);
                }
            }
        }
    }
}
