package dev.portcullis.cedar.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.ast.SlotId;
import dev.portcullis.cedar.parser.ParseException;
import dev.portcullis.cedar.parser.PolicyParser;
import dev.portcullis.cedar.value.EntityUid;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The Cedar CLI's template-links format: a JSON array of {@code {"template_id", "link_id", "args":
 * {"?principal": uid, "?resource": uid}}}, each uid as Cedar text ({@code User::"alice"}) or JSON
 * ({@code {"type": .., "id": ..}} or {@code {"__entity": {..}}}). Shared by the CLI and the policy
 * store so both read links the same way.
 */
public final class TemplateLinksJson {
    private TemplateLinksJson() {}

    /** Parses a links document; errors name the JSON path, e.g. {@code links[2].args.?principal}. */
    public static List<PolicySet.TemplateLink> parse(String json) {
        return parse(JsonReader.read(json, "links"));
    }

    public static List<PolicySet.TemplateLink> parse(JsonNode root) {
        if (!root.isArray()) {
            throw JsonFormatException.at("links", "expected a JSON array of template links");
        }
        List<PolicySet.TemplateLink> links = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            String where = JsonPaths.index("links", i);
            JsonNode l = root.get(i);
            JsonNode template = l.get("template_id");
            JsonNode link = l.get("link_id");
            if (template == null || !template.isTextual() || link == null || !link.isTextual()) {
                throw JsonFormatException.at(where, "expected string fields `template_id` and `link_id`");
            }
            Map<SlotId, EntityUid> values = new EnumMap<>(SlotId.class);
            JsonNode args = l.path("args");
            if (!args.isMissingNode() && !args.isObject()) {
                throw JsonFormatException.at(where + ".args", "expected an object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = args.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> arg = it.next();
                SlotId slot = slot(arg.getKey(), where);
                values.put(slot, uid(arg.getValue(), where + ".args." + arg.getKey()));
            }
            links.add(new PolicySet.TemplateLink(template.asText(), link.asText(), values));
        }
        return links;
    }

    private static EntityUid uid(JsonNode node, String where) {
        if (node.isTextual()) {
            try {
                return PolicyParser.parseEntityUid(node.asText());
            } catch (ParseException e) {
                throw JsonFormatException.at(where, "invalid entity uid: " + e.getMessage());
            }
        }
        return ValueJson.parseEntityUid(node, where);
    }

    private static SlotId slot(String key, String where) {
        for (SlotId s : SlotId.values()) {
            if (s.text().equals(key) || s.text().substring(1).equals(key)) {
                return s;
            }
        }
        throw JsonFormatException.at(
                where + ".args", "unknown slot `" + key + "` (expected `?principal` or `?resource`)");
    }
}
