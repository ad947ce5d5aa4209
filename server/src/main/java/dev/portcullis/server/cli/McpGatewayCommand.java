package dev.portcullis.server.cli;

import dev.portcullis.mcp.McpGateway;
import dev.portcullis.mcp.McpGatewayConfig;
import dev.portcullis.server.config.ServerConfig;
import dev.portcullis.server.http.PortcullisServer;
import dev.portcullis.server.input.InputException;
import dev.portcullis.server.logging.LogSetup;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis mcp-gateway}: the MCP gateway with a decision point of its own, built from the
 * same configuration sections as {@code serve} (policies, entities, log, sessions) plus {@code
 * mcp:}. Over stdio (an MCP client launches it in place of a server command: JSON-RPC on stdin and
 * stdout, diagnostics on stderr) or over Streamable HTTP at {@code /mcp}.
 */
@Command(
        name = "mcp-gateway",
        mixinStandardHelpOptions = true,
        description = {
            "Run the MCP gateway in front of the upstream MCP servers of the `mcp:` section.",
            "Over stdio when mcp.listen is `stdio` (or with --stdio); over HTTP at /mcp with --port or mcp.listen: http.",
            "Every client message is authorized against the policies; decisions go to the decision log."
        })
public final class McpGatewayCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(McpGatewayCommand.class);

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            required = true,
            description = "gateway.yaml (with an `mcp:` section)")
    Path config;

    @Option(
            names = "--port",
            paramLabel = "N",
            description = "serve Streamable HTTP on this port (overrides server.port)")
    Integer port;

    @Option(names = "--stdio", description = "serve one client on stdin/stdout, whatever mcp.listen says")
    boolean stdio;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ServerConfig cfg = ServeCommand.load(config, err);
        if (cfg == null) {
            return Main.BAD_INPUT;
        }
        if (cfg.mcp() == null) {
            err.println(
                    "error: " + config + ": mcp: the section is required (upstreams to put the gateway in front of)");
            return Main.BAD_INPUT;
        }
        if (stdio && port != null) {
            throw new InputException("--stdio and --port: choose one");
        }
        if (port != null && (port < 0 || port > 65535)) {
            throw new InputException("--port: must be between 1 and 65535, got " + port);
        }
        boolean overStdio = stdio || (port == null && cfg.mcp().gateway().listen() == McpGatewayConfig.Listen.STDIO);
        OutputStream protocolOut = null;
        if (overStdio) {
            // stdout carries the protocol and nothing else: stray prints go to stderr
            protocolOut = new FileOutputStream(FileDescriptor.out);
            System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
            // the decision point's own HTTP API stays on a free loopback port
            cfg = cfg.withListener("127.0.0.1", 0);
        } else if (port != null) {
            cfg = cfg.withPort(port);
        }
        LogSetup.apply(cfg.logging());
        PortcullisServer server = ServeCommand.start(cfg);
        McpGateway gateway = server.mcpGateway();
        if (overStdio) {
            InputStream in = new FileInputStream(FileDescriptor.in);
            try {
                gateway.serveStdio(in, protocolOut);
            } finally {
                server.close();
            }
            return 0;
        }
        LOG.info(
                "MCP gateway at {}://{}:{}{}",
                server.scheme(),
                cfg.bind(),
                server.port(),
                cfg.mcp().gateway().http().path());
        ServeCommand.runUntilStopped(server);
        return 0;
    }
}
