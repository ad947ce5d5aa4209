package dev.portcullis.server.http;

import dev.portcullis.mcp.McpAuthorizer;
import dev.portcullis.mcp.McpGateway;
import dev.portcullis.mcp.authz.CoazAuthorizers;
import dev.portcullis.pdp.DecisionService;
import dev.portcullis.pdp.entity.EntityProvider;
import dev.portcullis.pdp.policy.PolicySnapshot;
import dev.portcullis.pdp.policy.PolicyStore;
import dev.portcullis.pdp.session.SessionService;
import dev.portcullis.server.config.ServerConfig;
import java.util.List;

/**
 * The MCP gateway inside the server: its authorizer is the COAZ-MCP one over the server's decision
 * service (so its decisions are on the same decision log), and a policy change tells its clients
 * that their lists may have changed.
 */
final class McpHosting {
    private McpHosting() {}

    static McpGateway create(
            ServerConfig.Mcp config,
            DecisionService decisions,
            SessionService sessions,
            PolicyStore store,
            EntityProvider entities,
            List<AutoCloseable> closeables) {
        McpAuthorizer authorizer = CoazAuthorizers.create(
                config.authorization(), decisions, sessions, () -> schemaOf(store.current()), entities);
        McpGateway gateway = new McpGateway(config.gateway(), authorizer);
        store.addListener(new PolicyStore.Listener() {
            @Override
            public void activated(PolicySnapshot previous, PolicySnapshot current) {
                gateway.policiesChanged();
            }
        });
        closeables.add(gateway);
        return gateway;
    }

    private static dev.portcullis.cedar.schema.Schema schemaOf(PolicySnapshot s) {
        return s == null ? null : s.schemaOrNull();
    }
}
