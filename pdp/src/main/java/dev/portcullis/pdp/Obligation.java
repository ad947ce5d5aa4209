package dev.portcullis.pdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Something the enforcement point must do, or know, along with a decision: for example {@code
 * approval_required} with the id of the approval a human has to grant before the request is
 * retried. An obligation never turns a deny into an allow.
 *
 * @param name what is required, in snake_case ({@link #APPROVAL_REQUIRED}, ...)
 * @param attributes its parameters, in a fixed order (e.g. {@code approval_id}, {@code expires_at})
 */
public record Obligation(String name, Map<String, String> attributes) {
    /** The decision is a deny until a human grants the approval named by {@code approval_id}. */
    public static final String APPROVAL_REQUIRED = "approval_required";

    public Obligation {
        Objects.requireNonNull(name, "name");
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }
}
