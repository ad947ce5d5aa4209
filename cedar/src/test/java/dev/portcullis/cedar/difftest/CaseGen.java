package dev.portcullis.cedar.difftest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Generates one complete differential case from a seed: policies text, entities JSON, requests. */
final class CaseGen {
    record Req(Uid principal, Uid action, Uid resource, ObjectNode context) {
        String describe() {
            return "principal=" + principal + " action=" + action + " resource=" + resource + " context=" + context;
        }
    }

    record Case(long seed, String policies, String entities, List<Req> requests) {}

    private CaseGen() {}

    static Case generate(long seed, int requests) {
        return generate(seed, requests, false);
    }

    /** With {@code oddities}, the entities and contexts often carry a {@link Corruptor} oddity. */
    static Case generate(long seed, int requests, boolean oddities) {
        Random r = new Random(seed);
        Universe u = new Universe(r);
        DataGen data = new DataGen(r, u);
        data.cycles = oddities;
        StringBuilder text = new StringBuilder();
        int n = 1 + r.nextInt(6);
        List<String> principalTypes = new ArrayList<>();
        List<String> resourceTypes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String pt = u.randomType().name();
            String rt = u.randomType().name();
            principalTypes.add(pt);
            resourceTypes.add(rt);
            double ill = r.nextInt(4) == 0 ? 0.08 : 0.0;
            ExprGen g = new ExprGen(r, u, data, pt, rt, ill);
            text.append(policy(r, u, data, g)).append('\n');
        }
        String entities = oddities
                ? Corruptor.entities(data.entities(), r)
                : data.entities().toString();
        List<Req> reqs = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            int k = r.nextInt(n);
            Uid p = data.requestEntity(principalTypes.get(k));
            Uid a = r.nextInt(20) == 0 ? new Uid(u.actionType, "ghost") : data.actions.get(r.nextInt(4));
            Uid res = data.requestEntity(resourceTypes.get(k));
            reqs.add(new Req(p, a, res, oddities ? Corruptor.context(data.context(), r) : data.context()));
        }
        return new Case(seed, text.toString(), entities, reqs);
    }

    static String policy(Random r, Universe u, DataGen data, ExprGen g) {
        StringBuilder b = new StringBuilder();
        if (r.nextInt(6) == 0) {
            b.append("@id(").append(Lits.quote("p" + r.nextInt(100), r)).append(")\n");
        }
        if (r.nextInt(10) == 0) {
            b.append("@advice\n");
        }
        if (r.nextInt(300) == 0) {
            b.append("@id(\"a\") @id(\"b\")\n"); // duplicate annotation: a parse error
        }
        if (r.nextInt(8) == 0) {
            b.append("// a comment with \"quotes\" and ; semicolons\n");
        }
        b.append(r.nextInt(3) == 0 ? "forbid" : "permit").append(" (\n  ");
        b.append(scope("principal", g.principalType, r, data, g)).append(",\n  ");
        b.append(actionScope(r, u, data)).append(",\n  ");
        b.append(scope("resource", g.resourceType, r, data, g)).append("\n)");
        int conditions = r.nextInt(3);
        for (int i = 0; i < conditions; i++) {
            b.append(r.nextInt(3) == 0 ? " unless { " : " when { ");
            b.append(g.text(Ty.BOOL, 1 + r.nextInt(4))).append(" }");
        }
        return b.append(";").toString();
    }

    private static String scope(String var, String type, Random r, DataGen data, ExprGen g) {
        return switch (r.nextInt(7)) {
            case 0, 1 -> var;
            case 2 ->
                var + " == "
                        + data.uidOf(r.nextInt(4) == 0 ? g.pickType() : type).cedar();
            case 3 -> var + " in " + data.uidOf(g.pickType()).cedar();
            case 4 -> var + " is " + type;
            case 5 -> var + " is " + type + " in " + data.uidOf(g.pickType()).cedar();
            case 6 ->
                r.nextInt(50) == 0
                        ? var + " in [" + data.uidOf(type).cedar() + "]" // not allowed in principal/resource scope
                        : r.nextInt(8) == 0 ? var + (r.nextBoolean() ? " == ?" : " in ?") + var : var; // a template
            default -> var;
        };
    }

    private static String actionScope(Random r, Universe u, DataGen data) {
        return switch (r.nextInt(5)) {
            case 0, 1 -> "action";
            case 2 -> "action == " + data.uidOf(u.actionType).cedar();
            case 3 ->
                "action in "
                        + data.uidOf(r.nextInt(60) == 0 ? u.randomType().name() : u.actionType)
                                .cedar();
            default -> {
                List<String> l = new ArrayList<>();
                int n = r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    l.add(data.uidOf(u.actionType).cedar());
                }
                yield "action in [" + String.join(", ", l) + "]";
            }
        };
    }
}
