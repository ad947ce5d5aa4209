package dev.portcullis.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.portcullis.mcp.McpGatewayConfig;
import dev.portcullis.mcp.authz.CoazSettings;
import dev.portcullis.pdp.authzen.Mapping;
import dev.portcullis.server.config.ServerConfig.ApiKey;
import dev.portcullis.server.config.ServerConfig.Auth;
import dev.portcullis.server.config.ServerConfig.LogFormat;
import dev.portcullis.server.config.ServerConfig.Logging;
import dev.portcullis.server.config.ServerConfig.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code portcullis.yaml}, applies environment overrides and validates everything in one
 * place, with every default beside its key. The format (all keys optional):
 *
 * <pre>
 * server:
 *   bind: 127.0.0.1          # PORTCULLIS_SERVER_BIND
 *   port: 8180               # PORTCULLIS_SERVER_PORT (0: any free port)
 *   event_loops: null        # PORTCULLIS_SERVER_EVENT_LOOPS: threads serving requests and deciding
 *                            #   (default: the number of CPUs the process may use)
 *   shutdown_grace_seconds: 10
 *   tls:                     # HTTPS (HTTP/1.1 and HTTP/2 via ALPN) instead of plain HTTP
 *     cert: server.pem       # PORTCULLIS_SERVER_TLS_CERT: PEM certificate chain, leaf first
 *     key: server.key        # PORTCULLIS_SERVER_TLS_KEY: PEM PKCS#8 private key
 *     client_ca: null        # PORTCULLIS_SERVER_TLS_CLIENT_CA: require client certificates from this CA
 * policies:
 *   dir: .                   # PORTCULLIS_POLICIES_DIR: *.cedar, *.cedarschema, *.links.json
 *   schema: null             # PORTCULLIS_POLICIES_SCHEMA: a schema file outside dir
 *   watch: true              # PORTCULLIS_POLICIES_WATCH: reload on change
 * entities:
 *   files: []                # PORTCULLIS_ENTITIES_FILES (comma-separated): Cedar entity JSON files or dirs
 * log:
 *   url: sqlite:./data/decisions.db   # PORTCULLIS_LOG_URL (relative to the working directory)
 *   mode: buffered           # PORTCULLIS_LOG_MODE: buffered | durable
 * auth:
 *   disabled: false          # PORTCULLIS_AUTH_DISABLED: must be said explicitly
 *   api_keys:                # each: name, key (or key_env: a variable holding it), roles [pep, admin]
 *     - { name: gateway, key_env: GATEWAY_KEY, roles: [pep] }
 *   jwt:                     # bearer JWTs (see docs/server.md)
 *     issuers:               # each: issuer, jwks_url | jwks_file | shared_secret_env, audiences,
 *       - { issuer: https://idp.example.com, jwks_url: https://idp.example.com/jwks, audiences: [portcullis] }
 *                            #   algorithms (default: the asymmetric ones), clock_skew_seconds (60)
 *     roles_claim: scope     # where role values are: a space-separated string or a list
 *     roles: { "portcullis:pep": [pep], "portcullis:admin": [admin] }
 *     name_claim: sub        # the caller's name in the decision log
 * mapping:
 *   types: { user: User }    # AuthZEN subject/resource type -> Cedar entity type
 *   action_type: Action      # PORTCULLIS_MAPPING_ACTION_TYPE
 * authzen:
 *   response_context: true   # PORTCULLIS_AUTHZEN_RESPONSE_CONTEXT: decision id (and reasons) in `context`
 * logging:
 *   format: text             # PORTCULLIS_LOGGING_FORMAT: text | json (one object per line), on stderr
 *   level: info              # PORTCULLIS_LOGGING_LEVEL: trace | debug | info | warn | error | off
 *   levels: {}               # PORTCULLIS_LOGGING_LEVELS (`logger=level,...`): per-logger levels
 * sessions: ...              # agent sessions; ssf: ... the Shared Signals receiver; approvals: ...
 *                            #   (see {@link AgentConfig} for their keys and defaults)
 * mcp: ...                   # the MCP gateway at /mcp (see {@link McpGatewayConfig#fromJson} and
 *                            #   docs/mcp-gateway.md); mcp.authorization: the COAZ-MCP settings
 * </pre>
 *
 * Paths in the file are relative to the file's directory; the log URL is relative to the working
 * directory (it is a URL, and the embedded default keeps its data in {@code ./data}).
 */
public final class ConfigLoader {
    public static final String DEFAULT_BIND = "127.0.0.1";
    // 8180: free of the usual 8080/8181 clashes (OPA takes 8181), easy to remember next to 8080
    public static final int DEFAULT_PORT = 8180;
    public static final String DEFAULT_LOG_URL = "sqlite:./data/decisions.db";
    static final int MAX_EVENT_LOOPS = 1024;

    /**
     * One event loop per CPU the process may use (its affinity and container limits, as the JVM
     * sees them). A decision is CPU work that never waits on the event loop, so more loops than
     * CPUs add no throughput; they only make requests wait for each other's time slices: on one
     * CPU, two loops (Armeria's default is two per CPU) had a p99 of 10.9 ms at 32 connections,
     * one loop 4.9 ms (bench/load, docs/performance.md).
     */
    private static int defaultEventLoops() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Keys that an environment variable may override: PORTCULLIS_ + key upper-cased, dots as underscores. */
    static final List<String> ENV_KEYS = List.of(
            "server.bind",
            "server.port",
            "server.event_loops",
            "server.shutdown_grace_seconds",
            "server.tls.cert",
            "server.tls.key",
            "server.tls.client_ca",
            "policies.dir",
            "policies.schema",
            "policies.watch",
            "entities.files",
            "log.url",
            "log.mode",
            "auth.disabled",
            "mapping.action_type",
            "authzen.response_context",
            "logging.format",
            "logging.level",
            "logging.levels",
            "sessions.enabled",
            "sessions.store",
            "approvals.enabled",
            "approvals.store");

    private static final Map<String, Set<String>> SECTIONS = Map.ofEntries(
            Map.entry("server", Set.of("bind", "port", "event_loops", "shutdown_grace_seconds", "tls")),
            Map.entry("policies", Set.of("dir", "schema", "watch")),
            Map.entry("entities", Set.of("files")),
            Map.entry("log", Set.of("url", "mode")),
            Map.entry("auth", Set.of("disabled", "api_keys", "jwt")),
            Map.entry("mapping", Set.of("types", "action_type")),
            Map.entry("authzen", Set.of("response_context")),
            Map.entry("logging", Set.of("format", "level", "levels")),
            Map.entry("sessions", AgentConfig.SESSIONS_KEYS),
            Map.entry("ssf", AgentConfig.SSF_KEYS),
            Map.entry("approvals", AgentConfig.APPROVALS_KEYS),
            Map.entry("mcp", McpGatewayConfig.KEYS));

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    private ConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(String key) {
        return "PORTCULLIS_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** Loads {@code file} with the process environment. */
    public static ServerConfig load(Path file) {
        return load(file, System.getenv());
    }

    /** Loads {@code file} (or only defaults and {@code env} when {@code file} is null). */
    public static ServerConfig load(Path file, Map<String, String> env) {
        ObjectNode root;
        Path base;
        if (file == null) {
            root = JsonNodeFactory.instance.objectNode();
            base = Path.of("").toAbsolutePath();
        } else {
            base = file.toAbsolutePath().getParent();
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new ConfigException(List.of("cannot read configuration `" + file + "`: " + e.getMessage()));
            }
            try {
                JsonNode n = new YAMLMapper().readTree(text);
                if (n == null || n.isNull() || n.isMissingNode()) {
                    root = JsonNodeFactory.instance.objectNode();
                } else if (n instanceof ObjectNode o) {
                    root = o;
                } else {
                    throw new ConfigException(List.of(file + ": the configuration must be a mapping of sections"));
                }
            } catch (JacksonException e) {
                String where = e.getLocation() == null
                        ? ""
                        : ":" + e.getLocation().getLineNr() + ":"
                                + e.getLocation().getColumnNr();
                throw new ConfigException(List.of(file + where + ": not valid yaml: " + e.getOriginalMessage()));
            }
        }
        return new ConfigLoader(env).build(root, base);
    }

    private ServerConfig build(ObjectNode root, Path base) {
        applyEnv(root);
        checkKnownKeys(root);

        String bind = string(root, "server.bind", DEFAULT_BIND);
        if (bind.isBlank()) {
            problems.add("server.bind: must not be empty");
        }
        int port = integer(root, "server.port", DEFAULT_PORT);
        if (port < 0 || port > 65535) {
            problems.add("server.port: must be between 1 and 65535, got " + port);
        }
        int eventLoops = integer(root, "server.event_loops", defaultEventLoops());
        if (eventLoops < 1 || eventLoops > MAX_EVENT_LOOPS) {
            problems.add("server.event_loops: must be between 1 and " + MAX_EVENT_LOOPS + ", got " + eventLoops);
        }
        int grace = integer(root, "server.shutdown_grace_seconds", 10);
        if (grace < 0 || grace > 3600) {
            problems.add("server.shutdown_grace_seconds: must be between 0 and 3600, got " + grace);
        }

        Path policies = path(root, "policies.dir", base, ".");
        if (policies != null && !Files.isDirectory(policies)) {
            problems.add("policies.dir: `" + policies + "` is not a directory");
        }
        Path schema = path(root, "policies.schema", base, null);
        if (schema != null && !Files.isRegularFile(schema)) {
            problems.add("policies.schema: `" + schema + "` is not a file");
        }
        boolean watch = bool(root, "policies.watch", true);

        List<Path> entities = new ArrayList<>();
        JsonNode files = at(root, "entities.files");
        if (files != null && !files.isNull()) {
            if (files.isTextual()) {
                for (String s : files.asText().split(",")) {
                    if (!s.isBlank()) {
                        entities.add(base.resolve(s.strip()).normalize());
                    }
                }
            } else if (files.isArray()) {
                for (int i = 0; i < files.size(); i++) {
                    JsonNode f = files.get(i);
                    if (!f.isTextual() || f.asText().isBlank()) {
                        problems.add("entities.files[" + i + "]: expected a path, got " + describe(f));
                    } else {
                        entities.add(base.resolve(f.asText()).normalize());
                    }
                }
            } else {
                problems.add("entities.files: expected a list of paths, got " + describe(files));
            }
        }
        for (int i = 0; i < entities.size(); i++) {
            if (!Files.exists(entities.get(i))) {
                problems.add("entities.files[" + i + "]: `" + entities.get(i) + "` does not exist");
            }
        }

        String logUrl = string(root, "log.url", DEFAULT_LOG_URL);
        if (logUrl.isBlank()) {
            problems.add("log.url: must not be empty");
        }
        String mode = string(root, "log.mode", "buffered");
        if (!mode.equals("buffered") && !mode.equals("durable")) {
            problems.add("log.mode: must be `buffered` or `durable`, got `" + mode + "`");
        }

        SecurityConfig security = new SecurityConfig(base, env, problems);
        ServerConfig.Tls tls = security.tls(at(root, "server.tls"));
        Auth auth = auth(root, security);
        Mapping mapping = mapping(root);
        boolean responseContext = bool(root, "authzen.response_context", true);
        Logging logging = logging(root);
        AgentSettings agents =
                new AgentConfig(security, problems).settings(root, logUrl, auth.jwt(), mapping.actionType());

        ServerConfig.Mcp mcp = mcp(root, base, security);

        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ServerConfig(
                bind,
                port,
                eventLoops,
                policies,
                schema,
                watch,
                List.copyOf(entities),
                logUrl,
                mode.equals("durable"),
                auth,
                mapping,
                responseContext,
                Duration.ofSeconds(grace),
                tls,
                logging,
                agents,
                mcp);
    }

    /** The MCP gateway, when the {@code mcp:} section is present (see docs/mcp-gateway.md). */
    private ServerConfig.Mcp mcp(ObjectNode root, Path base, SecurityConfig security) {
        JsonNode n = root.get("mcp");
        if (n == null || n.isNull()) {
            return null;
        }
        try {
            McpGatewayConfig gateway = McpGatewayConfig.fromJson(n, "mcp", base, env, security::issuer);
            CoazSettings authorization = CoazSettings.fromJson(gateway.authorization(), "mcp.authorization");
            return new ServerConfig.Mcp(gateway, authorization);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

    private Logging logging(ObjectNode root) {
        String f = string(root, "logging.format", "text").toLowerCase(Locale.ROOT);
        LogFormat format = LogFormat.TEXT;
        switch (f) {
            case "text" -> format = LogFormat.TEXT;
            case "json" -> format = LogFormat.JSON;
            default -> problems.add("logging.format: must be `text` or `json`, got `" + f + "`");
        }
        String level = level("logging.level", string(root, "logging.level", "info"));
        Map<String, String> levels = new LinkedHashMap<>();
        JsonNode l = at(root, "logging.levels");
        if (l != null && l.isTextual()) {
            // from the environment: `logger=level,logger=level`
            for (String pair : l.asText().split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    problems.add("logging.levels: expected `logger=level`, got `" + pair.strip() + "`");
                } else {
                    String logger = pair.substring(0, eq).strip();
                    levels.put(logger, level("logging.levels." + logger, pair.substring(eq + 1)));
                }
            }
        } else if (l != null && l.isObject()) {
            l.fields().forEachRemaining(e -> {
                String key = "logging.levels." + e.getKey();
                if (!e.getValue().isTextual()) {
                    problems.add(key + ": expected a level, got " + describe(e.getValue()));
                } else {
                    levels.put(e.getKey(), level(key, e.getValue().asText()));
                }
            });
        } else if (l != null && !l.isNull()) {
            problems.add("logging.levels: expected a mapping from logger name to level, got " + describe(l));
        }
        return new Logging(format, level, Map.copyOf(levels));
    }

    private String level(String key, String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(v)) {
            problems.add(key + ": must be one of trace, debug, info, warn, error, off, got `" + value.strip() + "`");
            return "info";
        }
        return v;
    }

    private Auth auth(ObjectNode root, SecurityConfig security) {
        boolean disabled = bool(root, "auth.disabled", false);
        List<ApiKey> keys = new ArrayList<>();
        JsonNode list = at(root, "auth.api_keys");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                problems.add("auth.api_keys: expected a list, got " + describe(list));
            } else {
                Set<String> names = new java.util.HashSet<>();
                for (int i = 0; i < list.size(); i++) {
                    String p = "auth.api_keys[" + i + "]";
                    JsonNode k = list.get(i);
                    if (!k.isObject()) {
                        problems.add(p + ": expected a mapping with name, key and roles, got " + describe(k));
                        continue;
                    }
                    for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
                        String f = it.next();
                        if (!Set.of("name", "key", "key_env", "roles").contains(f)) {
                            problems.add(p + "." + f + ": unknown key (expected name, key, key_env, roles)");
                        }
                    }
                    String name = k.path("name").asText("");
                    if (!k.path("name").isTextual() || name.isBlank()) {
                        problems.add(p + ".name: required (it names the caller in the decision log)");
                    } else if (!names.add(name)) {
                        problems.add(p + ".name: `" + name + "` is used twice");
                    }
                    String key = null;
                    if (k.hasNonNull("key") && k.hasNonNull("key_env")) {
                        problems.add(p + ": give `key` or `key_env`, not both");
                    } else if (k.hasNonNull("key")) {
                        key = k.get("key").asText();
                    } else if (k.hasNonNull("key_env")) {
                        key = env.get(k.get("key_env").asText());
                        if (key == null) {
                            problems.add(p + ".key_env: environment variable `"
                                    + k.get("key_env").asText() + "` is not set");
                        }
                    } else {
                        problems.add(p + ": needs `key` or `key_env`");
                    }
                    if (key != null && key.length() < 16) {
                        problems.add(p + ".key: must be at least 16 characters");
                    }
                    Set<Role> roles = EnumSet.noneOf(Role.class);
                    JsonNode r = k.get("roles");
                    if (r == null || !r.isArray() || r.isEmpty()) {
                        problems.add(p + ".roles: expected a non-empty list of `pep`, `admin` and/or `approver`");
                    } else {
                        for (int j = 0; j < r.size(); j++) {
                            String role = r.get(j).asText("");
                            switch (role) {
                                case "pep" -> roles.add(Role.PEP);
                                case "admin" -> roles.add(Role.ADMIN);
                                case "approver" -> roles.add(Role.APPROVER);
                                default ->
                                    problems.add(p + ".roles[" + j + "]: must be `pep`, `admin` or `approver`, got `"
                                            + r.get(j).asText() + "`");
                            }
                        }
                    }
                    if (key != null) {
                        keys.add(new ApiKey(name, key, roles));
                    }
                }
            }
        }
        ServerConfig.Jwt jwt = security.jwt(at(root, "auth.jwt"));
        if (!disabled && keys.isEmpty() && jwt == null && problems.isEmpty()) {
            problems.add("auth: no api keys configured; add `auth.api_keys` or `auth.jwt`,"
                    + " or say `auth.disabled: true`");
        }
        return new Auth(disabled, List.copyOf(keys), jwt);
    }

    private Mapping mapping(ObjectNode root) {
        Map<String, String> types = new LinkedHashMap<>();
        JsonNode t = at(root, "mapping.types");
        if (t != null && !t.isNull()) {
            if (!t.isObject()) {
                problems.add("mapping.types: expected a mapping from AuthZEN type to Cedar type, got " + describe(t));
            } else {
                t.fields().forEachRemaining(e -> {
                    if (!e.getValue().isTextual() || !isCedarName(e.getValue().asText())) {
                        problems.add("mapping.types." + e.getKey() + ": expected a Cedar entity type name, got "
                                + describe(e.getValue()));
                    } else {
                        types.put(e.getKey(), e.getValue().asText());
                    }
                });
            }
        }
        String actionType = string(root, "mapping.action_type", "Action");
        if (!isCedarName(actionType)) {
            problems.add(
                    "mapping.action_type: expected a Cedar entity type name like `Action`, got `" + actionType + "`");
        }
        return new Mapping(Map.copyOf(types), actionType);
    }

    static boolean isCedarName(String s) {
        return s.matches("[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*");
    }

    private void applyEnv(ObjectNode root) {
        for (String key : ENV_KEYS) {
            String v = env.get(envName(key));
            if (v == null) {
                continue;
            }
            String[] parts = key.split("\\.");
            ObjectNode at = root;
            for (int i = 0; i < parts.length - 1; i++) {
                at = at.get(parts[i]) instanceof ObjectNode o ? o : at.putObject(parts[i]);
            }
            at.put(parts[parts.length - 1], v);
        }
    }

    private void checkKnownKeys(ObjectNode root) {
        root.fieldNames().forEachRemaining(section -> {
            Set<String> keys = SECTIONS.get(section);
            if (keys == null) {
                problems.add(section + ": unknown section (expected one of "
                        + String.join(", ", sorted(SECTIONS.keySet())) + ")");
                return;
            }
            JsonNode s = root.get(section);
            if (s.isNull()) {
                return;
            }
            if (!s.isObject()) {
                problems.add(section + ": expected a mapping, got " + describe(s));
                return;
            }
            s.fieldNames().forEachRemaining(k -> {
                if (!keys.contains(k)) {
                    problems.add(section + "." + k + ": unknown key (expected one of " + String.join(", ", sorted(keys))
                            + ")");
                }
            });
        });
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    private static JsonNode at(ObjectNode root, String key) {
        JsonNode n = root;
        for (String part : key.split("\\.")) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(part);
        }
        return n;
    }

    private String string(ObjectNode root, String key, String dflt) {
        JsonNode n = at(root, key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isValueNode()) {
            problems.add(key + ": expected a string, got " + describe(n));
            return dflt;
        }
        return n.asText();
    }

    private int integer(ObjectNode root, String key, int dflt) {
        JsonNode n = at(root, key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (n.isIntegralNumber() && n.canConvertToInt()) {
            return n.intValue();
        }
        if (n.isTextual()) {
            try {
                return Integer.parseInt(n.asText().strip());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problems.add(key + ": expected an integer, got " + describe(n));
        return dflt;
    }

    private boolean bool(ObjectNode root, String key, boolean dflt) {
        JsonNode n = at(root, key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isTextual() && (n.asText().equals("true") || n.asText().equals("false"))) {
            return Boolean.parseBoolean(n.asText());
        }
        problems.add(key + ": expected true or false, got " + describe(n));
        return dflt;
    }

    private Path path(ObjectNode root, String key, Path base, String dflt) {
        String s = string(root, key, dflt);
        if (s == null) {
            return null;
        }
        if (s.isBlank()) {
            problems.add(key + ": must not be empty");
            return null;
        }
        try {
            return base.resolve(s).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            problems.add(key + ": bad path `" + s + "`: " + e.getReason());
            return null;
        }
    }

    static String describe(JsonNode n) {
        if (n.isTextual()) {
            return "`" + n.asText() + "`";
        }
        if (n.isNumber() || n.isBoolean()) {
            return n.asText();
        }
        return n.isArray()
                ? "a list"
                : n.isObject() ? "a mapping" : n.getNodeType().toString().toLowerCase(Locale.ROOT);
    }
}
