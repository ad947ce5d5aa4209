package dev.portcullis.pdp.authzen;

import java.util.Map;

/**
 * How AuthZEN names map to Cedar's (the {@code mapping} section of the server's configuration;
 * the MCP gateway uses the same).
 *
 * @param types AuthZEN subject/resource type → Cedar entity type (unmapped types are used as
 *     given)
 * @param actionType the Cedar entity type of actions, e.g. {@code Action} or {@code App::Action}
 */
public record Mapping(Map<String, String> types, String actionType) {
    public Mapping {
        types = Map.copyOf(types);
    }

    /** No type renaming, actions of type {@code Action}. */
    public static final Mapping DEFAULT = new Mapping(Map.of(), "Action");
}
