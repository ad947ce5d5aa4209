package dev.portcullis.cedar.difftest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Random;

/**
 * Rare, deliberate oddities in the entity and context JSON: values Cedar rejects (floats, nulls,
 * out-of-range integers, bad extension escapes, unknown fields, duplicate keys or entities) and
 * unusual spellings it may accept (escaped uids, missing optional fields). Both engines must
 * agree on accepting or rejecting them.
 */
final class Corruptor {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Corruptor() {}

    /** The entities JSON text, possibly with one oddity (some only expressible as raw text). */
    static String entities(ArrayNode all, Random r) {
        if (all.isEmpty() || r.nextInt(3) == 0) {
            return all.toString();
        }
        ObjectNode e = (ObjectNode) all.get(r.nextInt(all.size()));
        ObjectNode attrs = (ObjectNode) e.get("attrs");
        switch (r.nextInt(16)) {
            case 0 -> attrs.set("bad", odd(r));
            case 1 -> {
                // a duplicate key can only be written as text; the text must stay valid JSON (a
                // trailing comma before an empty object's `}` made cedar-java panic, not reject)
                String s = all.toString();
                String dup = "\"dup\":1,\"dup\":" + (r.nextBoolean() ? "1" : "2");
                int at = s.indexOf("\"attrs\":{");
                if (at < 0) {
                    return s;
                }
                int after = at + "\"attrs\":{".length();
                return s.substring(0, after) + dup + (s.charAt(after) == '}' ? "" : ",") + s.substring(after);
            }
            case 2 -> e.put("extra", 1);
            case 3 -> e.remove("attrs");
            case 4 -> e.remove("parents");
            case 5 -> {
                ObjectNode wrapped = F.objectNode();
                wrapped.set("__entity", e.get("uid"));
                e.set("uid", wrapped);
            }
            case 6 -> all.add(e.deepCopy());
            case 7 -> e.set("parents", F.objectNode());
            case 8 -> {
                ObjectNode p = F.objectNode();
                p.set("__entity", new Uid("Group", "g").json());
                ((ArrayNode) e.withArray("parents")).add(p);
            }
            case 9 -> ((ObjectNode) e.get("uid")).put("type", r.nextBoolean() ? "" : r.nextBoolean() ? "a b" : "Foo::");
            case 10 -> e.set("tags", r.nextBoolean() ? F.nullNode() : F.arrayNode());
            case 11 -> ((ObjectNode) e.get("uid")).put("type", "__cedar::X");
            case 12 -> ((ObjectNode) e.get("uid")).remove("id");
            case 13 -> attrs.putObject("ref").put("__entity", "User::\"a\"");
            case 14 -> e.putObject("tags").set("t", odd(r));
            default -> e.set("attrs", F.arrayNode());
        }
        return all.toString();
    }

    /** A context, possibly with one oddity. */
    static ObjectNode context(ObjectNode ctx, Random r) {
        if (r.nextInt(4) == 0) {
            ctx.set("bad", odd(r));
        }
        return ctx;
    }

    static JsonNode odd(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> F.numberNode(1.5);
            case 1 -> F.nullNode();
            case 2 -> F.numberNode(new java.math.BigInteger("9223372036854775808"));
            case 3 -> extn("decimal", "1.23456");
            case 4 -> extn("foo", "1");
            case 5 -> {
                ObjectNode o = extn("ip", "10.0.0.1");
                ((ObjectNode) o.get("__extn")).put("extra", 1);
                yield o;
            }
            case 6 -> {
                ObjectNode o = F.objectNode();
                o.putObject("__extn").put("fn", "decimal");
                yield o;
            }
            case 7 -> {
                ObjectNode o = F.objectNode();
                o.put("__expr", "1 + 1");
                yield o;
            }
            case 8 -> {
                ObjectNode o = F.objectNode();
                o.set("__entity", new Uid("User", "a").json());
                o.put("other", 1);
                yield o;
            }
            case 9 -> F.numberNode(-9223372036854775808L);
            case 10 -> extn("datetime", "2024-02-30");
            default -> {
                ObjectNode o = F.objectNode();
                o.putObject("__entity").put("type", "User");
                yield o;
            }
        };
    }

    private static ObjectNode extn(String fn, String arg) {
        ObjectNode o = F.objectNode();
        ObjectNode in = o.putObject("__extn");
        in.put("fn", fn);
        in.put("arg", arg);
        return o;
    }
}
