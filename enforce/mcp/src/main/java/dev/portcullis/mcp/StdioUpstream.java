package dev.portcullis.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An upstream MCP server run as a child process, speaking newline-delimited JSON on its stdio. */
final class StdioUpstream implements UpstreamTransport {
    private static final Logger LOG = LoggerFactory.getLogger(StdioUpstream.class);

    private final McpGatewayConfig.Upstream config;
    private final int maxBytes;
    private Process process;
    private OutputStream stdin;
    private volatile boolean closing;
    private volatile Consumer<String> onClosed;

    StdioUpstream(McpGatewayConfig.Upstream config, int maxBytes) {
        this.config = config;
        this.maxBytes = maxBytes;
    }

    @Override
    public void start(Consumer<ObjectNode> onMessage, Consumer<String> closed) throws IOException {
        this.onClosed = closed;
        List<String> cmd = new ArrayList<>();
        cmd.add(config.command());
        cmd.addAll(config.args());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(config.env());
        if (config.cwd() != null) {
            pb.directory(config.cwd().toFile());
        }
        // the child's diagnostics go where the gateway's go: stderr, never the protocol stream
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        process = pb.start();
        stdin = process.getOutputStream();
        LineReader lines = new LineReader(process.getInputStream(), maxBytes);
        Thread.ofVirtual().name("mcp-upstream-" + config.name()).start(() -> {
            try {
                byte[] line;
                while ((line = lines.next()) != null) {
                    if (line == LineReader.TOO_LONG) {
                        LOG.warn("upstream `{}` sent a message over {} bytes; discarded", config.name(), maxBytes);
                        continue;
                    }
                    if (line.length == 0) {
                        continue;
                    }
                    JsonNode msg;
                    try {
                        msg = Json.MAPPER.readTree(line);
                    } catch (IOException e) {
                        LOG.warn("upstream `{}` wrote a line that is not JSON; ignored", config.name());
                        continue;
                    }
                    if (msg instanceof ObjectNode o) {
                        onMessage.accept(o);
                    } else {
                        LOG.warn("upstream `{}` wrote a message that is not an object; ignored", config.name());
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("reading upstream `{}`: {}", config.name(), e.toString());
            }
            closed(exitDescription());
        });
    }

    private String exitDescription() {
        try {
            if (process.waitFor(200, TimeUnit.MILLISECONDS)) {
                return "its process exited with code " + process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "its output ended";
    }

    private void closed(String reason) {
        Consumer<String> c = onClosed;
        onClosed = null;
        if (c != null) {
            c.accept(closing ? "it was closed" : reason);
        }
    }

    @Override
    public void send(ObjectNode message) {
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(message);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            synchronized (this) {
                stdin.write(bytes);
                stdin.write('\n');
                stdin.flush();
            }
        } catch (IOException e) {
            closed("writing to it failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        closing = true;
        if (process == null) {
            return;
        }
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
