package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.portcullis.pdp.identity.TokenVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP gateway: MCP clients on one side (stdio or Streamable HTTP), upstream MCP servers on the
 * other, and the {@link McpAuthorizer} asked about every message in between.
 *
 * <pre>{@code
 * McpGateway gw = new McpGateway(McpGatewayConfig.of(List.of(Upstream.stdio("fs", "npx", args))),
 *         McpAuthorizer.allowAll()).start();      // HTTP on config.http() (port 0: any free port)
 * URI endpoint = gw.url();                        // http://127.0.0.1:<port>/mcp
 * gw.serveStdio(System.in, System.out);           // or: one stdio client (blocks until its EOF)
 * gw.policiesChanged();                           // clients get list_changed notifications
 * gw.close();
 * }</pre>
 *
 * Every client session gets its own connections to the upstreams, made when it initializes (a
 * stdio upstream is a child process per session) and closed when it ends.
 */
public final class McpGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(McpGateway.class);
    public static final String VERSION = "0.1.0";

    /** How long an HTTP session may stay without a message (and without an event stream). */
    public static final java.time.Duration IDLE_LIMIT = java.time.Duration.ofHours(1);

    private final McpGatewayConfig config;
    private final McpAuthorizer authorizer;
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = newTimer();

    /**
     * Every request sent upstream gets a timeout here, cancelled when it is answered: a cancelled
     * one leaves the queue at once, not when it would have fired (with thousands of calls a second
     * and a timeout of minutes the queue would otherwise hold hundreds of thousands).
     */
    private static ScheduledExecutorService newTimer() {
        java.util.concurrent.ScheduledThreadPoolExecutor t =
                new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
                    Thread th = new Thread(r, "mcp-gateway-timer");
                    th.setDaemon(true);
                    return th;
                });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    private final Map<String, GatewaySession> sessions = new ConcurrentHashMap<>();
    private final TokenVerifier verifier;
    private final StreamableHttpService http;
    private Server server;
    private volatile boolean closed;

    public McpGateway(McpGatewayConfig config, McpAuthorizer authorizer) {
        this.config = Objects.requireNonNull(config, "config");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.verifier = config.http().issuers().isEmpty()
                ? null
                : new TokenVerifier(config.http().issuers());
        this.http = new StreamableHttpService(this, verifier);
        timer.scheduleWithFixedDelay(this::expireIdle, 1, 1, java.util.concurrent.TimeUnit.MINUTES);
    }

    /**
     * An HTTP client that goes away without {@code DELETE} leaves its session (and its upstream
     * processes) behind: sessions without a message for {@link #IDLE_LIMIT} and without an open
     * event stream are closed.
     */
    private void expireIdle() {
        for (GatewaySession s : sessions.values()) {
            if (!s.id.startsWith("stdio-")
                    && s.idleNanos() > IDLE_LIMIT.toNanos()
                    && !(s.channelForHttp() instanceof StreamableHttpService.HttpChannel c && c.streaming())) {
                LOG.info("closing MCP session {}: idle for {}", s.id, IDLE_LIMIT);
                background(s::close);
            }
        }
    }

    public McpGatewayConfig config() {
        return config;
    }

    McpAuthorizer authorizer() {
        return authorizer;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    void background(Runnable r) {
        background.execute(r);
    }

    /** {@code deliverInline}: the client's channel does not block (see {@link ClientChannel#mayBlock}). */
    UpstreamTransport transport(McpGatewayConfig.Upstream u, boolean deliverInline) {
        return u.url() != null
                ? new HttpUpstream(u, config.maxMessageBytes(), deliverInline)
                : new StdioUpstream(u, config.maxMessageBytes());
    }

    /** Starts a stand-alone HTTP listener on {@code config.http()}'s bind address and port. */
    public synchronized McpGateway start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        ServerBuilder sb = Server.builder();
        sb.http(new InetSocketAddress(config.http().bind(), config.http().port()));
        addRoutes(sb);
        server = sb.build();
        server.start().join();
        LOG.info("MCP gateway listening on {}", url());
        return this;
    }

    /**
     * Registers the gateway's HTTP routes on a server being built: the MCP endpoint at {@code
     * config.http().path()} and, when tokens are checked, the protected-resource metadata.
     */
    public void addRoutes(ServerBuilder sb) {
        http.addRoutes(sb);
    }

    /** The port of the stand-alone listener. */
    public int port() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.activeLocalPort();
    }

    /** The MCP endpoint of the stand-alone listener. */
    public URI url() {
        String host = config.http().bind();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        } else if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port() + config.http().path());
    }

    /**
     * Serves one client over stdio: newline-delimited JSON-RPC from {@code in}, answers to {@code
     * out}, until {@code in} ends; then the session's upstreams are closed. Blocks.
     */
    public void serveStdio(InputStream in, OutputStream out) {
        StdioClient client = new StdioClient(this, in, out);
        client.run();
    }

    /** {@link #serveStdio} on a thread of its own. */
    public Thread startStdio(InputStream in, OutputStream out) {
        return Thread.ofPlatform().name("mcp-gateway-stdio").daemon().start(() -> serveStdio(in, out));
    }

    GatewaySession newSession(String prefix, McpIdentity identity, ClientChannel channel) {
        if (closed) {
            throw new IllegalStateException("the gateway is closed");
        }
        String id = prefix + UUID.randomUUID();
        GatewaySession s = new GatewaySession(this, id, identity, channel);
        sessions.put(id, s);
        return s;
    }

    GatewaySession session(String id) {
        return sessions.get(id);
    }

    void forget(GatewaySession s) {
        sessions.remove(s.id);
    }

    /** The number of live client sessions. */
    public int sessionCount() {
        return sessions.size();
    }

    /**
     * The policy set changed: every initialized session is sent {@code notifications/tools/list_changed}
     * (and prompts, resources where its upstreams have them), so clients list again and see what
     * they may use now.
     */
    public void policiesChanged() {
        for (GatewaySession s : sessions.values()) {
            try {
                s.policiesChanged();
            } catch (RuntimeException e) {
                LOG.debug("notifying session {}: {}", s.id, e.toString());
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (GatewaySession s : new ArrayList<>(sessions.values())) {
            s.close();
        }
        if (server != null) {
            server.stop().join();
        }
        if (verifier != null) {
            verifier.close();
        }
        timer.shutdownNow();
        background.shutdownNow();
    }

    /** One client on a pair of streams. */
    private static final class StdioClient implements ClientChannel {
        private final McpGateway gateway;
        private final InputStream in;
        private final OutputStream out;

        StdioClient(McpGateway gateway, InputStream in, OutputStream out) {
            this.gateway = gateway;
            this.in = in;
            this.out = out;
        }

        @Override
        public boolean send(ObjectNode message, JsonNode related) {
            try {
                byte[] bytes = Json.MAPPER.writeValueAsBytes(message);
                synchronized (this) {
                    out.write(bytes);
                    out.write('\n');
                    out.flush();
                }
                return true;
            } catch (IOException e) {
                LOG.debug("writing to the stdio client failed: {}", e.toString());
                return false;
            }
        }

        void run() {
            GatewaySession session =
                    gateway.newSession("stdio-", gateway.config.identity().toIdentity(), this);
            int max = gateway.config.maxMessageBytes();
            LineReader lines = new LineReader(in, max);
            try {
                byte[] line;
                while ((line = lines.next()) != null) {
                    if (line == LineReader.TOO_LONG) {
                        send(
                                Json.error(
                                        null,
                                        Json.INVALID_REQUEST,
                                        "message too large: the limit is " + max + " bytes; it was discarded"),
                                null);
                        continue;
                    }
                    if (isBlank(line)) {
                        continue;
                    }
                    JsonNode msg;
                    try {
                        msg = Json.MAPPER.readTree(line);
                    } catch (IOException e) {
                        send(Json.error(null, Json.PARSE_ERROR, "Parse error: not JSON"), null);
                        continue;
                    }
                    String bad = Json.invalid(msg);
                    if (bad != null) {
                        JsonNode id = Json.idOf(msg);
                        // an invalid response from the client has nobody to be answered
                        if (id == null || msg.has("method") || msg.isArray()) {
                            send(Json.error(id, Json.INVALID_REQUEST, "Invalid request: " + bad), id);
                        }
                        continue;
                    }
                    session.fromClient((ObjectNode) msg);
                }
            } catch (IOException e) {
                LOG.debug("reading the stdio client failed: {}", e.toString());
            } finally {
                // the client has nothing more to say: let what it asked finish, then end
                session.awaitAnswers(gateway.config.requestTimeout());
                session.close();
            }
        }

        private static boolean isBlank(byte[] line) {
            return new String(line, StandardCharsets.UTF_8).isBlank();
        }
    }
}
