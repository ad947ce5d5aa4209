package dev.portcullis.pdp.approval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.json.ValueJson;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.ExtValue;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.SetValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an approval is bound to: one decision request in canonical form, and its hash.
 *
 * <pre>
 * The bound document (what {@link #json()} holds):
 *
 *   {"action":UID,"context":CONTEXT,"entities":[FACT,...],"principal":UID,"resource":UID}
 *
 *   UID      {"id":S,"type":S}
 *   CONTEXT  the request's context without the excluded paths (see below), as Cedar JSON
 *   FACT     {"attrs":{..},"parents":[UID,...],"tags":{..},"uid":UID}, one per entity the request
 *            itself supplied (AuthZEN properties); "entities" is left out when there are none
 *
 * Canonical form: RFC 8785 (JCS) rules over the Cedar JSON form of the values: no whitespace,
 * object members sorted by their names' UTF-16 code units, strings with JCS escaping. Two
 * departures, both forced by Cedar's values: integers are written exactly (Cedar's are 64-bit,
 * JCS would round them through a double), and a Cedar set, which has no order, is an array
 * whose elements are sorted by their canonical text (parents too). Entity references are
 * {"__entity":UID} and extension values {"__extn":{"arg":S,"fn":S}}, as in Cedar JSON.
 *
 * hash = base64url, without padding, of SHA-256 over the UTF-8 bytes of the document, the
 * construction of the AuthZEN access-request draft's binding_hash (over the Cedar request the
 * PDP decides, where the draft hashes the AuthZEN one).
 *
 * Excluded context paths name a key of the context ("time") or of a record inside it
 * ("session.action_count"); a path that names nothing is ignored. "approval", where the caller
 * names the approval it retries with, is always excluded: the retry must hash like the request
 * that was approved.
 * </pre>
 *
 * @param json the bound document
 * @param hash its hash
 * @param principal the principal uid as Cedar writes it, for listing
 * @param action the action uid
 * @param resource the resource uid
 */
public record ApprovalBinding(String json, String hash, String principal, String action, String resource) {
    /** The context key under which a retry may name its approval (never bound). */
    public static final String APPROVAL_KEY = "approval";

    /** Binds {@code request} with its {@code facts}, leaving out the context paths {@code excluded}. */
    public static ApprovalBinding of(Request request, List<Entity> facts, List<String> excluded) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"action\":");
        uid(b, request.action());
        b.append(",\"context\":");
        value(b, relevant(request.context(), excluded));
        if (!facts.isEmpty()) {
            List<String> encoded = new ArrayList<>(facts.size());
            for (Entity e : facts) {
                encoded.add(fact(e));
            }
            b.append(",\"entities\":");
            sortedArray(b, encoded);
        }
        b.append(",\"principal\":");
        uid(b, request.principal());
        b.append(",\"resource\":");
        uid(b, request.resource());
        String json = b.append('}').toString();
        return new ApprovalBinding(
                json,
                hash(json),
                request.principal().toString(),
                request.action().toString(),
                request.resource().toString());
    }

    /** The context without the excluded paths and without {@value #APPROVAL_KEY}. */
    static RecordValue relevant(RecordValue context, List<String> excluded) {
        RecordValue out = without(context, List.of(APPROVAL_KEY));
        for (String path : excluded) {
            out = without(out, List.of(path.split("\\.", -1)));
        }
        return out;
    }

    private static RecordValue without(RecordValue record, List<String> path) {
        String key = path.get(0);
        Value v = record.get(key);
        if (v == null) {
            return record;
        }
        Map<String, Value> attrs = new TreeMap<>(record.attrs());
        if (path.size() == 1) {
            attrs.remove(key);
        } else if (v instanceof RecordValue inner) {
            RecordValue pruned = without(inner, path.subList(1, path.size()));
            if (pruned == inner) {
                return record;
            }
            attrs.put(key, pruned);
        } else {
            return record;
        }
        return new RecordValue(attrs);
    }

    private static String fact(Entity e) {
        StringBuilder b = new StringBuilder();
        b.append("{\"attrs\":");
        record(b, e.attrs());
        b.append(",\"parents\":");
        List<String> parents = new ArrayList<>(e.parents().size());
        for (EntityUid p : e.parents()) {
            StringBuilder pb = new StringBuilder();
            uid(pb, p);
            parents.add(pb.toString());
        }
        sortedArray(b, parents);
        b.append(",\"tags\":");
        record(b, e.tags());
        b.append(",\"uid\":");
        uid(b, e.uid());
        return b.append('}').toString();
    }

    private static void value(StringBuilder b, Value v) {
        switch (v) {
            case BoolValue x -> b.append(x.value());
            case LongValue x -> b.append(x.value());
            case StringValue x -> string(b, x.value());
            case EntityUid x -> {
                b.append("{\"__entity\":");
                uid(b, x);
                b.append('}');
            }
            case SetValue x -> {
                List<String> elements = new ArrayList<>(x.elements().size());
                for (Value e : x.elements()) {
                    StringBuilder eb = new StringBuilder();
                    value(eb, e);
                    elements.add(eb.toString());
                }
                sortedArray(b, elements);
            }
            case RecordValue x -> record(b, x.attrs());
            case ExtValue x -> json(b, ValueJson.toJson(x));
        }
    }

    private static void record(StringBuilder b, Map<String, Value> attrs) {
        b.append('{');
        boolean first = true;
        // String order is UTF-16 code unit order, which is what JCS sorts by
        for (Map.Entry<String, Value> e : new TreeMap<>(attrs).entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, e.getKey());
            b.append(':');
            value(b, e.getValue());
        }
        b.append('}');
    }

    private static void uid(StringBuilder b, EntityUid uid) {
        b.append("{\"id\":");
        string(b, uid.id());
        b.append(",\"type\":");
        string(b, uid.type().name());
        b.append('}');
    }

    private static void sortedArray(StringBuilder b, List<String> encoded) {
        encoded.sort(null);
        b.append('[').append(String.join(",", encoded)).append(']');
    }

    /** Extension values, which Cedar JSON writes as small objects of strings. */
    private static void json(StringBuilder b, JsonNode n) {
        if (n.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                fields.put(f.getKey(), f.getValue());
            }
            b.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> f : fields.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                string(b, f.getKey());
                b.append(':');
                json(b, f.getValue());
            }
            b.append('}');
        } else if (n.isArray()) {
            b.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                json(b, n.get(i));
            }
            b.append(']');
        } else if (n.isTextual()) {
            string(b, n.textValue());
        } else {
            b.append(n.toString()); // numbers, booleans, null: already canonical
        }
    }

    /** JCS string escaping (that of ECMAScript's JSON.stringify). */
    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    // an unpaired surrogate has no UTF-8 form: escaped, it cannot collide with '?'
                    boolean paired = Character.isHighSurrogate(c)
                            ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                            : Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
                    if (c < 0x20 || (Character.isSurrogate(c) && !paired)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    static String hash(String json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
