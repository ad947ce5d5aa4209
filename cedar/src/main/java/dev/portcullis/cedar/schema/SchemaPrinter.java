package dev.portcullis.cedar.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.cedar.value.Strings;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates schemas between the Cedar format and the JSON format, keeping what the author wrote:
 * namespaces, declaration order, common types (as common types, not inlined) and annotations.
 *
 * <p>It works on the {@link Raw} parse tree rather than the resolved {@link Schema}, because
 * resolution inlines common types. The input is resolved first so that an invalid schema is
 * reported as such instead of being translated. Names are then written so that they resolve, in
 * the target format, to the same declaration they resolved to in the source: a Cedar-format name
 * becomes a JSON {@code Entity} or common-type reference, and a JSON primitive or entity reference
 * that a declaration would shadow in the Cedar format is written {@code __cedar::Long} or fully
 * qualified. One JSON schema the Cedar format cannot say as written: an action with an empty
 * {@code principalTypes} or {@code resourceTypes}; it is printed without {@code appliesTo}, which
 * means the same (no request may use the action) but drops its context type.
 */
public final class SchemaPrinter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Words a Cedar-format attribute name cannot be written as without quotes. */
    private static final Set<String> RESERVED =
            Set.of("true", "false", "if", "then", "else", "in", "is", "like", "has", "__cedar");

    private final List<Raw.Namespace> namespaces;
    private final Set<String> commons = new HashSet<>();
    private final Set<String> entities = new HashSet<>();

    private SchemaPrinter(List<Raw.Namespace> namespaces) {
        this.namespaces = namespaces;
        for (Raw.Namespace ns : namespaces) {
            ns.commonTypes.keySet().forEach(n -> commons.add(ns.qualify(n)));
            ns.entityTypes.keySet().forEach(n -> entities.add(ns.qualify(n)));
        }
    }

    /** The Cedar-format schema {@code text} in the JSON format; throws {@link SchemaException} if invalid. */
    public static String cedarToJson(String text) {
        List<Raw.Namespace> raw = CedarSchemaParser.parse(text);
        Resolver.resolve(raw);
        return new SchemaPrinter(raw).json();
    }

    /** The JSON-format schema {@code json} in the Cedar format; throws {@link SchemaException} if invalid. */
    public static String jsonToCedar(String json) {
        List<Raw.Namespace> raw = JsonSchemaParser.parse(json);
        Resolver.resolve(raw);
        return new SchemaPrinter(raw).cedar();
    }

    /** Re-prints a Cedar-format schema in canonical layout. */
    public static String formatCedar(String text) {
        List<Raw.Namespace> raw = CedarSchemaParser.parse(text);
        Resolver.resolve(raw);
        return new SchemaPrinter(raw).cedar();
    }

    /** Re-prints a JSON-format schema in canonical layout. */
    public static String formatJson(String json) {
        List<Raw.Namespace> raw = JsonSchemaParser.parse(json);
        Resolver.resolve(raw);
        return new SchemaPrinter(raw).json();
    }

    // ---------------------------------------------------------------- JSON

    private String json() {
        ObjectNode root = NODES.objectNode();
        for (Raw.Namespace ns : namespaces) {
            if (ns.name.isEmpty() && ns.commonTypes.isEmpty() && ns.entityTypes.isEmpty() && ns.actions.isEmpty()) {
                continue; // the Cedar parser always creates the empty namespace
            }
            root.set(ns.name, namespaceJson(ns));
        }
        // `"key": value`, two-space indents and one-line arrays of names, as Cedar's tools print
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withArrayEmptySeparator("")
                        .withObjectEmptySeparator(""))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultPrettyPrinter.NopIndenter());
        try {
            return JSON.writer(pp).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode namespaceJson(Raw.Namespace ns) {
        ObjectNode out = NODES.objectNode();
        putAnnotations(out, ns.annotations);
        if (!ns.commonTypes.isEmpty()) {
            ObjectNode commonsNode = out.putObject("commonTypes");
            ns.commonTypes.forEach((name, c) -> {
                ObjectNode t = typeJson(c.type(), ns.name);
                putAnnotations(t, c.annotations());
                commonsNode.set(name, t);
            });
        }
        ObjectNode entityNode = out.putObject("entityTypes");
        ns.entityTypes.forEach((name, e) -> entityNode.set(name, entityJson(e, ns.name)));
        ObjectNode actionNode = out.putObject("actions");
        ns.actions.forEach((name, a) -> actionNode.set(name, actionJson(a, ns.name)));
        return out;
    }

    private ObjectNode entityJson(Raw.Entity e, String ns) {
        ObjectNode out = NODES.objectNode();
        putAnnotations(out, e.annotations());
        if (!e.memberOf().isEmpty()) {
            ArrayNode m = out.putArray("memberOfTypes");
            e.memberOf().forEach(r -> m.add(r.name()));
        }
        if (e.enumIds() != null) {
            ArrayNode ids = out.putArray("enum");
            e.enumIds().forEach(ids::add);
        }
        if (e.shape() != null) {
            out.set("shape", typeJson(e.shape(), ns));
        }
        if (e.tags() != null) {
            out.set("tags", typeJson(e.tags(), ns));
        }
        return out;
    }

    private ObjectNode actionJson(Raw.Action a, String ns) {
        ObjectNode out = NODES.objectNode();
        putAnnotations(out, a.annotations());
        if (!a.memberOf().isEmpty()) {
            ArrayNode m = out.putArray("memberOf");
            for (Raw.ActionRef r : a.memberOf()) {
                ObjectNode ref = m.addObject().put("id", r.id());
                if (r.type() != null) {
                    ref.put("type", r.type());
                }
            }
        }
        if (a.appliesTo() != null) {
            ObjectNode at = out.putObject("appliesTo");
            ArrayNode p = at.putArray("principalTypes");
            a.appliesTo().principals().forEach(r -> p.add(r.name()));
            ArrayNode r = at.putArray("resourceTypes");
            a.appliesTo().resources().forEach(x -> r.add(x.name()));
            if (a.appliesTo().context() != null) {
                at.set("context", typeJson(a.appliesTo().context(), ns));
            }
        }
        return out;
    }

    private ObjectNode typeJson(Raw.Type t, String ns) {
        ObjectNode out = NODES.objectNode();
        switch (t) {
            case Raw.Prim p -> out.put("type", primJsonName(p.kind()));
            case Raw.SetOf s -> out.put("type", "Set").set("element", typeJson(s.element(), ns));
            case Raw.Rec r -> {
                out.put("type", "Record");
                ObjectNode attrs = out.putObject("attributes");
                r.attrs().forEach((name, attr) -> {
                    ObjectNode a = typeJson(attr.type(), ns);
                    if (!attr.required()) {
                        a.put("required", false);
                    }
                    putAnnotations(a, attr.annotations());
                    attrs.set(name, a);
                });
            }
            case Raw.EntityRef e -> out.put("type", "Entity").put("name", e.name());
            case Raw.Extension x -> out.put("type", "Extension").put("name", x.name());
            case Raw.Name n -> nameJson(out, n.name(), ns);
            case Raw.CommonRef n -> {
                if (n.name().startsWith("__cedar::")) {
                    builtinJson(out, n.name().substring("__cedar::".length()));
                } else if (isCommon(n.name(), ns)) {
                    out.put("type", n.name());
                } else {
                    builtinJson(out, n.name());
                }
            }
        }
        return out;
    }

    /** Whether a JSON common-type reference names a common type (otherwise it names a built-in). */
    private boolean isCommon(String name, String ns) {
        for (String c : candidates(name, ns)) {
            if (commons.contains(c)) {
                return true;
            }
        }
        return false;
    }

    /** A Cedar-format name, written as what it resolves to (as Cedar's resolved translation does). */
    private void nameJson(ObjectNode out, String name, String ns) {
        if (name.startsWith("__cedar::")) {
            builtinJson(out, name.substring("__cedar::".length()));
            return;
        }
        for (String c : candidates(name, ns)) {
            if (commons.contains(c)) {
                if (name.equals("EntityOrCommon")) {
                    out.put("type", "EntityOrCommon").put("name", name);
                } else {
                    out.put("type", name);
                }
                return;
            }
            if (entities.contains(c)) {
                out.put("type", "Entity").put("name", name);
                return;
            }
        }
        builtinJson(out, name);
    }

    private static void builtinJson(ObjectNode out, String name) {
        switch (name) {
            case "Long" -> out.put("type", "Long");
            case "String" -> out.put("type", "String");
            case "Bool" -> out.put("type", "Boolean");
            default -> out.put("type", "Extension").put("name", name);
        }
    }

    private static String primJsonName(Raw.PrimKind k) {
        return switch (k) {
            case LONG -> "Long";
            case STRING -> "String";
            case BOOL -> "Boolean";
        };
    }

    private static void putAnnotations(ObjectNode out, Map<String, String> annotations) {
        if (!annotations.isEmpty()) {
            ObjectNode a = out.putObject("annotations");
            annotations.forEach(a::put);
        }
    }

    // ---------------------------------------------------------------- Cedar format

    private String cedar() {
        StringBuilder b = new StringBuilder();
        for (Raw.Namespace ns : namespaces) {
            boolean empty = ns.commonTypes.isEmpty() && ns.entityTypes.isEmpty() && ns.actions.isEmpty();
            if (ns.name.isEmpty()) {
                if (!empty) {
                    declarations(b, ns, "");
                    b.append('\n');
                }
                continue;
            }
            annotations(b, ns.annotations, "");
            b.append("namespace ").append(ns.name).append(" {\n");
            declarations(b, ns, "  ");
            b.append("}\n\n");
        }
        String s = b.toString().stripTrailing();
        return s.isEmpty() ? "" : s + "\n";
    }

    private void declarations(StringBuilder b, Raw.Namespace ns, String indent) {
        ns.commonTypes.forEach((name, c) -> {
            annotations(b, c.annotations(), indent);
            b.append(indent).append("type ").append(name).append(" = ");
            type(b, c.type(), ns.name, indent);
            b.append(";\n");
        });
        ns.entityTypes.forEach((name, e) -> entity(b, name, e, ns.name, indent));
        ns.actions.forEach((name, a) -> action(b, name, a, ns.name, indent));
    }

    private void entity(StringBuilder b, String name, Raw.Entity e, String ns, String indent) {
        annotations(b, e.annotations(), indent);
        b.append(indent).append("entity ").append(name);
        if (e.enumIds() != null) {
            if (!e.memberOf().isEmpty()) {
                throw new SchemaException("entity type `" + ns(ns, name)
                        + "` is enumerated and has `memberOfTypes`, which the Cedar format cannot express");
            }
            b.append(" enum [");
            for (int i = 0; i < e.enumIds().size(); i++) {
                b.append(i == 0 ? "" : ", ").append(Strings.quote(e.enumIds().get(i)));
            }
            b.append("];\n");
            return;
        }
        if (!e.memberOf().isEmpty()) {
            b.append(" in ");
            typeRefs(b, e.memberOf());
        }
        if (e.shape() != null) {
            if (!(e.shape() instanceof Raw.Rec)) {
                // a common type used as the shape: the Cedar format only takes a record literal here
                throw new SchemaException("the shape of entity type `" + ns(ns, name)
                        + "` is not a record literal, which the Cedar format cannot express");
            }
            b.append(' ');
            type(b, e.shape(), ns, indent);
        }
        if (e.tags() != null) {
            b.append(" tags ");
            type(b, e.tags(), ns, indent);
        }
        b.append(";\n");
    }

    private void action(StringBuilder b, String name, Raw.Action a, String ns, String indent) {
        annotations(b, a.annotations(), indent);
        b.append(indent).append("action ").append(Strings.quote(name));
        if (!a.memberOf().isEmpty()) {
            b.append(" in [");
            for (int i = 0; i < a.memberOf().size(); i++) {
                Raw.ActionRef r = a.memberOf().get(i);
                b.append(i == 0 ? "" : ", ");
                if (r.type() != null) {
                    b.append(r.type()).append("::");
                }
                b.append(Strings.quote(r.id()));
            }
            b.append(']');
        }
        // The Cedar format has no empty `principal: []`; an action that applies to no principal
        // (or no resource) can never be requested, so it is written without `appliesTo`, as Cedar's
        // own translation does (its context type, unusable, is dropped).
        boolean applies = a.appliesTo() != null
                && !a.appliesTo().principals().isEmpty()
                && !a.appliesTo().resources().isEmpty();
        if (applies) {
            String inner = indent + "  ";
            b.append(" appliesTo {\n");
            b.append(inner).append("principal: ");
            typeRefs(b, a.appliesTo().principals());
            b.append(",\n").append(inner).append("resource: ");
            typeRefs(b, a.appliesTo().resources());
            if (a.appliesTo().context() != null) {
                b.append(",\n").append(inner).append("context: ");
                type(b, a.appliesTo().context(), ns, inner);
            }
            b.append('\n').append(indent).append('}');
        }
        b.append(";\n");
    }

    private static void typeRefs(StringBuilder b, List<Raw.TypeRef> refs) {
        b.append('[');
        for (int i = 0; i < refs.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(refs.get(i).name());
        }
        b.append(']');
    }

    private void type(StringBuilder b, Raw.Type t, String ns, String indent) {
        switch (t) {
            case Raw.Prim p ->
                b.append(builtinName(
                        switch (p.kind()) {
                            case LONG -> "Long";
                            case STRING -> "String";
                            case BOOL -> "Bool";
                        },
                        ns));
            case Raw.Extension x -> b.append(builtinName(x.name(), ns));
            case Raw.SetOf s -> {
                b.append("Set<");
                type(b, s.element(), ns, indent);
                b.append('>');
            }
            case Raw.Rec r -> record(b, r, ns, indent);
            case Raw.EntityRef e -> b.append(entityName(e.name(), ns));
            case Raw.Name n -> b.append(n.name());
            // a common type wins over an entity type of the same name in the Cedar format too
            case Raw.CommonRef n ->
                b.append(
                        n.name().startsWith("__cedar::") || isCommon(n.name(), ns)
                                ? n.name()
                                : builtinName(n.name(), ns));
        }
    }

    private void record(StringBuilder b, Raw.Rec r, String ns, String indent) {
        if (r.attrs().isEmpty()) {
            b.append("{}");
            return;
        }
        String inner = indent + "  ";
        b.append("{\n");
        int i = 0;
        for (var e : r.attrs().entrySet()) {
            Raw.Attr attr = e.getValue();
            annotations(b, attr.annotations(), inner);
            b.append(inner).append(attributeName(e.getKey()));
            b.append(attr.required() ? ": " : "?: ");
            type(b, attr.type(), ns, inner);
            b.append(++i < r.attrs().size() ? ",\n" : "\n");
        }
        b.append(indent).append('}');
    }

    /** A built-in type's name, qualified with {@code __cedar} when a declaration would shadow it. */
    private String builtinName(String name, String ns) {
        for (String c : candidates(name, ns)) {
            if (commons.contains(c) || entities.contains(c)) {
                return "__cedar::" + name;
            }
        }
        return name;
    }

    /**
     * A JSON entity reference written so that the Cedar format's name lookup (common types first)
     * finds the same entity type.
     */
    private String entityName(String name, String ns) {
        String target = null;
        for (String c : candidates(name, ns)) {
            if (entities.contains(c)) {
                target = c;
                break;
            }
        }
        if (target == null) {
            throw new SchemaException("undeclared entity type `" + name + "`");
        }
        if (firstDeclared(name, ns).equals(target) && !commons.contains(target)) {
            return name;
        }
        if (firstDeclared(target, ns).equals(target) && !commons.contains(target)) {
            return target;
        }
        throw new SchemaException("entity type `" + target + "` is shadowed by a common type in namespace `" + ns
                + "`, which the Cedar format cannot express");
    }

    /** The first candidate of {@code name} in {@code ns} that any declaration has, or "". */
    private String firstDeclared(String name, String ns) {
        for (String c : candidates(name, ns)) {
            if (commons.contains(c) || entities.contains(c)) {
                return c;
            }
        }
        return "";
    }

    private static String attributeName(String name) {
        return Names.isIdent(name) && !RESERVED.contains(name) ? name : Strings.quote(name);
    }

    private static void annotations(StringBuilder b, Map<String, String> annotations, String indent) {
        annotations.forEach((k, v) -> {
            b.append(indent).append('@').append(k);
            if (!v.isEmpty()) {
                b.append('(').append(Strings.quote(v)).append(')');
            }
            b.append('\n');
        });
    }

    private static List<String> candidates(String name, String ns) {
        if (name.contains("::") || ns.isEmpty()) {
            return List.of(name);
        }
        return List.of(ns + "::" + name, name);
    }

    private static String ns(String ns, String name) {
        return ns.isEmpty() ? name : ns + "::" + name;
    }
}
