package dev.portcullis.pdp.session;

import java.util.List;

/**
 * What a session declared it will touch. Each dimension is a list, and {@code null} means the
 * session does not restrict that dimension; an empty list allows nothing.
 *
 * <ul>
 *   <li>{@code actions}: action names ({@code read}, i.e. {@code Action::"read"}) or uids
 *       ({@code Mail::Action::"send"}); an action inside a listed action group is inside too.
 *   <li>{@code resources}: resource patterns, any of which may match: {@code Type::"id"} (that
 *       entity or anything in it), {@code Type::"prefix*"} (entities of the type whose id matches,
 *       {@code *} matching any characters), {@code Type::*} or {@code Type} (any entity of the
 *       type), {@code *} (any resource).
 *   <li>{@code datasets}: dataset names; a resource that carries the configured dataset attribute
 *       (default {@code dataset}) must name one of them. Resources without it are left to the
 *       other dimensions.
 * </ul>
 *
 * <p>A boundary is compiled into Cedar policies when its session starts (see {@code
 * SessionService#boundaryPolicies}) and evaluated with the same engine as the policy set, so a
 * deny names the dimension that failed. A sub-agent's session is checked against its own
 * boundary and every ancestor's: delegation only narrows.
 */
public record Boundary(List<String> actions, List<String> resources, List<String> datasets) {
    private static final Boundary UNRESTRICTED = new Boundary(null, null, null);

    public Boundary {
        actions = copy(actions);
        resources = copy(resources);
        datasets = copy(datasets);
    }

    /** A boundary that restricts nothing: only the policies (and any ancestor's boundary) decide. */
    public static Boundary unrestricted() {
        return UNRESTRICTED;
    }

    public static Boundary ofActions(List<String> actions) {
        return new Boundary(actions, null, null);
    }

    public Boundary withResources(List<String> resources) {
        return new Boundary(actions, resources, datasets);
    }

    public Boundary withDatasets(List<String> datasets) {
        return new Boundary(actions, resources, datasets);
    }

    /** Whether no dimension is restricted. */
    public boolean isUnrestricted() {
        return actions == null && resources == null && datasets == null;
    }

    private static List<String> copy(List<String> list) {
        return list == null ? null : List.copyOf(list);
    }
}
