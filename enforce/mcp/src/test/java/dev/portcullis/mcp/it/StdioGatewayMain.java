package dev.portcullis.mcp.it;

import dev.portcullis.mcp.McpAuthorizer;
import dev.portcullis.mcp.McpGateway;
import dev.portcullis.mcp.McpGatewayConfig;
import dev.portcullis.mcp.McpGatewayConfig.Upstream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The gateway as an MCP client launches it: a command speaking stdio, put where the server's
 * command was. One stdio upstream named {@code fs}; who the client is comes from the environment
 * ({@code PORTCULLIS_MCP_SUBJECT}). The tests start it with the test class path:
 *
 * <pre>
 * StdioGatewayMain &lt;upstream command&gt; [args...]                          allow-all
 * StdioGatewayMain --policed &lt;root&gt; &lt;examples dir&gt; &lt;upstream command&gt; [args...]
 * </pre>
 *
 * {@code --policed}: the COAZ-MCP authorizer over the example policies, as {@link PolicedGateway}.
 */
public final class StdioGatewayMain {

    private StdioGatewayMain() {}

    public static void main(String[] args) {
        List<String> rest = Arrays.asList(args);
        McpAuthorizer authorizer = McpAuthorizer.allowAll();
        if (rest.get(0).equals("--policed")) {
            authorizer = PolicedGateway.authorizer(
                    Path.of(rest.get(2)), rest.get(1), new ArrayList<>(), PolicedGateway.newSessions());
            rest = rest.subList(3, rest.size());
        }
        try (McpGateway gateway = new McpGateway(
                McpGatewayConfig.of(List.of(Upstream.stdio("fs", rest.get(0), rest.subList(1, rest.size())))),
                authorizer)) {
            gateway.serveStdio(System.in, System.out);
        }
        System.exit(0);
    }

    /** The command line that runs this gateway in a fresh JVM with {@code args}. */
    static List<String> command(List<String> args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(
                List.of(java, "-cp", System.getProperty("java.class.path"), StdioGatewayMain.class.getName()));
        cmd.addAll(args);
        return cmd;
    }
}
