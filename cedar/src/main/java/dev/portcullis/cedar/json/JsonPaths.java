package dev.portcullis.cedar.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.cedar.value.Strings;

/** Helpers for error messages: JSON paths such as {@code entities[3].attrs["a b"]} and value descriptions. */
public final class JsonPaths {
    private JsonPaths() {}

    public static String key(String path, String key) {
        return isSimpleKey(key) ? path + "." + key : path + "[" + Strings.quote(key) + "]";
    }

    public static String index(String path, int i) {
        return path + "[" + i + "]";
    }

    private static boolean isSimpleKey(String key) {
        if (key.isEmpty() || !(key.charAt(0) == '_' || (key.charAt(0) < 128 && Character.isLetter(key.charAt(0))))) {
            return false;
        }
        for (int i = 1; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c == '_' || (c < 128 && Character.isLetterOrDigit(c)))) {
                return false;
            }
        }
        return true;
    }

    /** A short description of a JSON value for "found ..." in messages. */
    public static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        String text = node.toString();
        if (text.length() > 40) {
            text = text.substring(0, 37) + "...";
        }
        return "`" + text + "`";
    }
}
