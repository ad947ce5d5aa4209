package dev.portcullis.cedar.difftest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Random;

/** An entity uid as the generators see it: type name and id. */
record Uid(String type, String id) {
    ObjectNode json() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("type", type);
        n.put("id", id);
        return n;
    }

    String cedar() {
        return type + "::" + Lits.quote(id, new Random(id.hashCode()));
    }

    @Override
    public String toString() {
        return cedar();
    }
}
