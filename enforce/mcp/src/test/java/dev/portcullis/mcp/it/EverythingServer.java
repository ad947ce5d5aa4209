package dev.portcullis.mcp.it;

import java.nio.file.Path;
import java.util.Map;

/** {@code @modelcontextprotocol/server-everything} in {@code streamableHttp} mode on a free local port. */
final class EverythingServer implements AutoCloseable {

    final String url;
    private final ChildProcess process;

    private EverythingServer(String url, ChildProcess process) {
        this.url = url;
        this.process = process;
    }

    static EverythingServer start(NodeTools tools) {
        int port = ChildProcess.freePort();
        Path entry = tools.file("@modelcontextprotocol/server-everything", "dist/index.js");
        ChildProcess p = ChildProcess.start(
                        "server-everything",
                        tools.nodeCommand(entry, "streamableHttp"),
                        Map.of("PORT", Integer.toString(port)),
                        tools.home)
                .awaitPort(port);
        return new EverythingServer("http://127.0.0.1:" + port + "/mcp", p);
    }

    /** What the server printed so far. */
    String log() {
        return process.log();
    }

    @Override
    public void close() {
        process.close();
    }
}
