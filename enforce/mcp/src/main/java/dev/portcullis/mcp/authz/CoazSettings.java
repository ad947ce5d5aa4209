package dev.portcullis.mcp.authz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.pdp.authzen.Mapping;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of the COAZ-MCP authorizer: the {@code authorization} section of the gateway's
 * configuration (see {@code docs/mcp-authorization.md} for every key).
 *
 * @param subjectClaim the subject-identity claim ({@code subject_claim}, default {@code sub})
 * @param agentClaim the claim shown to policies as {@code context.agent} ({@code agent_claim},
 *     default {@code client_id}; absent claims leave it out)
 * @param serverId the resource id of server-scoped methods ({@code server_id}); {@code null}: the
 *     token's {@code aud} (which must then resolve to one value)
 * @param mapping AuthZEN type → Cedar entity type ({@code mapping.types}) and the Cedar action type
 *     ({@code mapping.action_type})
 * @param denyAs how a denied {@code tools/call} answers ({@code deny_as})
 * @param declaredMappings whether tools' {@code x-authzen-mapping} are honoured ({@code
 *     declared_mappings}, default true)
 * @param denyOnPolicyErrors a decision in which a policy failed to evaluate denies ({@code
 *     deny_on_policy_errors}, default true): a forbid that errors on an odd argument must not let
 *     the call through
 * @param sessions which Portcullis session a call runs in ({@code sessions.mode})
 * @param sessionPurpose the purpose of sessions the authorizer starts ({@code sessions.purpose})
 * @param paths path arguments: normalization, root, entities ({@code paths})
 * @param redact argument names and JSON pointers (into {@code params}) whose values the decision
 *     log shows as {@code [redacted]} ({@code redact})
 */
public record CoazSettings(
        String subjectClaim,
        String agentClaim,
        String serverId,
        Mapping mapping,
        DenyAs denyAs,
        boolean declaredMappings,
        boolean denyOnPolicyErrors,
        SessionMode sessions,
        String sessionPurpose,
        PathSettings paths,
        List<String> redact) {

    public CoazSettings {
        Objects.requireNonNull(subjectClaim, "subjectClaim");
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(denyAs, "denyAs");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(paths, "paths");
        sessionPurpose = sessionPurpose == null ? "mcp" : sessionPurpose;
        redact = List.copyOf(redact);
    }

    /** How a {@code tools/call} denied by policy answers the client. */
    public enum DenyAs {
        /** A tool result with {@code isError: true} and the reason (the binding's alternative). */
        RESULT,
        /** A JSON-RPC error {@code -32001} (the binding's default for every method). */
        ERROR
    }

    /** Which Portcullis agent session a call is decided in. */
    public enum SessionMode {
        /** None: decisions outside any session (no {@code context.session}). */
        NONE,
        /** The identity's session ({@link dev.portcullis.mcp.McpIdentity#sessionId()}), else none. */
        IDENTITY,
        /** The identity's session, else one the authorizer starts (and restarts) per subject. */
        PER_IDENTITY,
        /** The identity's session, else one per MCP session (stdio: per subject). */
        PER_MCP_SESSION
    }

    /**
     * Path arguments of tools.
     *
     * @param arguments argument names that hold a path (or an array of paths) in every tool
     * @param tools tool name → its path arguments and the access they are checked for
     * @param root the directory paths must stay in after normalization; {@code null}: any
     *     absolute path
     * @param realpath resolve symbolic links (for upstreams on this machine)
     * @param entityType Cedar type of the entity a path becomes
     * @param folderType Cedar type of its ancestor folders (its parents)
     * @param defaultAccess the action a path argument is checked for when the tool does not say
     * @param labelAttributes attributes of folders (and of the path's own entity) in the entity
     *     store whose string values are data labels: a path carries the labels of every folder it is
     *     in, so that reading it adds them to the session
     */
    public record PathSettings(
            List<String> arguments,
            Map<String, ToolPaths> tools,
            String root,
            boolean realpath,
            String entityType,
            String folderType,
            String defaultAccess,
            List<String> labelAttributes) {
        public PathSettings {
            arguments = List.copyOf(arguments);
            tools = Map.copyOf(tools);
            labelAttributes = List.copyOf(labelAttributes);
        }

        /** Whether any argument is a path. */
        public boolean enabled() {
            return !arguments.isEmpty() || !tools.isEmpty();
        }

        static final PathSettings NONE =
                new PathSettings(List.of(), Map.of(), null, false, "File", "Folder", "read", List.of("classification"));
    }

    /**
     * @param arguments the tool's path arguments (names; added to the global ones)
     * @param access the action the tool's paths are checked for, e.g. {@code read} or {@code write}
     */
    public record ToolPaths(List<String> arguments, String access) {
        public ToolPaths {
            arguments = List.copyOf(arguments);
        }
    }

    /** The binding's defaults, no path arguments, no redaction, no sessions. */
    public static CoazSettings defaults() {
        return new CoazSettings(
                "sub",
                "client_id",
                null,
                defaultMapping(Map.of()),
                DenyAs.RESULT,
                true,
                true,
                SessionMode.IDENTITY,
                "mcp",
                PathSettings.NONE,
                List.of());
    }

    /** AuthZEN types of the binding → Cedar types; {@code types} overrides single entries. */
    static Mapping defaultMapping(Map<String, String> types) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("identity", "Agent");
        t.put("mcp_server", "McpServer");
        t.put("tool", "Tool");
        t.put("resource", "Resource");
        t.put("prompt", "Prompt");
        t.put("task", "Task");
        t.putAll(types);
        return new Mapping(t, "Action");
    }

    /** These settings with {@code deny_as} changed. */
    public CoazSettings withDenyAs(DenyAs d) {
        return copy(d, sessions, serverId);
    }

    /** These settings with {@code sessions.mode} changed. */
    public CoazSettings withSessions(SessionMode s) {
        return copy(denyAs, s, serverId);
    }

    /** These settings with {@code server_id} changed. */
    public CoazSettings withServerId(String id) {
        return copy(denyAs, sessions, id);
    }

    private CoazSettings copy(DenyAs d, SessionMode s, String id) {
        return new CoazSettings(
                subjectClaim,
                agentClaim,
                id,
                mapping,
                d,
                declaredMappings,
                denyOnPolicyErrors,
                s,
                sessionPurpose,
                paths,
                redact);
    }

    /**
     * Reads and validates the section. {@code node} is the section (an object, or {@code null} /
     * missing for the defaults); {@code keyPrefix} is its full key, e.g. {@code
     * mcp.authorization}, used in messages.
     *
     * @throws IllegalArgumentException naming the full key of the first bad or unknown setting
     */
    public static CoazSettings fromJson(JsonNode node, String keyPrefix) {
        String p = keyPrefix == null || keyPrefix.isEmpty() ? "" : keyPrefix + ".";
        if (node == null || node.isNull() || node.isMissingNode()) {
            return defaults();
        }
        Reader r = new Reader(p);
        r.object(node, keyPrefix == null ? "authorization" : keyPrefix);
        r.known(
                node,
                "",
                "subject_claim",
                "agent_claim",
                "server_id",
                "mapping",
                "deny_as",
                "declared_mappings",
                "deny_on_policy_errors",
                "sessions",
                "paths",
                "redact");
        String subjectClaim = r.string(node, "subject_claim", "sub");
        String agentClaim = r.string(node, "agent_claim", "client_id");
        String serverId = r.string(node, "server_id", null);

        Map<String, String> types = new LinkedHashMap<>();
        String actionType = "Action";
        JsonNode m = node.get("mapping");
        if (m != null && !m.isNull()) {
            r.object(m, p + "mapping");
            r.known(m, "mapping.", "types", "action_type");
            JsonNode t = m.get("types");
            if (t != null && !t.isNull()) {
                r.object(t, p + "mapping.types");
                var it = t.fields();
                while (it.hasNext()) {
                    var e = it.next();
                    String key = p + "mapping.types." + e.getKey();
                    if (!e.getValue().isTextual() || !isCedarName(e.getValue().asText())) {
                        throw new IllegalArgumentException(
                                key + ": expected a Cedar entity type name like `User`, got " + e.getValue());
                    }
                    types.put(e.getKey(), e.getValue().asText());
                }
            }
            actionType = r.string(m, "action_type", "mapping.action_type", "Action");
            if (!isCedarName(actionType)) {
                throw new IllegalArgumentException(
                        p + "mapping.action_type: expected a Cedar entity type name like `Action`, got `" + actionType
                                + "`");
            }
        }
        Mapping base = defaultMapping(types);
        Mapping mapping = new Mapping(base.types(), actionType);

        DenyAs denyAs = r.enumValue(node, "deny_as", DenyAs.class, DenyAs.RESULT);
        boolean declared = r.bool(node, "declared_mappings", true);
        boolean policyErrors = r.bool(node, "deny_on_policy_errors", true);

        SessionMode mode = SessionMode.IDENTITY;
        String purpose = "mcp";
        JsonNode s = node.get("sessions");
        if (s != null && !s.isNull()) {
            r.object(s, p + "sessions");
            r.known(s, "sessions.", "mode", "purpose");
            mode = r.enumValue(s, "mode", "sessions.mode", SessionMode.class, SessionMode.IDENTITY);
            purpose = r.string(s, "purpose", "sessions.purpose", "mcp");
        }

        PathSettings paths = PathSettings.NONE;
        JsonNode ps = node.get("paths");
        if (ps != null && !ps.isNull()) {
            r.object(ps, p + "paths");
            r.known(
                    ps,
                    "paths.",
                    "arguments",
                    "tools",
                    "root",
                    "realpath",
                    "entity_type",
                    "folder_type",
                    "access",
                    "label_attributes");
            List<String> args = r.strings(ps.get("arguments"), p + "paths.arguments");
            Map<String, ToolPaths> tools = new LinkedHashMap<>();
            String defaultAccess = r.string(ps, "access", "paths.access", "read");
            JsonNode tn = ps.get("tools");
            if (tn != null && !tn.isNull()) {
                r.object(tn, p + "paths.tools");
                var it = tn.fields();
                while (it.hasNext()) {
                    var e = it.next();
                    String key = "paths.tools." + e.getKey();
                    r.object(e.getValue(), p + key);
                    r.known(e.getValue(), key + ".", "arguments", "access");
                    List<String> ta = r.strings(e.getValue().get("arguments"), p + key + ".arguments");
                    String access = r.string(e.getValue(), "access", key + ".access", defaultAccess);
                    if (!isIdent(access)) {
                        throw new IllegalArgumentException(
                                p + key + ".access: expected an action name, got `" + access + "`");
                    }
                    tools.put(e.getKey(), new ToolPaths(ta, access));
                }
            }
            String root = r.string(ps, "root", "paths.root", null);
            if (root != null && !root.startsWith("/")) {
                throw new IllegalArgumentException(p + "paths.root: expected an absolute path, got `" + root + "`");
            }
            if (root != null) {
                root = PathNormalizer.normalize(root, null);
                if (root == null) {
                    throw new IllegalArgumentException(p + "paths.root: not a valid path");
                }
            }
            boolean realpath = r.bool(ps, "realpath", "paths.realpath", false);
            String entityType = r.string(ps, "entity_type", "paths.entity_type", "File");
            String folderType = r.string(ps, "folder_type", "paths.folder_type", "Folder");
            for (var e : Map.of("paths.entity_type", entityType, "paths.folder_type", folderType)
                    .entrySet()) {
                if (!isCedarName(e.getValue())) {
                    throw new IllegalArgumentException(
                            p + e.getKey() + ": expected a Cedar entity type name, got `" + e.getValue() + "`");
                }
            }
            List<String> labelAttrs = ps.has("label_attributes")
                    ? r.strings(ps.get("label_attributes"), p + "paths.label_attributes")
                    : List.of("classification");
            paths = new PathSettings(args, tools, root, realpath, entityType, folderType, defaultAccess, labelAttrs);
        }

        List<String> redact = r.strings(node.get("redact"), p + "redact");
        for (String x : redact) {
            if (x.isEmpty() || (x.startsWith("/") && x.length() == 1)) {
                throw new IllegalArgumentException(p + "redact: an entry is empty or `/`");
            }
        }
        return new CoazSettings(
                subjectClaim,
                agentClaim,
                serverId,
                mapping,
                denyAs,
                declared,
                policyErrors,
                mode,
                purpose,
                paths,
                redact);
    }

    static boolean isCedarName(String s) {
        return s.matches("[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*");
    }

    private static boolean isIdent(String s) {
        return !s.isEmpty() && s.chars().noneMatch(Character::isISOControl);
    }

    /** Typed reads with messages naming the full key. */
    private record Reader(String prefix) {
        void object(JsonNode n, String key) {
            if (!n.isObject()) {
                throw new IllegalArgumentException(key + ": expected a mapping, got " + kind(n));
            }
        }

        void known(JsonNode n, String rel, String... names) {
            var it = n.fieldNames();
            while (it.hasNext()) {
                String f = it.next();
                if (!List.of(names).contains(f)) {
                    throw new IllegalArgumentException(
                            prefix + rel + f + ": unknown setting (known: " + String.join(", ", names) + ")");
                }
            }
        }

        String string(JsonNode n, String field, String dflt) {
            return string(n, field, field, dflt);
        }

        String string(JsonNode n, String field, String rel, String dflt) {
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isTextual() || v.asText().isEmpty()) {
                throw new IllegalArgumentException(prefix + rel + ": expected a non-empty string, got " + kind(v));
            }
            return v.asText();
        }

        boolean bool(JsonNode n, String field, boolean dflt) {
            return bool(n, field, field, dflt);
        }

        boolean bool(JsonNode n, String field, String rel, boolean dflt) {
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isBoolean()) {
                throw new IllegalArgumentException(prefix + rel + ": expected true or false, got " + kind(v));
            }
            return v.booleanValue();
        }

        <E extends Enum<E>> E enumValue(JsonNode n, String field, Class<E> type, E dflt) {
            return enumValue(n, field, field, type, dflt);
        }

        <E extends Enum<E>> E enumValue(JsonNode n, String field, String rel, Class<E> type, E dflt) {
            String s = string(n, field, rel, null);
            if (s == null) {
                return dflt;
            }
            List<String> names = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                String name = e.name().toLowerCase(Locale.ROOT);
                names.add(name);
                if (name.equals(s)) {
                    return e;
                }
            }
            throw new IllegalArgumentException(
                    prefix + rel + ": expected one of " + String.join(", ", names) + ", got `" + s + "`");
        }

        List<String> strings(JsonNode v, String key) {
            if (v == null || v.isNull()) {
                return List.of();
            }
            if (!v.isArray()) {
                throw new IllegalArgumentException(key + ": expected a list of strings, got " + kind(v));
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < v.size(); i++) {
                JsonNode e = v.get(i);
                if (!e.isTextual() || e.asText().isEmpty()) {
                    throw new IllegalArgumentException(
                            key + "[" + i + "]: expected a non-empty string, got " + kind(e));
                }
                out.add(e.asText());
            }
            return out;
        }

        static String kind(JsonNode n) {
            return switch (n.getNodeType()) {
                case STRING -> "a string";
                case NUMBER -> "a number";
                case BOOLEAN -> "a boolean";
                case ARRAY -> "a list";
                case OBJECT -> "a mapping";
                case NULL -> "null";
                default -> n.getNodeType().toString().toLowerCase(Locale.ROOT);
            };
        }
    }
}
