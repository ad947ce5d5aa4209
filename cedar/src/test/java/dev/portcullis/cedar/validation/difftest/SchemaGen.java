package dev.portcullis.cedar.validation.difftest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Generates small random schemas in the Cedar format: a few entity types with attributes of every
 * kind (optional ones included), hierarchies, tags, an enumerated type, and actions with action
 * groups and {@code appliesTo} of varying width, sometimes in a namespace. The policy generator
 * then reads the schema back through Portcullis's parser to know its types.
 */
final class SchemaGen {
    private final Random rnd;

    SchemaGen(Random rnd) {
        this.rnd = rnd;
    }

    String generate() {
        boolean namespaced = rnd.nextInt(4) == 0;
        int nTypes = 2 + rnd.nextInt(3);
        List<String> types = new ArrayList<>();
        for (int i = 0; i < nTypes; i++) {
            types.add("E" + i);
        }
        boolean withEnum = rnd.nextInt(3) == 0;
        StringBuilder b = new StringBuilder();
        if (namespaced) {
            b.append("namespace NS {\n");
        }
        if (rnd.nextInt(3) == 0) {
            b.append("type Common = { x: Long, y?: String };\n");
        }
        for (String t : types) {
            b.append("entity ").append(t);
            Set<String> parents = new LinkedHashSet<>();
            for (String p : types) {
                if (rnd.nextInt(3) == 0) {
                    parents.add(p);
                }
            }
            if (withEnum && rnd.nextBoolean()) {
                parents.add("Color");
            }
            if (!parents.isEmpty()) {
                b.append(" in [").append(String.join(", ", parents)).append(']');
            }
            b.append(" {");
            int nAttrs = rnd.nextInt(5);
            for (int i = 0; i < nAttrs; i++) {
                b.append(i == 0 ? "" : ",").append(' ').append(attrName(i));
                b.append(rnd.nextInt(3) == 0 ? "?: " : ": ").append(type(types, withEnum, 0, b.toString()));
            }
            b.append(" }");
            if (rnd.nextInt(4) == 0) {
                b.append(" tags ").append(rnd.nextBoolean() ? "Long" : "String");
            }
            b.append(";\n");
        }
        if (withEnum) {
            b.append("entity Color enum [\"red\", \"blue\"];\n");
        }
        int nActions = 1 + rnd.nextInt(4);
        if (rnd.nextInt(3) == 0) {
            b.append("action group;\n");
        }
        for (int i = 0; i < nActions; i++) {
            b.append("action a").append(i);
            if (b.indexOf("action group;") >= 0 && rnd.nextBoolean()) {
                b.append(" in [group]");
            }
            if (rnd.nextInt(10) != 0) {
                b.append(" appliesTo { principal: ").append(subset(types, withEnum));
                b.append(", resource: ").append(subset(types, withEnum));
                if (rnd.nextInt(3) != 0) {
                    b.append(", context: {");
                    int n = rnd.nextInt(4);
                    for (int k = 0; k < n; k++) {
                        b.append(k == 0 ? " " : ", ").append("c").append(k);
                        b.append(rnd.nextInt(3) == 0 ? "?: " : ": ").append(type(types, withEnum, 0, ""));
                    }
                    b.append(" }");
                }
                b.append(" }");
            }
            b.append(";\n");
        }
        if (namespaced) {
            b.append("}\n");
        }
        return b.toString();
    }

    private String subset(List<String> types, boolean withEnum) {
        List<String> out = new ArrayList<>();
        for (String t : types) {
            if (rnd.nextInt(2) == 0) {
                out.add(t);
            }
        }
        if (withEnum && rnd.nextInt(4) == 0) {
            out.add("Color");
        }
        // the Cedar format rejects `principal: []` (the JSON format allows an empty list)
        if (out.isEmpty()) {
            out.add(types.get(rnd.nextInt(types.size())));
        }
        return "[" + String.join(", ", out) + "]";
    }

    private static String attrName(int i) {
        return switch (i) {
            case 0 -> "n";
            case 1 -> "s";
            case 2 -> "b";
            case 3 -> "r";
            default -> "z" + i;
        };
    }

    private String type(List<String> types, boolean withEnum, int depth, String sofar) {
        int k = rnd.nextInt(depth > 1 ? 9 : 13);
        return switch (k) {
            case 0, 1 -> "Long";
            case 2, 3 -> "String";
            case 4 -> "Bool";
            case 5, 6 -> types.get(rnd.nextInt(types.size()));
            case 7 -> rnd.nextBoolean() ? "ipaddr" : "decimal";
            case 8 -> withEnum ? "Color" : (rnd.nextBoolean() ? "datetime" : "duration");
            case 9, 10 -> "Set<" + type(types, withEnum, depth + 1, sofar) + ">";
            case 11 -> sofar.contains("type Common") ? "Common" : "{ x: Long, y?: String }";
            default -> "{ p: " + type(types, withEnum, depth + 1, sofar) + ", q?: Bool }";
        };
    }
}
