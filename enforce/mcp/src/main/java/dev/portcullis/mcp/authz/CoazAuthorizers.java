package dev.portcullis.mcp.authz;

import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.mcp.McpAuthorizer;
import dev.portcullis.pdp.DecisionService;
import dev.portcullis.pdp.entity.EntityProvider;
import dev.portcullis.pdp.session.SessionService;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

/** Builds the COAZ-MCP authorizer of the gateway. */
public final class CoazAuthorizers {
    private CoazAuthorizers() {}

    /**
     * The COAZ-MCP authorizer deciding through {@code decisions}.
     *
     * @param sessions the agent sessions ({@code null}: none configured; then {@code sessions.mode}
     *     must be {@code none} or {@code identity})
     * @throws IllegalArgumentException when the settings need something not given
     */
    public static McpAuthorizer create(CoazSettings settings, DecisionService decisions, SessionService sessions) {
        return create(settings, decisions, sessions, null);
    }

    /**
     * As {@link #create(CoazSettings, DecisionService, SessionService)}, reading declared subject and
     * resource {@code properties} schema-directed with the current schema ({@code schema} may be
     * {@code null} or supply {@code null}).
     */
    public static McpAuthorizer create(
            CoazSettings settings, DecisionService decisions, SessionService sessions, Supplier<Schema> schema) {
        return create(settings, decisions, sessions, schema, null);
    }

    /**
     * The full form: {@code entities} (the decision service's entity data, may be {@code null}) is
     * where the labels of folders are read, so that a path inherits the labels of the folders it
     * is in (see {@code paths.label_attributes}); without it only labels on a path's own entity
     * count.
     */
    public static McpAuthorizer create(
            CoazSettings settings,
            DecisionService decisions,
            SessionService sessions,
            Supplier<Schema> schema,
            EntityProvider entities) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(decisions, "decisions");
        SessionBinder binder =
                new SessionBinder(settings.sessions(), sessions, settings.sessionPurpose(), Clock.systemUTC());
        return new CoazAuthorizer(settings, decisions, binder, schema, entities);
    }
}
