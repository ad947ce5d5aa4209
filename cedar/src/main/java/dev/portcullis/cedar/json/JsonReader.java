package dev.portcullis.cedar.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The one place where Cedar's JSON inputs are turned into trees, with Cedar's rules: duplicate
 * keys are errors, nothing may follow the document, and nesting is bounded.
 */
public final class JsonReader {
    /**
     * The deepest nesting of arrays and objects accepted. Cedar (serde_json) stops at 128; so do
     * we, which also keeps every recursive walk over the tree far from the stack limit.
     */
    public static final int MAX_DEPTH = 128;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonReader() {}

    /** Parses {@code json}; {@code what} names the document in errors (e.g. {@code entities}). */
    public static JsonNode read(String json, String what) {
        try (JsonParser parser = MAPPER.createParser(json)) {
            try {
                JsonNode node = MAPPER.readTree(parser);
                if (node == null || node.isMissingNode()) {
                    throw JsonFormatException.at(what, "empty document");
                }
                return node;
            } catch (StreamConstraintsException e) {
                // the exception carries no location; the parser knows where it stopped
                throw JsonFormatException.at(
                        what + location(parser.currentLocation()),
                        "json is nested more than " + MAX_DEPTH + " levels deep");
            }
        } catch (JsonProcessingException e) {
            throw JsonFormatException.at(what + location(e.getLocation()), describe(e.getOriginalMessage()));
        } catch (IOException e) {
            throw JsonFormatException.at(what, "unreadable json: " + e.getMessage());
        }
    }

    private static String location(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 0 ? "" : " (" + loc.getLineNr() + ":" + loc.getColumnNr() + ")";
    }

    private static String describe(String jacksonMessage) {
        String m = jacksonMessage == null
                ? "invalid json"
                : jacksonMessage.lines().findFirst().orElse("invalid json");
        if (m.startsWith("Duplicate field ")) {
            return "duplicate key " + m.substring("Duplicate field ".length()).replace('\'', '`');
        }
        return "invalid json: " + (m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1));
    }
}
