package dev.portcullis.cedar.schema;

import dev.portcullis.cedar.schema.SchemaType.Attribute;
import dev.portcullis.cedar.schema.SchemaType.RecordType;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.Strings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives a {@link Raw} schema its meaning, the same for both formats.
 *
 * <p>Name resolution follows Cedar: a name written inside namespace {@code NS} is looked up as
 * {@code NS::name} and then as {@code name} (the empty namespace), each time first as a common
 * type and then as an entity type; an unqualified name that is neither falls back to the built-in
 * primitive and extension types ({@code Long}, {@code ipaddr}, ...), which {@code __cedar::X}
 * names unambiguously. A qualified name is looked up only as written. A JSON common-type
 * reference ({@code {"type": "X"}}) skips the entity types. Common types are inlined; a cycle
 * among them is an error.
 */
final class Resolver {
    private record Scoped<T>(String ns, T decl) {}

    private final Map<String, Scoped<Raw.Common>> commons = new LinkedHashMap<>();
    private final Map<String, Scoped<Raw.Entity>> entities = new LinkedHashMap<>();
    private final Map<EntityUid, Scoped<Raw.Action>> actions = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> namespaceAnnotations = new LinkedHashMap<>();
    private final Map<String, SchemaType> resolvedCommons = new HashMap<>();
    private final Set<String> resolving = new HashSet<>();

    static Schema resolve(List<Raw.Namespace> namespaces) {
        return new Resolver().run(namespaces);
    }

    private Schema run(List<Raw.Namespace> namespaces) {
        for (Raw.Namespace ns : namespaces) {
            collect(ns);
        }
        checkShadowing(namespaces);
        for (String name : commons.keySet()) {
            resolveCommon(name, commons.get(name).decl().where());
        }
        Map<EntityType, EntityTypeDecl> entityDecls = new LinkedHashMap<>();
        entities.forEach((name, scoped) -> entityDecls.put(EntityType.of(name), entityDecl(name, scoped)));
        Map<EntityUid, ActionDecl> actionDecls = new LinkedHashMap<>();
        actions.forEach((uid, scoped) -> actionDecls.put(uid, actionDecl(uid, scoped)));
        checkActionCycles(actionDecls);
        Map<String, SchemaType> commonTypes = new LinkedHashMap<>();
        for (String name : commons.keySet()) {
            commonTypes.put(name, resolvedCommons.get(name));
        }
        return new Schema(entityDecls, actionDecls, commonTypes, namespaceAnnotations);
    }

    private void collect(Raw.Namespace ns) {
        if (!ns.name.isEmpty()) {
            for (String part : ns.name.split("::", -1)) {
                if (part.equals("__cedar")) {
                    throw error(ns.where, "namespace `" + ns.name + "` uses the reserved name `__cedar`");
                }
            }
        }
        if (!ns.annotations.isEmpty()) {
            namespaceAnnotations.put(ns.name, ns.annotations);
        }
        ns.commonTypes.forEach((basename, c) -> {
            if (Names.RESERVED_TYPE_NAMES.contains(basename)) {
                throw error(c.where(), "`" + basename + "` is a reserved name and cannot name a common type");
            }
            checkBasename(basename, c.where());
            commons.put(ns.qualify(basename), new Scoped<>(ns.name, c));
        });
        ns.entityTypes.forEach((basename, e) -> {
            checkBasename(basename, e.where());
            if (basename.equals("Action")) {
                throw error(e.where(), "`Action` cannot be declared as an entity type: it is the type of actions");
            }
            entities.put(ns.qualify(basename), new Scoped<>(ns.name, e));
        });
        EntityType actionType = EntityType.of(ns.qualify("Action"));
        ns.actions.forEach((id, a) -> actions.put(new EntityUid(actionType, id), new Scoped<>(ns.name, a)));
    }

    private static void checkBasename(String basename, String where) {
        if (basename.equals("__cedar")) {
            throw error(where, "`__cedar` is a reserved name");
        }
    }

    /**
     * Cedar forbids a namespaced declaration whose unqualified name is declared in the empty
     * namespace: inside the namespace the unqualified name would silently change meaning.
     */
    private void checkShadowing(List<Raw.Namespace> namespaces) {
        for (Raw.Namespace ns : namespaces) {
            if (ns.name.isEmpty()) {
                continue;
            }
            for (Map<String, ?> decls : List.of(ns.commonTypes, ns.entityTypes)) {
                for (Map.Entry<String, ?> e : decls.entrySet()) {
                    String base = e.getKey();
                    if (commons.containsKey(base) || entities.containsKey(base)) {
                        String where =
                                e.getValue() instanceof Raw.Common c ? c.where() : ((Raw.Entity) e.getValue()).where();
                        throw error(
                                where,
                                "definition of `" + ns.qualify(base)
                                        + "` illegally shadows the existing definition of `" + base + "`");
                    }
                }
            }
            ns.actions.forEach((id, a) -> {
                EntityUid global = new EntityUid(EntityType.of("Action"), id);
                if (actions.containsKey(global)) {
                    throw error(
                            a.where(),
                            "definition of `" + ns.qualify("Action") + "::" + Strings.quote(id)
                                    + "` illegally shadows the existing definition of `" + global + "`");
                }
            });
        }
    }

    private EntityTypeDecl entityDecl(String name, Scoped<Raw.Entity> scoped) {
        Raw.Entity e = scoped.decl();
        RecordType shape = RecordType.EMPTY;
        if (e.shape() != null) {
            SchemaType t = resolveType(e.shape(), scoped.ns());
            if (!(t instanceof RecordType r)) {
                throw error(
                        e.shape().where(), "the shape of entity type `" + name + "` must be a record, not `" + t + "`");
            }
            shape = r;
        }
        Set<EntityType> memberOf = new LinkedHashSet<>();
        for (Raw.TypeRef ref : e.memberOf()) {
            memberOf.add(resolveEntityType(ref.name(), scoped.ns(), ref.where()));
        }
        SchemaType tags = e.tags() == null ? null : resolveType(e.tags(), scoped.ns());
        List<String> enumIds = e.enumIds() == null ? null : new ArrayList<>(new LinkedHashSet<>(e.enumIds()));
        return new EntityTypeDecl(EntityType.of(name), shape, memberOf, tags, enumIds, e.annotations());
    }

    private ActionDecl actionDecl(EntityUid uid, Scoped<Raw.Action> scoped) {
        Raw.Action a = scoped.decl();
        Set<EntityUid> memberOf = new LinkedHashSet<>();
        for (Raw.ActionRef ref : a.memberOf()) {
            memberOf.add(resolveAction(ref, scoped.ns()));
        }
        Set<EntityType> principals = new LinkedHashSet<>();
        Set<EntityType> resources = new LinkedHashSet<>();
        RecordType context = RecordType.EMPTY;
        if (a.appliesTo() != null) {
            for (Raw.TypeRef ref : a.appliesTo().principals()) {
                principals.add(resolveEntityType(ref.name(), scoped.ns(), ref.where()));
            }
            for (Raw.TypeRef ref : a.appliesTo().resources()) {
                resources.add(resolveEntityType(ref.name(), scoped.ns(), ref.where()));
            }
            Raw.Type ctx = a.appliesTo().context();
            if (ctx != null) {
                SchemaType t = resolveType(ctx, scoped.ns());
                if (!(t instanceof RecordType r)) {
                    throw error(ctx.where(), "the context of action `" + uid + "` must be a record, not `" + t + "`");
                }
                context = r;
            }
        }
        return new ActionDecl(uid, memberOf, principals, resources, context, a.annotations());
    }

    private EntityUid resolveAction(Raw.ActionRef ref, String ns) {
        List<String> types = new ArrayList<>();
        if (ref.type() == null) {
            types.add(ns.isEmpty() ? "Action" : ns + "::Action");
        } else {
            if (!ref.type().equals("Action") && !ref.type().endsWith("::Action")) {
                throw error(ref.where(), "`" + ref.type() + "::" + Strings.quote(ref.id()) + "` is not an action");
            }
            types.addAll(candidates(ref.type(), ns));
        }
        for (String t : types) {
            EntityUid uid = new EntityUid(EntityType.of(t), ref.id());
            if (actions.containsKey(uid)) {
                return uid;
            }
        }
        throw error(
                ref.where(), "undeclared action `" + types.get(0) + "::" + Strings.quote(ref.id()) + "` in `memberOf`");
    }

    private void checkActionCycles(Map<EntityUid, ActionDecl> decls) {
        // iterative three-colour DFS: schemas from generators can have long action chains
        Map<EntityUid, Integer> state = new HashMap<>();
        for (EntityUid start : decls.keySet()) {
            if (state.containsKey(start)) {
                continue;
            }
            List<EntityUid> stack = new ArrayList<>(List.of(start));
            List<java.util.Iterator<EntityUid>> iters = new ArrayList<>();
            iters.add(decls.get(start).memberOf().iterator());
            state.put(start, 1);
            while (!stack.isEmpty()) {
                var it = iters.get(iters.size() - 1);
                if (it.hasNext()) {
                    EntityUid next = it.next();
                    Integer s = state.get(next);
                    if (s == null) {
                        state.put(next, 1);
                        stack.add(next);
                        iters.add(decls.get(next).memberOf().iterator());
                    } else if (s == 1) {
                        throw error(
                                actions.get(next).decl().where(),
                                "the action hierarchy has a cycle through `" + next + "`");
                    }
                } else {
                    state.put(stack.remove(stack.size() - 1), 2);
                    iters.remove(iters.size() - 1);
                }
            }
        }
    }

    SchemaType resolveType(Raw.Type t, String ns) {
        return switch (t) {
            case Raw.Prim p ->
                switch (p.kind()) {
                    case LONG -> SchemaType.LONG;
                    case STRING -> SchemaType.STRING;
                    case BOOL -> SchemaType.BOOL;
                };
            case Raw.SetOf s -> new SchemaType.SetType(resolveType(s.element(), ns));
            case Raw.Rec r -> {
                Map<String, Attribute> attrs = new LinkedHashMap<>();
                r.attrs()
                        .forEach((name, attr) -> attrs.put(
                                name,
                                new Attribute(resolveType(attr.type(), ns), attr.required(), attr.annotations())));
                yield new RecordType(attrs, r.open());
            }
            case Raw.EntityRef e -> new SchemaType.EntityRefType(resolveEntityType(e.name(), ns, e.where()));
            case Raw.Extension x -> {
                if (!SchemaType.EXTENSION_NAMES.contains(x.name())) {
                    throw error(x.where(), "unknown extension type `" + x.name() + "`");
                }
                yield new SchemaType.ExtensionType(x.name());
            }
            case Raw.Name n -> resolveName(n.name(), ns, n.where(), true);
            case Raw.CommonRef n -> resolveName(n.name(), ns, n.where(), false);
        };
    }

    private SchemaType resolveName(String name, String ns, String where, boolean entitiesToo) {
        if (name.startsWith("__cedar::")) {
            SchemaType builtin = builtin(name.substring("__cedar::".length()));
            if (builtin == null) {
                throw error(where, "unknown built-in type `" + name + "`");
            }
            return builtin;
        }
        for (String c : candidates(name, ns)) {
            if (commons.containsKey(c)) {
                return resolveCommon(c, where);
            }
            if (entitiesToo && entities.containsKey(c)) {
                return new SchemaType.EntityRefType(EntityType.of(c));
            }
        }
        SchemaType builtin = name.contains("::") ? null : builtin(name);
        if (builtin == null) {
            throw error(where, "undeclared type `" + name + "`");
        }
        return builtin;
    }

    private EntityType resolveEntityType(String name, String ns, String where) {
        for (String c : candidates(name, ns)) {
            if (entities.containsKey(c)) {
                return EntityType.of(c);
            }
        }
        throw error(where, "undeclared entity type `" + name + "`");
    }

    private SchemaType resolveCommon(String fullName, String usedAt) {
        SchemaType done = resolvedCommons.get(fullName);
        if (done != null) {
            return done;
        }
        if (!resolving.add(fullName)) {
            throw error(usedAt, "common type `" + fullName + "` is defined in terms of itself");
        }
        Scoped<Raw.Common> c = commons.get(fullName);
        SchemaType t = resolveType(c.decl().type(), c.ns());
        resolving.remove(fullName);
        resolvedCommons.put(fullName, t);
        return t;
    }

    /** Where an unqualified name inside {@code ns} may point: {@code ns::name}, then {@code name}. */
    private static List<String> candidates(String name, String ns) {
        if (name.contains("::") || ns.isEmpty()) {
            return List.of(name);
        }
        return List.of(ns + "::" + name, name);
    }

    private static SchemaType builtin(String name) {
        return switch (name) {
            case "Long" -> SchemaType.LONG;
            case "String" -> SchemaType.STRING;
            case "Bool" -> SchemaType.BOOL;
            default -> SchemaType.EXTENSION_NAMES.contains(name) ? new SchemaType.ExtensionType(name) : null;
        };
    }

    static SchemaException error(String where, String message) {
        return new SchemaException(where == null || where.isEmpty() ? message : where + ": " + message);
    }
}
