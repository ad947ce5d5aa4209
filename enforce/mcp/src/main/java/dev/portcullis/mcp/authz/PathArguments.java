package dev.portcullis.mcp.authz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.SetValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import dev.portcullis.mcp.McpCall;
import dev.portcullis.mcp.authz.CoazSettings.PathSettings;
import dev.portcullis.mcp.authz.CoazSettings.ToolPaths;
import dev.portcullis.pdp.DecisionService;
import dev.portcullis.pdp.authzen.AuthZenMapping;
import dev.portcullis.pdp.entity.EntityProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * COAZ-MCP: every client message becomes one or more AuthZEN evaluations (the binding's default
 * mapping for its method, or a tool's declared {@code x-authzen-mapping}), mapped to Cedar through
 * {@link AuthZenMapping} and decided in-process by {@link DecisionService}. See {@code
 * docs/mcp-authorization.md}.
 *
 * <pre>
 * tools/call
 *   1. visibility: tools/list on Tool::NAME (as in list filtering)  deny → -32602 unknown tool
 *   2. path arguments normalized in params (what is forwarded)      refused → denied
 *   3. the declared mapping of the tool, else the default one: one or more evaluations, each
 *      with context {agent, ..., method, tool, arguments, upstream}
 *   4. per path argument: ACCESS on File::PATH (parents: Folder::each ancestor and itself)
 *   5. all decided in the call's session (one batch);
 *
 * /**
 * The path arguments of tool calls (COAZ-MCP authorizer): found by name, normalized in place (see
 * {@link PathNormalizer}) so that what is decided is what the upstream opens, and each decided as
 * a file entity whose parents are its folders, carrying the labels of the folders it is in.
 */
final class PathArguments {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final PathSettings ps;
    private final AuthZenMapping mapping;
    private final EntityProvider entities;

    PathArguments(PathSettings ps, AuthZenMapping mapping, EntityProvider entities) {
        this.ps = ps;
        this.mapping = mapping;
        this.entities = entities;
    }

    record PathArg(String argument, String path, String access) {}

    /** Normalizes the path arguments of a tools/call in place; returns them for their decisions. */
    List<PathArg> normalize(McpCall call, String tool) {
        if (!ps.enabled()) {
            return List.of();
        }
        ToolPaths tp = call.clientName() != null && ps.tools().containsKey(call.clientName())
                ? ps.tools().get(call.clientName())
                : ps.tools().get(tool);
        Set<String> names = new LinkedHashSet<>(ps.arguments());
        if (tp != null) {
            names.addAll(tp.arguments());
        }
        String access = tp != null ? tp.access() : ps.defaultAccess();
        JsonNode argsNode = call.params().get("arguments");
        if (!(argsNode instanceof ObjectNode args)) {
            return List.of();
        }
        List<PathArg> out = new ArrayList<>();
        for (String name : names) {
            JsonNode v = args.get(name);
            if (v == null || v.isNull()) {
                continue;
            }
            if (v.isTextual()) {
                String n = PathNormalizer.normalizeOrThrow(v.asText(), ps.root(), ps.realpath());
                args.put(name, n);
                out.add(new PathArg(name, n, access));
            } else if (v instanceof ArrayNode arr) {
                for (int i = 0; i < arr.size(); i++) {
                    if (!arr.get(i).isTextual()) {
                        throw new MappingException("path argument `" + name + "[" + i + "]` is not a string");
                    }
                    String n = PathNormalizer.normalizeOrThrow(arr.get(i).asText(), ps.root(), ps.realpath());
                    arr.set(i, JSON.textNode(n));
                    out.add(new PathArg(name, n, access));
                }
            } else {
                throw new MappingException("path argument `" + name + "` is not a string");
            }
        }
        return out;
    }

    /** The evaluation of one path argument: {@code first}'s subject and context, the path as a resource. */
    CoazAuthorizer.Eval evaluation(CoazAuthorizer.Eval first, PathArg p) {
        ObjectNode action = JSON.objectNode().put("name", p.access());
        ObjectNode resource = JSON.objectNode().put("type", ps.entityType()).put("id", p.path());
        ObjectNode ctx = first.context().deepCopy();
        ctx.put("path_argument", p.argument());
        EntityType folder = EntityType.of(ps.folderType());
        Set<EntityUid> parents = new LinkedHashSet<>();
        for (String f : PathNormalizer.selfAndAncestors(p.path())) {
            parents.add(new EntityUid(folder, f));
        }
        EntityUid uid = mapping.entity(resource, "resource", true);
        Entity fact = new Entity(uid, inheritedLabels(uid, parents), parents, Map.of());
        return new CoazAuthorizer.Eval(first.subject(), action, resource, ctx, List.of(fact));
    }

    /**
     * The label attributes of a path: the union of its own (stored) labels and those of every
     * folder it is in, so that the session step carries a folder's labels into the session.
     */
    private Map<String, Value> inheritedLabels(EntityUid path, Set<EntityUid> folders) {
        List<String> attrs = ps.labelAttributes();
        if (entities == null || attrs.isEmpty()) {
            return Map.of();
        }
        Entities data = entities.current();
        Map<String, Value> out = new LinkedHashMap<>();
        for (String attr : attrs) {
            Set<Value> labels = new LinkedHashSet<>();
            collect(data.get(path), attr, labels);
            for (EntityUid f : folders) {
                collect(data.get(f), attr, labels);
            }
            if (!labels.isEmpty()) {
                out.put(attr, SetValue.of(labels));
            }
        }
        return out;
    }

    private static void collect(Entity e, String attr, Set<Value> into) {
        if (e == null) {
            return;
        }
        switch (e.attrs().get(attr)) {
            case StringValue s -> into.add(s);
            case SetValue set ->
                set.elements().stream().filter(v -> v instanceof StringValue).forEach(into::add);
            case null, default -> {}
        }
    }
}
