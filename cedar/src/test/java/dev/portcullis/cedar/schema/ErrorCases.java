package dev.portcullis.cedar.schema;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads error cases written as data: blocks starting with {@code ### name}, then {@code key:
 * value} lines; a key given on several lines has its values joined with newlines. Lines starting
 * with {@code #} (but not {@code ###}) outside blocks are comments.
 */
public final class ErrorCases {
    private ErrorCases() {}

    public record Case(String name, Map<String, String> fields) {
        public String get(String key) {
            return fields.get(key);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    public static List<Case> load(String resource) throws IOException {
        try (InputStream in = ErrorCases.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<Case> cases = new ArrayList<>();
            String name = null;
            Map<String, String> fields = null;
            for (String line : text.split("\n", -1)) {
                if (line.startsWith("### ")) {
                    if (name != null) {
                        cases.add(new Case(name, fields));
                    }
                    name = line.substring(4).trim();
                    fields = new LinkedHashMap<>();
                } else if (name != null && !line.isBlank() && !line.startsWith("#")) {
                    int colon = line.indexOf(": ");
                    if (colon < 0) {
                        throw new IOException(resource + ": bad line in case `" + name + "`: " + line);
                    }
                    String key = line.substring(0, colon);
                    String value = line.substring(colon + 2);
                    fields.merge(key, value, (a, b) -> a + "\n" + b);
                }
            }
            if (name != null) {
                cases.add(new Case(name, fields));
            }
            return cases;
        }
    }
}
