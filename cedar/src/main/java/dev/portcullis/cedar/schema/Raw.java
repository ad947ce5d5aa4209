package dev.portcullis.cedar.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The schema as written, before name resolution: what both the Cedar-format parser and the JSON
 * parser produce, so that one resolver gives both formats the same meaning. Every piece that can
 * be wrong after parsing carries {@code where}: {@code line:col} or a JSON path.
 */
final class Raw {
    private Raw() {}

    /** A type as written. */
    sealed interface Type permits Prim, SetOf, Rec, EntityRef, Extension, Name, CommonRef {
        String where();
    }

    enum PrimKind {
        LONG,
        STRING,
        BOOL
    }

    /** {@code "Long"}, {@code "String"} or {@code "Boolean"} in JSON: never shadowed by a declaration. */
    record Prim(PrimKind kind, String where) implements Type {}

    record SetOf(Type element, String where) implements Type {}

    record Rec(Map<String, Attr> attrs, boolean open, String where) implements Type {}

    record Attr(Type type, boolean required, Map<String, String> annotations) {}

    /** JSON {@code {"type": "Entity", "name": ...}}: the name must be an entity type. */
    record EntityRef(String name, String where) implements Type {}

    /** JSON {@code {"type": "Extension", "name": ...}}. */
    record Extension(String name, String where) implements Type {}

    /**
     * A name that may denote a common type, an entity type or a built-in type (Cedar format paths,
     * JSON {@code EntityOrCommon} and JSON common-type references).
     */
    record Name(String name, String where) implements Type {}

    /**
     * JSON {@code {"type": "X"}} for a name that is not a type keyword: a common type or a
     * built-in type, never an entity type (Cedar rejects that; {@code EntityOrCommon} allows it).
     */
    record CommonRef(String name, String where) implements Type {}

    /** An entity type name in {@code in}, {@code principal} or {@code resource} position. */
    record TypeRef(String name, String where) {}

    /** A parent action: {@code type} is {@code null} for "an action of this namespace". */
    record ActionRef(String type, String id, String where) {}

    record AppliesTo(List<TypeRef> principals, List<TypeRef> resources, Type context) {}

    record Entity(
            String where,
            List<TypeRef> memberOf,
            Type shape,
            Type tags,
            List<String> enumIds,
            Map<String, String> annotations) {}

    /** {@code appliesTo} is {@code null} when the declaration has none. */
    record Action(String where, List<ActionRef> memberOf, AppliesTo appliesTo, Map<String, String> annotations) {}

    record Common(String where, Type type, Map<String, String> annotations) {}

    /** One namespace; the empty namespace has name {@code ""}. Declaration order is kept. */
    static final class Namespace {
        final String name;
        final String where;
        final Map<String, String> annotations;
        final Map<String, Common> commonTypes = new LinkedHashMap<>();
        final Map<String, Entity> entityTypes = new LinkedHashMap<>();
        final Map<String, Action> actions = new LinkedHashMap<>();

        Namespace(String name, String where, Map<String, String> annotations) {
            this.name = name;
            this.where = where;
            this.annotations = annotations;
        }

        String qualify(String basename) {
            return name.isEmpty() ? basename : name + "::" + basename;
        }
    }
}
