package dev.portcullis.cedar.schema;

import dev.portcullis.cedar.schema.CedarSchemaLexer.Kind;
import dev.portcullis.cedar.schema.CedarSchemaLexer.Token;
import dev.portcullis.cedar.value.Strings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recursive-descent parser for the Cedar schema format, one method per grammar rule:
 *
 * <pre>
 * Schema    := {Annotations ('namespace' Path '{' {Decl} '}' | Decl)}
 * Decl      := Annotations (Entity | Action | TypeDecl)
 * Entity    := 'entity' Idents (['in' EntOrTyps] [['='] RecType] ['tags' Type] | 'enum' '[' STRs ']') ';'
 * Action    := 'action' Names ['in' RefOrRefs] ['appliesTo' '{' AppDecls '}'] ';'
 * TypeDecl  := 'type' IDENT '=' Type ';'
 * Type      := 'Set' '<' Type '>' | RecType | Path
 * RecType   := '{' [Annotations Name ['?'] ':' Type {',' ...}] [','] '}'
 * </pre>
 *
 * It produces {@link Raw} declarations; names are resolved later by {@link Resolver}.
 */
final class CedarSchemaParser {
    private final List<Token> tokens;
    private int next;
    private final Map<String, Raw.Namespace> namespaces = new LinkedHashMap<>();
    // the parser recurses once per nested type; this bound keeps hostile input from overflowing
    // the stack (Cedar's own limit for nested JSON is 128)
    static final int MAX_TYPE_DEPTH = 1000;
    private int depth;

    private CedarSchemaParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static List<Raw.Namespace> parse(String text) {
        CedarSchemaParser p = new CedarSchemaParser(CedarSchemaLexer.tokenize(text));
        p.schema();
        return new ArrayList<>(p.namespaces.values());
    }

    private void schema() {
        Raw.Namespace empty = new Raw.Namespace("", "", Map.of());
        namespaces.put("", empty);
        while (peek().kind() != Kind.EOF) {
            Token start = peek();
            Map<String, String> annotations = annotations();
            if (peek().isWord("namespace")) {
                next++;
                Token nameTok = peek();
                String name = path();
                if (namespaces.containsKey(name)) {
                    throw error(nameTok, "namespace `" + name + "` is declared twice");
                }
                Raw.Namespace ns = new Raw.Namespace(name, start.where(), annotations);
                namespaces.put(name, ns);
                expect("{");
                while (!peek().is("}")) {
                    if (peek().kind() == Kind.EOF) {
                        throw error(peek(), "expected `}` to close namespace `" + name + "`, found end of input");
                    }
                    decl(ns, annotations());
                }
                next++;
            } else {
                decl(empty, annotations);
            }
        }
    }

    private void decl(Raw.Namespace ns, Map<String, String> annotations) {
        Token t = peek();
        if (t.isWord("entity")) {
            next++;
            entity(ns, annotations);
        } else if (t.isWord("action")) {
            next++;
            action(ns, annotations);
        } else if (t.isWord("type")) {
            next++;
            typeDecl(ns, annotations);
        } else {
            throw error(t, "expected `entity`, `action`, `type` or `namespace`, found " + t.describe());
        }
    }

    private void entity(Raw.Namespace ns, Map<String, String> annotations) {
        List<Token> names = new ArrayList<>();
        names.add(ident("an entity type name"));
        while (accept(",")) {
            names.add(ident("an entity type name"));
        }
        Raw.Entity decl;
        if (peek().isWord("enum")) {
            next++;
            expect("[");
            List<String> ids = new ArrayList<>();
            do {
                if (peek().is("]")) {
                    break;
                }
                ids.add(string("an enum value"));
            } while (accept(","));
            if (ids.isEmpty()) {
                throw error(peek(), "an enumerated entity type needs at least one value");
            }
            expect("]");
            decl = new Raw.Entity(names.get(0).where(), List.of(), null, null, ids, annotations);
        } else {
            List<Raw.TypeRef> memberOf = List.of();
            if (peek().isWord("in")) {
                next++;
                memberOf = typeRefs();
            }
            Raw.Type shape = null;
            if (accept("=")) {
                if (!peek().is("{")) {
                    throw error(peek(), "expected `{` to start the attributes, found " + peek().describe());
                }
                shape = recordType();
            } else if (peek().is("{")) {
                shape = recordType();
            }
            Raw.Type tags = null;
            if (peek().isWord("tags")) {
                next++;
                tags = type();
            }
            decl = new Raw.Entity(names.get(0).where(), memberOf, shape, tags, null, annotations);
        }
        expect(";");
        for (Token n : names) {
            Raw.Entity d =
                    new Raw.Entity(n.where(), decl.memberOf(), decl.shape(), decl.tags(), decl.enumIds(), annotations);
            if (ns.entityTypes.putIfAbsent(n.text(), d) != null) {
                throw error(n, "entity type `" + ns.qualify(n.text()) + "` is declared twice");
            }
        }
    }

    private void action(Raw.Namespace ns, Map<String, String> annotations) {
        List<Token> names = new ArrayList<>();
        names.add(name("an action name"));
        while (accept(",")) {
            names.add(name("an action name"));
        }
        List<Raw.ActionRef> memberOf = List.of();
        if (peek().isWord("in")) {
            next++;
            memberOf = new ArrayList<>();
            if (accept("[")) {
                while (!peek().is("]")) {
                    memberOf.add(actionRef());
                    if (!accept(",")) {
                        break;
                    }
                }
                expect("]");
            } else {
                memberOf.add(actionRef());
            }
        }
        Raw.AppliesTo appliesTo = null;
        if (peek().isWord("appliesTo")) {
            next++;
            appliesTo = appliesTo();
        }
        expect(";");
        for (Token n : names) {
            if (ns.actions.putIfAbsent(n.text(), new Raw.Action(n.where(), memberOf, appliesTo, annotations)) != null) {
                throw error(n, "action `" + Strings.quote(n.text()) + "` is declared twice");
            }
        }
    }

    private Raw.ActionRef actionRef() {
        Token start = peek();
        if (start.kind() == Kind.STRING) {
            next++;
            return new Raw.ActionRef(null, start.text(), start.where());
        }
        StringBuilder path = new StringBuilder(ident("an action name").text());
        while (accept("::")) {
            if (peek().kind() == Kind.STRING) {
                return new Raw.ActionRef(path.toString(), next().text(), start.where());
            }
            path.append("::").append(ident("an identifier or a string").text());
        }
        if (path.indexOf("::") >= 0) {
            throw error(start, "expected an action such as `" + path + "::\"name\"`, found `" + path + "`");
        }
        return new Raw.ActionRef(null, path.toString(), start.where());
    }

    private Raw.AppliesTo appliesTo() {
        Token open = peek();
        expect("{");
        List<Raw.TypeRef> principals = null;
        List<Raw.TypeRef> resources = null;
        Raw.Type context = null;
        boolean sawContext = false;
        while (!peek().is("}")) {
            Token key = anyIdent("`principal`, `resource` or `context`");
            expect(":");
            switch (key.text()) {
                case "principal" -> {
                    if (principals != null) {
                        throw error(key, "`principal` is declared twice");
                    }
                    principals = nonEmpty(typeRefs(), key);
                }
                case "resource" -> {
                    if (resources != null) {
                        throw error(key, "`resource` is declared twice");
                    }
                    resources = nonEmpty(typeRefs(), key);
                }
                case "context" -> {
                    if (sawContext) {
                        throw error(key, "`context` is declared twice");
                    }
                    sawContext = true;
                    context = type();
                }
                default ->
                    throw error(key, "expected `principal`, `resource` or `context`, found `" + key.text() + "`");
            }
            if (!accept(",")) {
                break;
            }
        }
        expect("}");
        if (principals == null) {
            throw error(open, "`appliesTo` has no `principal` declaration");
        }
        if (resources == null) {
            throw error(open, "`appliesTo` has no `resource` declaration");
        }
        return new Raw.AppliesTo(principals, resources, context);
    }

    private static List<Raw.TypeRef> nonEmpty(List<Raw.TypeRef> refs, Token key) {
        // only the Cedar format forbids `[]` here; JSON's empty list means "applies to nothing"
        if (refs.isEmpty()) {
            throw error(key, "`" + key.text() + "` is `[]`, which is invalid: omit `appliesTo` instead");
        }
        return refs;
    }

    private void typeDecl(Raw.Namespace ns, Map<String, String> annotations) {
        Token name = ident("a type name");
        expect("=");
        Raw.Type t = type();
        expect(";");
        if (ns.commonTypes.putIfAbsent(name.text(), new Raw.Common(name.where(), t, annotations)) != null) {
            throw error(name, "common type `" + ns.qualify(name.text()) + "` is declared twice");
        }
    }

    /** {@code EntOrTyps := Path | '[' [Path {',' Path}] ']'} */
    private List<Raw.TypeRef> typeRefs() {
        List<Raw.TypeRef> refs = new ArrayList<>();
        if (accept("[")) {
            while (!peek().is("]")) {
                Token t = peek();
                refs.add(new Raw.TypeRef(path(), t.where()));
                if (!accept(",")) {
                    break;
                }
            }
            expect("]");
        } else {
            Token t = peek();
            refs.add(new Raw.TypeRef(path(), t.where()));
        }
        return refs;
    }

    private Raw.Type type() {
        Token t = peek();
        if (++depth > MAX_TYPE_DEPTH) {
            throw error(t, "types are nested more than " + MAX_TYPE_DEPTH + " levels deep");
        }
        try {
            return typeBody(t);
        } finally {
            depth--;
        }
    }

    private Raw.Type typeBody(Token t) {
        if (t.is("{")) {
            return recordType();
        }
        if (t.isWord("Set") && peekAt(1).is("<")) {
            next += 2;
            Raw.Type element = type();
            expect(">");
            return new Raw.SetOf(element, t.where());
        }
        if (t.kind() != Kind.IDENT) {
            throw error(t, "expected a type, found " + t.describe());
        }
        return new Raw.Name(path(), t.where());
    }

    private Raw.Rec recordType() {
        Token open = peek();
        expect("{");
        Map<String, Raw.Attr> attrs = new LinkedHashMap<>();
        while (!peek().is("}")) {
            Map<String, String> annotations = annotations();
            Token name = name("an attribute name");
            boolean required = !accept("?");
            expect(":");
            Raw.Type t = type();
            // Cedar accepts an attribute declared twice, and the last declaration wins
            attrs.remove(name.text());
            attrs.put(name.text(), new Raw.Attr(t, required, annotations));
            if (!accept(",")) {
                break;
            }
        }
        expect("}");
        return new Raw.Rec(attrs, false, open.where());
    }

    private Map<String, String> annotations() {
        Map<String, String> out = new LinkedHashMap<>();
        while (peek().is("@")) {
            next++;
            Token key = anyIdent("an annotation name");
            String value = "";
            if (accept("(")) {
                value = string("an annotation value");
                expect(")");
            }
            if (out.putIfAbsent(key.text(), value) != null) {
                throw error(key, "duplicate annotation `@" + key.text() + "`");
            }
        }
        return out;
    }

    private String path() {
        StringBuilder b = new StringBuilder(ident("a name").text());
        while (peek().is("::")) {
            next++;
            b.append("::").append(ident("an identifier").text());
        }
        return b.toString();
    }

    /** An identifier that names something: Cedar's reserved words are not allowed. */
    private Token ident(String what) {
        Token t = anyIdent(what);
        if (Names.RESERVED_IDENTS.contains(t.text())) {
            throw error(t, "`" + t.text() + "` is a reserved identifier");
        }
        return t;
    }

    private Token anyIdent(String what) {
        Token t = peek();
        if (t.kind() != Kind.IDENT) {
            throw error(t, "expected " + what + ", found " + t.describe());
        }
        next++;
        return t;
    }

    /** {@code Name := IDENT | STR} */
    private Token name(String what) {
        Token t = peek();
        if (t.kind() == Kind.IDENT) {
            return ident(what);
        }
        if (t.kind() != Kind.STRING) {
            throw error(t, "expected " + what + ", found " + t.describe());
        }
        next++;
        return t;
    }

    private String string(String what) {
        Token t = peek();
        if (t.kind() != Kind.STRING) {
            throw error(t, "expected " + what + " (a string), found " + t.describe());
        }
        next++;
        return t.text();
    }

    private void expect(String punct) {
        Token t = peek();
        if (!t.is(punct)) {
            throw error(t, "expected `" + punct + "`, found " + t.describe());
        }
        next++;
    }

    private boolean accept(String punct) {
        if (peek().is(punct)) {
            next++;
            return true;
        }
        return false;
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(next + ahead, tokens.size() - 1));
    }

    private Token next() {
        return tokens.get(next++);
    }

    private static SchemaException error(Token t, String message) {
        return new SchemaException(t.where() + ": " + message);
    }
}
