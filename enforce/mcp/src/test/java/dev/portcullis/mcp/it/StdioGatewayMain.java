package dev.portcullis.mcp.it;

import dev.portcullis.mcp.McpAuthorizer;
import dev.portcullis.mcp.McpGateway;
import dev.portcullis.mcp.McpGatewayConfig;
import dev.portcullis.mcp.McpGatewayConfig.Upstream;
import java.util.Arrays;
import java.util.List;

/**
 * The gateway as an MCP client launches it: a command speaking stdio, put where the server's
 * command was. {@code StdioGatewayMain <upstream command> [args...]}: one stdio upstream named
 * {@code fs}, allow-all. The tests start it with the test class path.
 */
public final class StdioGatewayMain {

    private StdioGatewayMain() {}

    public static void main(String[] args) {
        List<String> upstream = Arrays.asList(args);
        try (McpGateway gateway = new McpGateway(
                McpGatewayConfig.of(
                        List.of(Upstream.stdio("fs", upstream.get(0), upstream.subList(1, upstream.size())))),
                McpAuthorizer.allowAll())) {
            gateway.serveStdio(System.in, System.out);
        }
        System.exit(0);
    }

    /** The command line that runs this gateway in a fresh JVM in front of {@code upstream}. */
    static List<String> command(List<String> upstream) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new java.util.ArrayList<>(
                List.of(java, "-cp", System.getProperty("java.class.path"), StdioGatewayMain.class.getName()));
        cmd.addAll(upstream);
        return cmd;
    }
}
