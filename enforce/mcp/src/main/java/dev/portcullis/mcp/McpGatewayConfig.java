package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.pdp.identity.TrustedIssuer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Everything the gateway needs to run, programmatically or from the {@code mcp:} section of a
 * configuration file ({@link #fromJson}).
 *
 * @param upstreams the MCP servers behind the gateway, at least one, names unique
 * @param separator between an upstream's name and a tool or prompt name ({@code fs__read_file})
 * @param prefix when names are prefixed
 * @param maxMessageBytes the largest message accepted from a client or an upstream
 * @param requestTimeout how long the gateway waits for an upstream's answer
 * @param pageSize entries per page of an aggregated list; 0: everything on one page
 * @param listen the client-facing transport of a stand-alone gateway
 * @param http the Streamable HTTP transport towards clients
 * @param identity who the client is when no token says it (stdio; HTTP without issuers)
 * @param authorization the raw {@code mcp.authorization} section, handed to the authorizer
 */
public record McpGatewayConfig(
        List<Upstream> upstreams,
        String separator,
        Prefix prefix,
        int maxMessageBytes,
        Duration requestTimeout,
        int pageSize,
        Listen listen,
        Http http,
        StaticIdentity identity,
        JsonNode authorization) {

    public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    public McpGatewayConfig {
        upstreams = List.copyOf(upstreams);
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("at least one upstream is required");
        }
        Set<String> names = new HashSet<>();
        for (Upstream u : upstreams) {
            if (!names.add(u.name())) {
                throw new IllegalArgumentException("upstream `" + u.name() + "` is listed twice");
            }
        }
        Objects.requireNonNull(separator, "separator");
        if (separator.isEmpty()) {
            throw new IllegalArgumentException("the separator must not be empty");
        }
        Objects.requireNonNull(prefix, "prefix");
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("max_message_bytes must be at least 1024");
        }
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (pageSize < 0) {
            throw new IllegalArgumentException("page_size must not be negative");
        }
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(identity, "identity");
    }

    /** A configuration with every default: loopback HTTP on any free port, no token check. */
    public static McpGatewayConfig of(List<Upstream> upstreams) {
        return new McpGatewayConfig(
                upstreams,
                "__",
                Prefix.AUTO,
                DEFAULT_MAX_MESSAGE_BYTES,
                DEFAULT_REQUEST_TIMEOUT,
                0,
                Listen.HTTP,
                Http.defaults(),
                StaticIdentity.fromEnvironment(System.getenv()),
                null);
    }

    public McpGatewayConfig withHttp(Http h) {
        return new McpGatewayConfig(
                upstreams,
                separator,
                prefix,
                maxMessageBytes,
                requestTimeout,
                pageSize,
                listen,
                h,
                identity,
                authorization);
    }

    public McpGatewayConfig withIdentity(StaticIdentity i) {
        return new McpGatewayConfig(
                upstreams,
                separator,
                prefix,
                maxMessageBytes,
                requestTimeout,
                pageSize,
                listen,
                http,
                i,
                authorization);
    }

    public McpGatewayConfig withLimits(int maxBytes, Duration timeout, int page) {
        return new McpGatewayConfig(
                upstreams, separator, prefix, maxBytes, timeout, page, listen, http, identity, authorization);
    }

    public McpGatewayConfig withPrefix(Prefix p, String sep) {
        return new McpGatewayConfig(
                upstreams, sep, p, maxMessageBytes, requestTimeout, pageSize, listen, http, identity, authorization);
    }

    public McpGatewayConfig withListen(Listen l) {
        return new McpGatewayConfig(
                upstreams,
                separator,
                prefix,
                maxMessageBytes,
                requestTimeout,
                pageSize,
                l,
                http,
                identity,
                authorization);
    }

    /** Whether tool and prompt names carry their upstream's name. */
    public boolean prefixed() {
        return switch (prefix) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> upstreams.size() > 1;
        };
    }

    public enum Prefix {
        /** Prefix when there is more than one upstream. */
        AUTO,
        ALWAYS,
        NEVER
    }

    public enum Listen {
        STDIO,
        HTTP
    }

    /**
     * One MCP server behind the gateway: a command (stdio) or a URL (Streamable HTTP).
     *
     * @param name the prefix of its tools and prompts; letters, digits, {@code -} and {@code _}
     * @param command the program to start (stdio), or {@code null}
     * @param args its arguments
     * @param env variables added to the gateway's environment for it
     * @param cwd its working directory, or {@code null} for the gateway's
     * @param url its Streamable HTTP endpoint, or {@code null}
     * @param headers extra HTTP headers sent to it (e.g. its own credentials; never the client's token)
     */
    public record Upstream(
            String name,
            String command,
            List<String> args,
            Map<String, String> env,
            Path cwd,
            URI url,
            Map<String, String> headers) {
        public Upstream {
            Objects.requireNonNull(name, "name");
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException(
                        "upstream name `" + name + "`: only letters, digits, `-` and `_` are allowed");
            }
            if ((command == null) == (url == null)) {
                throw new IllegalArgumentException("upstream `" + name + "`: exactly one of command or url");
            }
            args = List.copyOf(args);
            env = Map.copyOf(env);
            headers = Map.copyOf(headers);
            if (url != null && !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                throw new IllegalArgumentException("upstream `" + name + "`: the url must be http or https");
            }
        }

        public static Upstream stdio(String name, String command, List<String> args) {
            return new Upstream(name, command, args, Map.of(), null, null, Map.of());
        }

        public static Upstream http(String name, URI url) {
            return new Upstream(name, null, List.of(), Map.of(), null, url, Map.of());
        }

        public Upstream withEnv(Map<String, String> e) {
            return new Upstream(name, command, args, e, cwd, url, headers);
        }
    }

    /**
     * The Streamable HTTP transport towards clients.
     *
     * @param bind the address a stand-alone gateway listens on
     * @param port its port (0: any free port)
     * @param path the MCP endpoint
     * @param allowedOrigins {@code Origin} values accepted; empty: loopback origins only
     * @param allowedHosts {@code Host} values accepted (with or without port); empty: loopback only
     * @param resource the gateway's resource URL: the audience its tokens must name, and the {@code
     *     resource} of its protected-resource metadata; {@code null} when no tokens are checked
     * @param authorizationServers the authorization servers named in the metadata
     * @param issuers trusted token issuers; empty: no token check (the static identity is used)
     * @param subjectClaim the claim that names the subject
     * @param sessionClaim a claim naming the Portcullis session, or {@code null}
     * @param sessionHeader a request header naming the Portcullis session, or {@code null}
     */
    public record Http(
            String bind,
            int port,
            String path,
            List<String> allowedOrigins,
            List<String> allowedHosts,
            URI resource,
            List<String> authorizationServers,
            List<TrustedIssuer> issuers,
            String subjectClaim,
            String sessionClaim,
            String sessionHeader) {
        public Http {
            Objects.requireNonNull(bind, "bind");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            }
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with `/`");
            }
            allowedOrigins = List.copyOf(allowedOrigins);
            allowedHosts = List.copyOf(allowedHosts);
            authorizationServers = List.copyOf(authorizationServers);
            issuers = List.copyOf(issuers);
            Objects.requireNonNull(subjectClaim, "subjectClaim");
            if (!issuers.isEmpty() && resource == null) {
                throw new IllegalArgumentException("a resource URL is required when tokens are checked");
            }
        }

        public static Http defaults() {
            return new Http(
                    "127.0.0.1", 0, "/mcp", List.of(), List.of(), null, List.of(), List.of(), "sub", null, null);
        }

        public Http withPort(int p) {
            return new Http(
                    bind,
                    p,
                    path,
                    allowedOrigins,
                    allowedHosts,
                    resource,
                    authorizationServers,
                    issuers,
                    subjectClaim,
                    sessionClaim,
                    sessionHeader);
        }

        public Http withPath(String p) {
            return new Http(
                    bind,
                    port,
                    p,
                    allowedOrigins,
                    allowedHosts,
                    resource,
                    authorizationServers,
                    issuers,
                    subjectClaim,
                    sessionClaim,
                    sessionHeader);
        }

        public Http withAllowed(List<String> origins, List<String> hosts) {
            return new Http(
                    bind,
                    port,
                    path,
                    origins,
                    hosts,
                    resource,
                    authorizationServers,
                    issuers,
                    subjectClaim,
                    sessionClaim,
                    sessionHeader);
        }

        /** Tokens checked: from {@code issuers}, whose audience must be {@code resource}. */
        public Http withTokens(URI res, List<String> servers, List<TrustedIssuer> trusted) {
            return new Http(
                    bind,
                    port,
                    path,
                    allowedOrigins,
                    allowedHosts,
                    res,
                    servers,
                    trusted,
                    subjectClaim,
                    sessionClaim,
                    sessionHeader);
        }

        public Http withClaims(String subject, String session, String header) {
            return new Http(
                    bind,
                    port,
                    path,
                    allowedOrigins,
                    allowedHosts,
                    resource,
                    authorizationServers,
                    issuers,
                    subject,
                    session,
                    header);
        }
    }

    /**
     * The identity of a client no token describes.
     *
     * @param subject the subject id
     * @param claims claims the authorizer sees as the token's
     * @param sessionId a Portcullis session to act in, or {@code null}
     */
    public record StaticIdentity(String subject, Map<String, Object> claims, String sessionId) {
        public StaticIdentity {
            Objects.requireNonNull(subject, "subject");
            if (subject.isBlank()) {
                throw new IllegalArgumentException("the subject must not be empty");
            }
            claims = Map.copyOf(claims);
        }

        /**
         * {@code PORTCULLIS_MCP_SUBJECT} (else the OS user), {@code PORTCULLIS_MCP_CLAIMS} (a JSON
         * object), {@code PORTCULLIS_MCP_SESSION}.
         */
        public static StaticIdentity fromEnvironment(Map<String, String> env) {
            String subject = env.get("PORTCULLIS_MCP_SUBJECT");
            if (subject == null || subject.isBlank()) {
                subject = System.getProperty("user.name", "anonymous");
            }
            Map<String, Object> claims = new LinkedHashMap<>();
            String c = env.get("PORTCULLIS_MCP_CLAIMS");
            if (c != null && !c.isBlank()) {
                try {
                    JsonNode n = Json.MAPPER.readTree(c);
                    if (!(n instanceof ObjectNode)) {
                        throw new IllegalArgumentException("PORTCULLIS_MCP_CLAIMS: expected a JSON object");
                    }
                    claims.putAll(Json.MAPPER.convertValue(n, Map.class));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalArgumentException("PORTCULLIS_MCP_CLAIMS: not JSON: " + e.getOriginalMessage(), e);
                }
            }
            claims.putIfAbsent("sub", subject);
            return new StaticIdentity(subject, claims, env.get("PORTCULLIS_MCP_SESSION"));
        }

        McpIdentity toIdentity() {
            return new McpIdentity(subject, claims, sessionId, subject);
        }
    }

    /** The keys of the {@code mcp:} section. */
    public static final Set<String> KEYS = Set.of(
            "listen",
            "http",
            "identity",
            "upstreams",
            "prefix",
            "separator",
            "max_message_bytes",
            "request_timeout_seconds",
            "page_size",
            "authorization");

    /**
     * Reads the {@code mcp:} section. Every problem is an {@link IllegalArgumentException} naming
     * the key ({@code mcp.upstreams[1].url: ...}).
     *
     * @param n the section
     * @param p its key, e.g. {@code mcp}
     * @param base what relative paths are relative to
     * @param env the environment (identity defaults)
     * @param issuer reads one trusted issuer (mapping, key) as {@code auth.jwt.issuers} does; may be
     *     {@code null} when {@code http.issuers} is not supported
     */
    public static McpGatewayConfig fromJson(
            JsonNode n,
            String p,
            Path base,
            Map<String, String> env,
            BiFunction<JsonNode, String, TrustedIssuer> issuer) {
        ObjectNode o = object(n, p);
        unknown(o, p, KEYS);
        String listenText = str(o, "listen", p, "http").toLowerCase(Locale.ROOT);
        Listen listen =
                switch (listenText) {
                    case "stdio" -> Listen.STDIO;
                    case "http" -> Listen.HTTP;
                    default ->
                        throw new IllegalArgumentException(
                                p + ".listen: must be `stdio` or `http`, got `" + listenText + "`");
                };
        JsonNode ups = o.get("upstreams");
        if (ups == null || !ups.isArray() || ups.isEmpty()) {
            throw new IllegalArgumentException(
                    p + ".upstreams: expected a non-empty list of upstreams (name and command or url)");
        }
        List<Upstream> upstreams = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ups.size(); i++) {
            String k = p + ".upstreams[" + i + "]";
            Upstream u = upstream(ups.get(i), k, base);
            if (!seen.add(u.name())) {
                throw new IllegalArgumentException(k + ".name: `" + u.name() + "` is listed twice");
            }
            upstreams.add(u);
        }
        String prefixText = str(o, "prefix", p, "auto").toLowerCase(Locale.ROOT);
        Prefix prefix =
                switch (prefixText) {
                    case "auto" -> Prefix.AUTO;
                    case "always" -> Prefix.ALWAYS;
                    case "never" -> Prefix.NEVER;
                    default ->
                        throw new IllegalArgumentException(
                                p + ".prefix: must be `auto`, `always` or `never`, got `" + prefixText + "`");
                };
        if (prefix == Prefix.NEVER && upstreams.size() > 1) {
            throw new IllegalArgumentException(
                    p + ".prefix: `never` needs exactly one upstream (names of several would collide)");
        }
        String separator = str(o, "separator", p, "__");
        if (separator.isEmpty()) {
            throw new IllegalArgumentException(p + ".separator: must not be empty");
        }
        long max = integer(o, "max_message_bytes", p, DEFAULT_MAX_MESSAGE_BYTES);
        if (max < 1024 || max > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(
                    p + ".max_message_bytes: must be between 1024 and 2147483631, got " + max);
        }
        long timeout = integer(o, "request_timeout_seconds", p, DEFAULT_REQUEST_TIMEOUT.toSeconds());
        if (timeout < 1 || timeout > 86400) {
            throw new IllegalArgumentException(
                    p + ".request_timeout_seconds: must be between 1 and 86400, got " + timeout);
        }
        long page = integer(o, "page_size", p, 0);
        if (page < 0 || page > 100000) {
            throw new IllegalArgumentException(p + ".page_size: must be between 0 and 100000, got " + page);
        }
        Http http = http(o.get("http"), p + ".http", issuer);
        StaticIdentity identity = identity(o.get("identity"), p + ".identity", env);
        JsonNode authz = o.get("authorization");
        return new McpGatewayConfig(
                upstreams,
                separator,
                prefix,
                (int) max,
                Duration.ofSeconds(timeout),
                (int) page,
                listen,
                http,
                identity,
                authz == null || authz.isNull() ? null : authz);
    }

    private static Upstream upstream(JsonNode n, String p, Path base) {
        ObjectNode o = object(n, p);
        unknown(o, p, Set.of("name", "command", "args", "env", "cwd", "url", "headers"));
        String name = str(o, "name", p, null);
        if (name == null || !name.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException(p + ".name: required; letters, digits, `-` and `_` only");
        }
        String command = str(o, "command", p, null);
        String url = str(o, "url", p, null);
        if ((command == null) == (url == null)) {
            throw new IllegalArgumentException(p + ": exactly one of `command` (stdio) or `url` (Streamable HTTP)");
        }
        List<String> args = strings(o.get("args"), p + ".args");
        Map<String, String> env = stringMap(o.get("env"), p + ".env");
        Map<String, String> headers = stringMap(o.get("headers"), p + ".headers");
        String cwd = str(o, "cwd", p, null);
        URI uri = null;
        if (url != null) {
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(p + ".url: not a URL: " + e.getMessage(), e);
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException(p + ".url: expected an http(s) URL, got `" + url + "`");
            }
            if (!args.isEmpty() || !env.isEmpty() || cwd != null) {
                throw new IllegalArgumentException(p + ": args, env and cwd belong to a `command` upstream");
            }
        } else if (!headers.isEmpty()) {
            throw new IllegalArgumentException(p + ".headers: belong to a `url` upstream");
        }
        return new Upstream(
                name, command, args, env, cwd == null ? null : base.resolve(cwd).normalize(), uri, headers);
    }

    private static Http http(JsonNode n, String p, BiFunction<JsonNode, String, TrustedIssuer> issuer) {
        Http h = Http.defaults();
        if (n == null || n.isNull()) {
            return h;
        }
        ObjectNode o = object(n, p);
        unknown(
                o,
                p,
                Set.of(
                        "bind",
                        "port",
                        "path",
                        "allowed_origins",
                        "allowed_hosts",
                        "resource",
                        "authorization_servers",
                        "issuers",
                        "subject_claim",
                        "session_claim",
                        "session_header"));
        long port = integer(o, "port", p, 0);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(p + ".port: must be between 0 and 65535, got " + port);
        }
        String path = str(o, "path", p, "/mcp");
        if (!path.startsWith("/") || path.length() > 1 && path.endsWith("/")) {
            throw new IllegalArgumentException(
                    p + ".path: must start with `/` and not end with one, got `" + path + "`");
        }
        String res = str(o, "resource", p, null);
        URI resource = null;
        if (res != null) {
            try {
                resource = URI.create(res);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(p + ".resource: not a URL: " + e.getMessage(), e);
            }
            if (resource.getScheme() == null || resource.getHost() == null || resource.getFragment() != null) {
                throw new IllegalArgumentException(
                        p + ".resource: expected an absolute http(s) URL without fragment, got `" + res + "`");
            }
        }
        List<TrustedIssuer> issuers = new ArrayList<>();
        JsonNode list = o.get("issuers");
        if (list != null && !list.isNull()) {
            if (issuer == null) {
                throw new IllegalArgumentException(p + ".issuers: not supported here");
            }
            if (!list.isArray()) {
                throw new IllegalArgumentException(p + ".issuers: expected a list of issuers");
            }
            if (resource == null && !list.isEmpty()) {
                throw new IllegalArgumentException(
                        p + ".resource: required when issuers are configured (it is the audience tokens must name)");
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode item = list.get(i);
                // the audience is the gateway's resource URL unless the issuer names its own
                if (item instanceof ObjectNode io && !io.has("audiences") && resource != null) {
                    io = io.deepCopy();
                    io.putArray("audiences").add(resource.toString());
                    item = io;
                }
                TrustedIssuer t = issuer.apply(item, p + ".issuers[" + i + "]");
                if (t == null) {
                    throw new IllegalArgumentException(p + ".issuers[" + i + "]: invalid");
                }
                issuers.add(t);
            }
        }
        return new Http(
                str(o, "bind", p, "127.0.0.1"),
                (int) port,
                path,
                strings(o.get("allowed_origins"), p + ".allowed_origins"),
                strings(o.get("allowed_hosts"), p + ".allowed_hosts"),
                resource,
                strings(o.get("authorization_servers"), p + ".authorization_servers"),
                issuers,
                str(o, "subject_claim", p, "sub"),
                str(o, "session_claim", p, null),
                str(o, "session_header", p, null));
    }

    private static StaticIdentity identity(JsonNode n, String p, Map<String, String> env) {
        StaticIdentity fromEnv = StaticIdentity.fromEnvironment(env);
        if (n == null || n.isNull()) {
            return fromEnv;
        }
        ObjectNode o = object(n, p);
        unknown(o, p, Set.of("subject", "claims", "session_id"));
        String subject = env.getOrDefault("PORTCULLIS_MCP_SUBJECT", str(o, "subject", p, null));
        if (subject == null || subject.isBlank()) {
            subject = fromEnv.subject();
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        JsonNode c = o.get("claims");
        if (c != null && !c.isNull()) {
            if (!c.isObject()) {
                throw new IllegalArgumentException(p + ".claims: expected a mapping");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = Json.MAPPER.convertValue(c, Map.class);
            claims.putAll(m);
        }
        claims.putAll(fromEnv.claims());
        claims.put("sub", subject);
        String session = env.getOrDefault("PORTCULLIS_MCP_SESSION", str(o, "session_id", p, null));
        return new StaticIdentity(subject, claims, session);
    }

    private static ObjectNode object(JsonNode n, String p) {
        if (!(n instanceof ObjectNode o)) {
            throw new IllegalArgumentException(p + ": expected a mapping, got "
                    + (n == null ? "nothing" : n.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        return o;
    }

    private static void unknown(ObjectNode o, String p, Set<String> known) {
        o.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                throw new IllegalArgumentException(p + "." + k + ": unknown key (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        });
    }

    private static String str(ObjectNode o, String key, String p, String dflt) {
        JsonNode v = o.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isValueNode() || v.isBinary()) {
            throw new IllegalArgumentException(p + "." + key + ": expected a string");
        }
        return v.asText();
    }

    private static long integer(ObjectNode o, String key, String p, long dflt) {
        JsonNode v = o.get(key);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.asText().strip());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new IllegalArgumentException(p + "." + key + ": expected an integer, got `" + v.asText() + "`");
    }

    private static List<String> strings(JsonNode n, String p) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException(p + ": expected a list of strings");
        }
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isValueNode() || n.get(i).isNull()) {
                throw new IllegalArgumentException(p + "[" + i + "]: expected a string");
            }
            out.add(n.get(i).asText());
        }
        return out;
    }

    private static Map<String, String> stringMap(JsonNode n, String p) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException(p + ": expected a mapping of strings");
        }
        n.fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new IllegalArgumentException(p + "." + e.getKey() + ": expected a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }
}
