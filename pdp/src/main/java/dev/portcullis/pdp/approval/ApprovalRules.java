package dev.portcullis.pdp.approval;

import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.ast.Effect;
import dev.portcullis.cedar.ast.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The approval annotations of one policy set, read once per set:
 *
 * <pre>
 *   &#64;approval("required")      an allow this permit determines needs a human approval
 *   &#64;approval_ttl("15m")       how long a grant lasts (d, h, m, s; e.g. "1h30m"); optional
 * </pre>
 *
 * A malformed annotation (another {@code @approval} value, an unreadable duration, an {@code
 * @approval_ttl} without {@code @approval}) is not an error at load time but makes every allow the
 * policy determines fail closed: a policy that meant to ask a human is never silently waved
 * through. Annotations on forbids are ignored (a forbid never determines an allow).
 */
public final class ApprovalRules {
    public static final String ANNOTATION = "approval";
    public static final String TTL_ANNOTATION = "approval_ttl";
    private static final ApprovalRules NONE = new ApprovalRules(Map.of());
    /** A reason from the session step: the check's name, a colon, the policy id. */
    private static final Pattern SESSION_CHECK = Pattern.compile("(?:agent|user|parent\\d*):(.+)");

    private static final Pattern DURATION =
            Pattern.compile("(?:(\\d{1,6})d)?(?:(\\d{1,6})h)?(?:(\\d{1,6})m)?(?:(\\d{1,6})s)?");

    /** One permit's demand: a grant duration (or null for the default), or why it is malformed. */
    private record Rule(Duration ttl, String problem) {}

    private final Map<String, Rule> rules;

    private ApprovalRules(Map<String, Rule> rules) {
        this.rules = rules;
    }

    /** The rules of {@code set}'s permits (static policies and template links). */
    public static ApprovalRules of(PolicySet set) {
        Map<String, Rule> rules = new HashMap<>();
        for (Policy p : set.policies()) {
            if (p.effect() != Effect.PERMIT) {
                continue;
            }
            Rule r = rule(p);
            if (r != null) {
                rules.put(p.id(), r);
            }
        }
        return rules.isEmpty() ? NONE : new ApprovalRules(Map.copyOf(rules));
    }

    private static Rule rule(Policy p) {
        String value = p.annotations().get(ANNOTATION);
        String ttl = p.annotations().get(TTL_ANNOTATION);
        if (value == null && ttl == null) {
            return null;
        }
        if (value == null) {
            return new Rule(
                    null,
                    "policy `" + p.id() + "` has @" + TTL_ANNOTATION + " but no @" + ANNOTATION + "(\"required\")");
        }
        if (!value.equals("required")) {
            return new Rule(
                    null,
                    "policy `" + p.id() + "`: unknown @" + ANNOTATION + " value `" + value
                            + "` (expected \"required\")");
        }
        if (ttl == null) {
            return new Rule(null, null);
        }
        Duration d = parseDuration(ttl);
        return d == null
                ? new Rule(
                        null,
                        "policy `" + p.id() + "`: bad @" + TTL_ANNOTATION + " `" + ttl
                                + "` (expected a positive duration such as \"15m\" or \"1h30m\")")
                : new Rule(d, null);
    }

    /** {@code 1d2h3m4s} and any subset in that order; {@code null} when malformed or zero. */
    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (text.isBlank() || !m.matches()) {
            return null;
        }
        long[] perUnit = {86_400, 3_600, 60, 1};
        long seconds = 0;
        for (int i = 0; i < perUnit.length; i++) {
            String g = m.group(i + 1);
            if (g != null) {
                seconds += Long.parseLong(g) * perUnit[i];
            }
        }
        return seconds > 0 ? Duration.ofSeconds(seconds) : null;
    }

    /** Whether no permit of the set asks for approval (the decision path's fast exit). */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * What the permits {@code determining} an allow demand: {@code null} when none asks for
     * approval. Throws {@link ApprovalException} ({@code INVALID}) when one of them is malformed.
     */
    public ApprovalRequirement requirement(Collection<String> determining) {
        if (rules.isEmpty()) {
            return null;
        }
        List<String> policies = null;
        Duration ttl = null;
        for (String reason : determining) {
            String id = reason;
            Rule r = rules.get(id);
            if (r == null) {
                // in an agent session each party's reasons carry the check's prefix (agent:P, user:P)
                Matcher m = SESSION_CHECK.matcher(reason);
                if (m.matches()) {
                    id = m.group(1);
                    r = rules.get(id);
                }
            }
            if (r == null || (policies != null && policies.contains(id))) {
                continue;
            }
            if (r.problem() != null) {
                throw new ApprovalException(ApprovalException.Kind.INVALID, r.problem());
            }
            if (policies == null) {
                policies = new ArrayList<>(2);
            }
            policies.add(id);
            if (r.ttl() != null && (ttl == null || r.ttl().compareTo(ttl) < 0)) {
                ttl = r.ttl();
            }
        }
        return policies == null ? null : new ApprovalRequirement(policies, ttl);
    }
}
