package dev.portcullis.cedar.difftest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A small random "schema-ish" universe for one differential case: a few entity types (some
 * namespaced) with typed attributes, optional attributes, a tag type and allowed parent types, an
 * action type with an action group, and a context record type. Nothing is validated against it;
 * it only steers the generators towards well-typed expressions and data.
 */
final class Universe {
    record TypeDef(String name, Map<String, Ty> attrs, Set<String> optional, Ty tagType, List<String> parentTypes) {}

    static final List<String> TYPE_POOL =
            List.of("User", "Group", "Doc", "Folder", "App::Doc", "App::Team", "Org::Unit::Member", "Role");
    static final List<String> ATTR_POOL = List.of(
            "name",
            "age",
            "active",
            "level",
            "owner",
            "manager",
            "tags",
            "labels",
            "addr",
            "score",
            "joined",
            "timeout",
            "profile",
            "first name",
            "n-1",
            "then",
            "x",
            "is_admin",
            "",
            "ünï");
    static final List<String> ID_POOL =
            List.of("alice", "bob", "a", "", "with space", "ünï", "quo\"te", "0", "back\\slash", "*");
    static final List<String> ACTION_IDS = List.of("read", "write", "delete", "all");

    final List<TypeDef> types = new ArrayList<>();
    final String actionType;
    final Map<String, Ty> contextFields = new LinkedHashMap<>();

    private final Random r;

    Universe(Random r) {
        this.r = r;
        List<String> names = new ArrayList<>(TYPE_POOL);
        java.util.Collections.shuffle(names, r);
        int n = 2 + r.nextInt(3);
        List<String> chosen = names.subList(0, n);
        for (int i = 0; i < n; i++) {
            String name = chosen.get(i);
            Map<String, Ty> attrs = new LinkedHashMap<>();
            java.util.Set<String> optional = new java.util.HashSet<>();
            int na = 1 + r.nextInt(5);
            for (int k = 0; k < na; k++) {
                String a = ATTR_POOL.get(r.nextInt(ATTR_POOL.size()));
                attrs.put(a, randomTy(chosen, 2));
                if (r.nextInt(4) == 0) {
                    optional.add(a);
                }
            }
            Ty tag = r.nextInt(2) == 0 ? null : randomTy(chosen, 1);
            // parents only among later types (plus itself for groups) so the hierarchy stays acyclic
            List<String> parents = new ArrayList<>();
            for (int j = i; j < n; j++) {
                if ((j > i || r.nextInt(3) == 0) && r.nextInt(3) != 0) {
                    parents.add(chosen.get(j));
                }
            }
            types.add(new TypeDef(name, attrs, optional, tag, parents));
        }
        actionType = r.nextInt(4) == 0 ? "App::Action" : "Action";
        int nc = r.nextInt(5);
        for (int k = 0; k < nc; k++) {
            contextFields.put(ATTR_POOL.get(r.nextInt(ATTR_POOL.size())), randomTy(chosen, 2));
        }
    }

    Ty randomTy(List<String> typeNames, int depth) {
        int k = r.nextInt(depth > 0 ? 12 : 10);
        return switch (k) {
            case 0, 1 -> Ty.LONG;
            case 2 -> Ty.BOOL;
            case 3 -> Ty.STRING;
            case 4 -> Ty.entity(typeNames.get(r.nextInt(typeNames.size())));
            case 5 -> Ty.DECIMAL;
            case 6 -> Ty.IP;
            case 7 -> Ty.DATETIME;
            case 8 -> Ty.DURATION;
            case 9 -> Ty.STRING;
            case 10 -> Ty.set(randomTy(typeNames, depth - 1));
            default -> {
                Map<String, Ty> f = new LinkedHashMap<>();
                int nf = r.nextInt(3);
                for (int i = 0; i < nf; i++) {
                    f.put(ATTR_POOL.get(r.nextInt(ATTR_POOL.size())), randomTy(typeNames, depth - 1));
                }
                yield Ty.record(f);
            }
        };
    }

    /** Any type of this universe, for ill-typed subexpressions and equality operands. */
    Ty anyTy() {
        return randomTy(typeNames(), 1);
    }

    List<String> typeNames() {
        return types.stream().map(TypeDef::name).toList();
    }

    TypeDef def(String typeName) {
        for (TypeDef t : types) {
            if (t.name().equals(typeName)) {
                return t;
            }
        }
        return null;
    }

    TypeDef randomType() {
        return types.get(r.nextInt(types.size()));
    }
}
