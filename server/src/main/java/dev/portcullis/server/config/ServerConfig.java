package dev.portcullis.server.config;

import dev.portcullis.pdp.authzen.Mapping;
import dev.portcullis.pdp.identity.TrustedIssuer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated server configuration (see {@link ConfigLoader} for the file format, the defaults
 * and the environment overrides). Paths are absolute: relative ones were resolved against the
 * configuration file's directory.
 *
 * @param bind the address to listen on
 * @param port the TCP port; 0 picks a free one (tests)
 * @param eventLoops the server's event loop threads, which also decide (decisions are CPU work that
 *     never blocks there): by default as many as the CPUs the process may use
 * @param policies the directory holding {@code *.cedar}, the schema and {@code *.links.json}
 * @param schema a schema file outside the policies directory, or {@code null}
 * @param watch reload policies and entities when their files change
 * @param entities Cedar entity JSON files or directories (possibly none)
 * @param logUrl where decisions are logged ({@code sqlite:PATH} or a PostgreSQL URL)
 * @param durableLog acknowledge a decision only after its log entry is committed
 * @param auth who may call
 * @param mapping how AuthZEN names become Cedar names
 * @param responseContext whether AuthZEN responses carry a {@code context} (decision id, reasons)
 * @param tls the certificate and key to serve HTTPS with, or {@code null} for plain HTTP
 * @param shutdownGrace how long running requests may take to finish when stopping
 * @param logging log format and levels
 * @param agents agent sessions, the Shared Signals receiver and approvals
 * @param mcp the MCP gateway (the {@code mcp:} section), or {@code null} when not configured
 */
public record ServerConfig(
        String bind,
        int port,
        int eventLoops,
        Path policies,
        Path schema,
        boolean watch,
        List<Path> entities,
        String logUrl,
        boolean durableLog,
        Auth auth,
        Mapping mapping,
        boolean responseContext,
        Duration shutdownGrace,
        Tls tls,
        Logging logging,
        AgentSettings agents,
        Mcp mcp) {

    public ServerConfig {
        agents = agents == null ? AgentSettings.none() : agents;
    }

    /**
     * The MCP gateway's settings: the proxy's, and the authorizer's ({@code mcp.authorization}).
     */
    public record Mcp(
            dev.portcullis.mcp.McpGatewayConfig gateway, dev.portcullis.mcp.authz.CoazSettings authorization) {}

    /** Listening on {@code address}:{@code newPort}. */
    public ServerConfig withListener(String address, int newPort) {
        return new ServerConfig(
                address,
                newPort,
                eventLoops,
                policies,
                schema,
                watch,
                entities,
                logUrl,
                durableLog,
                auth,
                mapping,
                responseContext,
                shutdownGrace,
                tls,
                logging,
                agents,
                mcp);
    }

    public ServerConfig withMcp(Mcp m) {
        return new ServerConfig(
                bind,
                port,
                eventLoops,
                policies,
                schema,
                watch,
                entities,
                logUrl,
                durableLog,
                auth,
                mapping,
                responseContext,
                shutdownGrace,
                tls,
                logging,
                agents,
                m);
    }

    public ServerConfig withPort(int newPort) {
        return withListener(bind, newPort);
    }

    public ServerConfig withLogUrl(String url) {
        return new ServerConfig(
                bind,
                port,
                eventLoops,
                policies,
                schema,
                watch,
                entities,
                url,
                durableLog,
                auth,
                mapping,
                responseContext,
                shutdownGrace,
                tls,
                logging,
                agents,
                mcp);
    }

    /** A caller's rights. */
    public enum Role {
        /** may ask for decisions (the AuthZEN API) */
        PEP,
        /**
         * may read and change policies, read the decision log, list and revoke agent sessions (the
         * admin API), and grant or deny approvals
         */
        ADMIN,
        /** may list, grant and deny approvals (the approvals API) */
        APPROVER
    }

    /** One API key: its name (logged as the caller), its secret and its roles. */
    public record ApiKey(String name, String key, Set<Role> roles) {
        @Override
        public String toString() {
            // never print the secret
            return "ApiKey[" + name + ", " + roles + "]";
        }
    }

    /**
     * {@code disabled}: every caller is anonymous with every role.
     *
     * @param jwt bearer JWTs from trusted issuers, or {@code null} when not configured
     */
    public record Auth(boolean disabled, List<ApiKey> apiKeys, Jwt jwt) {}

    /**
     * Callers that present a JWT.
     *
     * @param issuers the issuers whose tokens are accepted
     * @param rolesClaim the claim holding the caller's role values (a space-separated string, as
     *     {@code scope} is, or a list of strings); a dotted path such as {@code realm_access.roles}
     *     reaches into objects when no claim has the dotted name itself
     * @param roles claim value → the roles it grants; values not listed grant nothing
     * @param nameClaim the claim that names the caller in the decision log ({@code sub} by default)
     */
    public record Jwt(List<TrustedIssuer> issuers, String rolesClaim, Map<String, Set<Role>> roles, String nameClaim) {
        public Jwt {
            issuers = List.copyOf(issuers);
            roles = Map.copyOf(roles);
        }
    }

    /**
     * HTTPS on the server's port.
     *
     * @param cert the PEM certificate chain, leaf first
     * @param key the PEM PKCS#8 private key of the leaf
     * @param clientCa PEM CA certificates that client certificates must chain to (mutual TLS), or
     *     {@code null} when clients present no certificate
     */
    public record Tls(Path cert, Path key, Path clientCa) {}

    /** How log events are written: {@code text} lines for people, {@code json} lines for collectors. */
    public enum LogFormat {
        TEXT,
        JSON
    }

    /**
     * @param format the line format (both on stderr)
     * @param level the root level: {@code trace}, {@code debug}, {@code info}, {@code warn}, {@code
     *     error} or {@code off}
     * @param levels levels of single loggers (and their children) by logger name, e.g. {@code
     *     dev.portcullis.pdp.policy: debug}
     */
    public record Logging(LogFormat format, String level, Map<String, String> levels) {
        public static final Logging DEFAULT = new Logging(LogFormat.TEXT, "info", Map.of());
    }
}
