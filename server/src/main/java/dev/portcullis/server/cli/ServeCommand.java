package dev.portcullis.server.cli;

import dev.portcullis.pdp.entity.EntityLoadException;
import dev.portcullis.pdp.log.DecisionLogException;
import dev.portcullis.pdp.policy.PolicyLoadException;
import dev.portcullis.server.config.ConfigException;
import dev.portcullis.server.config.ConfigLoader;
import dev.portcullis.server.config.ServerConfig;
import dev.portcullis.server.http.PortcullisServer;
import dev.portcullis.server.input.InputException;
import dev.portcullis.server.logging.LogSetup;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis serve}: the decision point over HTTP until stopped (Ctrl-C / SIGTERM drain the
 * decision log before exiting). Without {@code --config} it serves the embedded default, {@code
 * examples/photoflash/portcullis.yaml} under the working directory, which binds to 127.0.0.1 and so
 * may run without authentication.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Run the Portcullis decision point: AuthZEN API, admin API, metrics.",
            "Without --config: the photoflash example on http://127.0.0.1:8180, log in ./data/decisions.db.",
            "Environment overrides: PORTCULLIS_SERVER_PORT, PORTCULLIS_LOG_URL, ... (see docs/server.md)."
        })
public final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);
    static final Path DEFAULT_CONFIG = Path.of("examples", "photoflash", "portcullis.yaml");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "portcullis.yaml to serve")
    Path config;

    @Option(names = "--port", paramLabel = "N", description = "port to listen on (overrides server.port)")
    Integer port;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Path file = config;
        if (file == null) {
            file = DEFAULT_CONFIG;
            if (!Files.isRegularFile(file)) {
                throw new InputException("no --config given and the default `" + file
                        + "` is not here: run from the repository root or pass --config FILE");
            }
        }
        ServerConfig cfg = load(file, err);
        if (cfg == null) {
            return Main.BAD_INPUT;
        }
        if (port != null) {
            if (port < 0 || port > 65535) {
                throw new InputException("--port: must be between 1 and 65535, got " + port);
            }
            cfg = cfg.withPort(port);
        }
        // from here on diagnostics are log events (text or json lines on stderr), not CLI output
        LogSetup.apply(cfg.logging());
        runUntilStopped(start(cfg));
        return 0;
    }

    /** The configuration in {@code file}, or {@code null} when its problems have been printed. */
    /**
     * Starts the server; what its configuration gets wrong (policies, entities, the decision log,
     * the {@code mcp:} section's upstreams) is an input error naming it, not a stack trace.
     */
    static PortcullisServer start(ServerConfig cfg) {
        try {
            return PortcullisServer.start(cfg);
        } catch (PolicyLoadException | EntityLoadException | DecisionLogException | IllegalStateException e) {
            throw new InputException(e.getMessage());
        } catch (IllegalArgumentException e) {
            if (cfg.mcp() == null) {
                throw e;
            }
            throw new InputException("mcp: " + e.getMessage());
        }
    }

    static ServerConfig load(Path file, PrintWriter err) {
        if (!Files.isRegularFile(file)) {
            throw new InputException("configuration `" + file + "` not found");
        }
        try {
            return ConfigLoader.load(file);
        } catch (ConfigException e) {
            for (String p : e.problems()) {
                err.println("error: " + file + ": " + p);
            }
            return null;
        }
    }

    /** Blocks until the process is asked to stop (Ctrl-C, SIGTERM), then closes {@code server}. */
    static void runUntilStopped(PortcullisServer server) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                server.close();
                            } catch (RuntimeException e) {
                                LOG.error("stopping failed: {}", e.getMessage());
                            } finally {
                                stopped.countDown();
                            }
                        },
                        "portcullis-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
        }
    }
}
