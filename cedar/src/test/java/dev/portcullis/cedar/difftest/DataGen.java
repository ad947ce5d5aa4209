package dev.portcullis.cedar.difftest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates the data side of a case in Cedar's JSON formats: the entity store (attributes,
 * parents, tags; some referenced entities deliberately absent) and request contexts.
 */
final class DataGen {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Random r;
    private final Universe u;
    final Map<String, List<Uid>> present = new LinkedHashMap<>();
    final List<Uid> actions = new ArrayList<>();
    private final double illTypedData;

    /** Whether the entity hierarchy may have cycles (the official engine rejects such a store). */
    boolean cycles;

    DataGen(Random r, Universe u) {
        this.r = r;
        this.u = u;
        this.illTypedData = r.nextInt(3) == 0 ? 0.05 : 0.0;
        for (Universe.TypeDef t : u.types) {
            List<String> ids = new ArrayList<>(Universe.ID_POOL);
            java.util.Collections.shuffle(ids, r);
            List<Uid> uids = new ArrayList<>();
            int n = 1 + r.nextInt(3);
            for (int i = 0; i < n; i++) {
                uids.add(new Uid(t.name(), ids.get(i)));
            }
            present.put(t.name(), uids);
        }
        for (String a : Universe.ACTION_IDS) {
            actions.add(new Uid(u.actionType, a));
        }
    }

    /** A uid of the type: usually one in the store, sometimes one that is missing from it. */
    Uid uidOf(String type) {
        List<Uid> p = present.get(type);
        if (type.equals(u.actionType)) {
            return r.nextInt(8) == 0 ? new Uid(type, "ghost") : actions.get(r.nextInt(actions.size()));
        }
        if (p == null || p.isEmpty() || r.nextInt(6) == 0) {
            return new Uid(type, r.nextBoolean() ? "ghost" : Universe.ID_POOL.get(r.nextInt(Universe.ID_POOL.size())));
        }
        return p.get(r.nextInt(p.size()));
    }

    JsonNode value(Ty t, int depth) {
        if (illTypedData > 0 && r.nextDouble() < illTypedData) {
            t = u.anyTy();
        }
        return switch (t.kind()) {
            case BOOL -> F.booleanNode(r.nextBoolean());
            case LONG -> F.numberNode(Lits.randomLong(r));
            case STRING -> F.textNode(Lits.STRINGS.get(r.nextInt(Lits.STRINGS.size())));
            case ENTITY -> {
                ObjectNode n = F.objectNode();
                Uid uid = uidOf(t.entityType());
                // both the escaped and the implicit form of an entity reference are valid JSON input
                if (r.nextInt(4) == 0) {
                    yield uid.json();
                }
                n.set("__entity", uid.json());
                yield n;
            }
            case SET -> {
                ArrayNode a = F.arrayNode();
                int n = depth > 3 ? 0 : r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    a.add(value(t.elem(), depth + 1));
                }
                yield a;
            }
            case RECORD -> {
                ObjectNode o = F.objectNode();
                for (Map.Entry<String, Ty> f : t.fields().entrySet()) {
                    if (r.nextInt(10) != 0) {
                        o.set(f.getKey(), value(f.getValue(), depth + 1));
                    }
                }
                yield o;
            }
            case DECIMAL -> ext("decimal", Lits.DECIMALS);
            case IP -> ext("ip", Lits.IPS);
            case DATETIME -> ext("datetime", Lits.DATETIMES);
            case DURATION -> ext("duration", Lits.DURATIONS);
        };
    }

    private JsonNode ext(String fn, List<String> pool) {
        ObjectNode inner = F.objectNode();
        inner.put("fn", fn);
        inner.put("arg", pool.get(r.nextInt(pool.size())));
        ObjectNode n = F.objectNode();
        n.set("__extn", inner);
        return n;
    }

    ArrayNode entities() {
        ArrayNode all = F.arrayNode();
        for (Universe.TypeDef t : u.types) {
            for (Uid uid : present.get(t.name())) {
                ObjectNode e = F.objectNode();
                e.set("uid", uid.json());
                ObjectNode attrs = F.objectNode();
                for (Map.Entry<String, Ty> a : t.attrs().entrySet()) {
                    if (!t.optional().contains(a.getKey()) || r.nextBoolean()) {
                        attrs.set(a.getKey(), value(a.getValue(), 0));
                    }
                }
                e.set("attrs", attrs);
                ArrayNode parents = F.arrayNode();
                for (String pt : t.parentTypes()) {
                    if (r.nextInt(3) != 0) {
                        Uid p = uidOf(pt);
                        // same-type parents only "upwards" by id (so the hierarchy is acyclic), except
                        // with oddities on: the official engine rejects an entity store with a cycle
                        boolean upwards = !p.type().equals(uid.type()) || p.id().compareTo(uid.id()) > 0;
                        if (!p.equals(uid) && (upwards || cycles && r.nextInt(5) == 0)) {
                            parents.add(p.json());
                        }
                    }
                }
                e.set("parents", parents);
                if (t.tagType() != null) {
                    ObjectNode tags = F.objectNode();
                    int n = r.nextInt(4);
                    for (int i = 0; i < n; i++) {
                        tags.set(List.of("k", "color", "level", "").get(r.nextInt(4)), value(t.tagType(), 0));
                    }
                    e.set("tags", tags);
                }
                all.add(e);
            }
        }
        for (Uid a : actions) {
            ObjectNode e = F.objectNode();
            e.set("uid", a.json());
            e.set("attrs", F.objectNode());
            ArrayNode parents = F.arrayNode();
            if (!a.id().equals("all")) {
                parents.add(new Uid(a.type(), "all").json());
            }
            e.set("parents", parents);
            all.add(e);
        }
        return all;
    }

    ObjectNode context() {
        ObjectNode o = F.objectNode();
        for (Map.Entry<String, Ty> f : u.contextFields.entrySet()) {
            if (r.nextInt(8) != 0) {
                o.set(f.getKey(), value(f.getValue(), 0));
            }
        }
        return o;
    }

    /** A request principal or resource: mostly of the wanted type, sometimes of another or missing. */
    Uid requestEntity(String wantedType) {
        return r.nextInt(3) == 0 ? uidOf(u.randomType().name()) : uidOf(wantedType);
    }
}
