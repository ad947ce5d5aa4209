package dev.portcullis.server.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.PolicySetException;
import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.json.ContextJson;
import dev.portcullis.cedar.json.EntityJson;
import dev.portcullis.cedar.json.JsonFormatException;
import dev.portcullis.cedar.json.TemplateLinksJson;
import dev.portcullis.cedar.json.ValueJson;
import dev.portcullis.cedar.parser.ParseException;
import dev.portcullis.cedar.parser.PolicyParser;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.schema.SchemaException;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the files the CLI and the conformance runner take (policies, schemas, entities, template
 * links, requests) and turns every failure into an {@link InputException} whose message starts with
 * the file name.
 */
public final class Inputs {
    /** Strict JSON: duplicate keys are an error rather than last-one-wins. */
    public static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Inputs() {}

    /** The file's text; invalid UTF-8 is an error, not replacement characters. */
    public static String readUtf8(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage());
        }
        return decode(bytes, file.toString());
    }

    public static String readUtf8(InputStream in, String name) {
        try {
            return decode(in.readAllBytes(), name);
        } catch (IOException e) {
            throw new InputException(name + ": cannot read: " + e.getMessage());
        }
    }

    private static String decode(byte[] bytes, String name) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        out.flip();
        if (result.isError()) {
            // the decoder stops at the first bad byte: what it decoded so far gives line:column
            int line = 1;
            int col = 1;
            for (int i = 0; i < out.length(); i++) {
                if (out.charAt(i) == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            throw new InputException(
                    name + ":" + line + ":" + col + ": invalid UTF-8 (byte offset " + in.position() + ")");
        }
        String s = out.toString();
        // a byte-order mark is not part of the content
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /** Cedar policy text; ids are positional ({@code policy0}, ...) unless renamed from {@code @id}. */
    public static PolicySet policies(String text, String name, boolean idsFromAnnotations) {
        try {
            PolicySet set = PolicySet.parse(text);
            return idsFromAnnotations ? set.withIdsFromAnnotations() : set;
        } catch (ParseException | PolicySetException e) {
            throw new InputException(name + ":" + e.getMessage());
        }
    }

    public static PolicySet policies(Path file, boolean idsFromAnnotations) {
        return policies(readUtf8(file), file.toString(), idsFromAnnotations);
    }

    /** A schema in Cedar syntax or JSON: by extension, else by the first character. */
    public static Schema schema(Path file) {
        String text = readUtf8(file);
        String name = file.getFileName().toString();
        boolean json = name.endsWith(".json")
                || (!name.endsWith(".cedarschema") && text.strip().startsWith("{"));
        try {
            return json ? Schema.parseJson(text) : Schema.parseCedar(text);
        } catch (SchemaException | JsonFormatException | ParseException e) {
            throw new InputException(file + ":" + e.getMessage());
        }
    }

    public static Entities entities(Path file, Schema schemaOrNull) {
        String text = readUtf8(file);
        try {
            return EntityJson.parse(text, schemaOrNull);
        } catch (JsonFormatException | SchemaException | ParseException | IllegalArgumentException e) {
            throw new InputException(file + ": " + e.getMessage());
        }
    }

    /** Parses JSON text; syntax errors name the file and line:column. */
    public static JsonNode json(String text, String name) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : loc.getLineNr() + ":" + loc.getColumnNr() + ":";
            throw new InputException(name + ":" + where + " invalid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * An entity uid written as Cedar text ({@code User::"alice"}), as {@code {"type": .., "id": ..}}
     * or as {@code {"__entity": {..}}}; {@code where} names it in errors.
     */
    public static EntityUid uid(JsonNode node, String where) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new InputException(where + ": missing entity uid");
        }
        try {
            if (node.isTextual()) {
                return PolicyParser.parseEntityUid(node.asText());
            }
            return ValueJson.parseEntityUid(node);
        } catch (ParseException | JsonFormatException e) {
            throw new InputException(where + ": invalid entity uid: " + e.getMessage());
        }
    }

    /** An entity uid given on the command line, in Cedar syntax. */
    public static EntityUid uid(String text, String option) {
        try {
            return PolicyParser.parseEntityUid(text);
        } catch (ParseException e) {
            throw new InputException(option + ": invalid entity uid `" + text + "`: " + e.getMessage());
        }
    }

    public static RecordValue context(JsonNode node, Schema schemaOrNull, EntityUid action, String where) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            node = JSON.createObjectNode();
        }
        try {
            return ContextJson.parse(node, schemaOrNull, action);
        } catch (JsonFormatException | SchemaException | ParseException | IllegalArgumentException e) {
            throw new InputException(where + ": " + e.getMessage());
        }
    }

    /**
     * A request file: {@code {"principal", "action", "resource", "context"}}, each uid as Cedar text
     * or JSON (the Cedar CLI's request format).
     */
    public static Request request(Path file, Schema schemaOrNull) {
        JsonNode root = json(readUtf8(file), file.toString());
        if (!root.isObject()) {
            throw new InputException(file + ": expected a JSON object with principal, action, resource");
        }
        EntityUid principal = uid(root.get("principal"), file + ": principal");
        EntityUid action = uid(root.get("action"), file + ": action");
        EntityUid resource = uid(root.get("resource"), file + ": resource");
        RecordValue context = context(root.get("context"), schemaOrNull, action, file + ": context");
        return new Request(principal, action, resource, context);
    }

    /**
     * Applies a template-links file: a JSON array of {@code {"template_id", "link_id", "args":
     * {"?principal": uid, "?resource": uid}}} (the Cedar CLI's format; uids as Cedar text or JSON).
     */
    public static PolicySet links(Path file, PolicySet policies) {
        try {
            return policies.linkAll(TemplateLinksJson.parse(readUtf8(file)));
        } catch (JsonFormatException | PolicySetException e) {
            throw new InputException(file + ": " + e.getMessage());
        }
    }
}
