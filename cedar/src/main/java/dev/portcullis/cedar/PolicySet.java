package dev.portcullis.cedar;

import dev.portcullis.cedar.ast.EntityRef;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.ast.ScopeConstraint;
import dev.portcullis.cedar.ast.SlotId;
import dev.portcullis.cedar.parser.PolicyParser;
import dev.portcullis.cedar.value.EntityUid;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An immutable set of static policies, templates and template links. Every id (of a static
 * policy, a template or a link) is unique within the set. {@link #policies()} is what an {@link
 * Authorizer} evaluates: the static policies and the linked policies, in the order they were added;
 * templates themselves are never evaluated.
 */
public final class PolicySet {
    private static final PolicySet EMPTY = new PolicySet(Map.of(), Map.of(), Map.of());

    private final Map<String, Policy> statics;
    private final Map<String, Policy> templates;
    private final Map<String, Policy> links;
    private final List<Policy> policies;

    private PolicySet(Map<String, Policy> statics, Map<String, Policy> templates, Map<String, Policy> links) {
        this.statics = statics;
        this.templates = templates;
        this.links = links;
        List<Policy> all = new ArrayList<>(statics.size() + links.size());
        all.addAll(statics.values());
        all.addAll(links.values());
        this.policies = Collections.unmodifiableList(all);
    }

    public static PolicySet empty() {
        return EMPTY;
    }

    /**
     * Parses Cedar policy text; policies and templates get the positional ids {@code policy0},
     * {@code policy1}, ... Throws {@code ParseException} on bad syntax.
     */
    public static PolicySet parse(String text) {
        return of(PolicyParser.parse(text));
    }

    /** A set of these policies and templates (a policy with a slot in its scope is a template). */
    public static PolicySet of(List<Policy> policies) {
        Map<String, Policy> statics = new LinkedHashMap<>();
        Map<String, Policy> templates = new LinkedHashMap<>();
        for (Policy p : policies) {
            if (statics.containsKey(p.id()) || templates.containsKey(p.id())) {
                throw new PolicySetException("duplicate policy id `" + p.id() + "`");
            }
            (p.isTemplate() ? templates : statics).put(p.id(), p);
        }
        return new PolicySet(freeze(statics), freeze(templates), Map.of());
    }

    /**
     * This set with every policy and template that has an {@code @id("...")} annotation renamed to
     * that id, as the Cedar CLI does; links keep their ids. Fails when two ids then clash.
     */
    public PolicySet withIdsFromAnnotations() {
        if (!links.isEmpty()) {
            throw new IllegalStateException("rename policies before linking templates");
        }
        List<Policy> renamed = new ArrayList<>();
        for (Policy p : statics.values()) {
            renamed.add(renamed(p));
        }
        for (Policy t : templates.values()) {
            renamed.add(renamed(t));
        }
        return of(renamed);
    }

    private static Policy renamed(Policy p) {
        String id = p.annotations().get("id");
        return id == null ? p : p.withId(id);
    }

    /**
     * This set plus the policy obtained by substituting {@code values} for the slots of template
     * {@code templateId}; the new policy has id {@code linkId}. The values must fill exactly the
     * template's slots.
     */
    public PolicySet link(String templateId, String linkId, Map<SlotId, EntityUid> values) {
        return linkAll(List.of(new TemplateLink(templateId, linkId, values)));
    }

    /** This set plus all these links (in order); cheaper than linking one at a time. */
    public PolicySet linkAll(List<TemplateLink> toLink) {
        Map<String, Policy> newLinks = new LinkedHashMap<>(links);
        for (TemplateLink l : toLink) {
            newLinks.put(l.linkId(), makeLink(l.templateId(), l.linkId(), l.values(), newLinks));
        }
        return new PolicySet(statics, templates, Collections.unmodifiableMap(newLinks));
    }

    /** One template link: the template's id, the new policy's id and the slot values. */
    public record TemplateLink(String templateId, String linkId, Map<SlotId, EntityUid> values) {
        public TemplateLink {
            values = Collections.unmodifiableMap(new java.util.HashMap<>(values));
        }
    }

    private Policy makeLink(
            String templateId, String linkId, Map<SlotId, EntityUid> values, Map<String, Policy> linksSoFar) {
        Policy template = templates.get(templateId);
        if (template == null) {
            String what = statics.containsKey(templateId) || linksSoFar.containsKey(templateId)
                    ? "is not a template"
                    : "does not exist";
            throw new PolicySetException("cannot link `" + linkId + "`: template `" + templateId + "` " + what);
        }
        if (statics.containsKey(linkId) || templates.containsKey(linkId) || linksSoFar.containsKey(linkId)) {
            throw new PolicySetException("cannot link `" + linkId + "`: a policy with that id already exists");
        }
        Set<SlotId> slots = slotsOf(template);
        for (SlotId s : slots) {
            if (values.get(s) == null) {
                throw new PolicySetException("cannot link `" + linkId + "`: template `" + templateId
                        + "` needs a value for `" + s.text() + "`");
            }
        }
        for (SlotId s : values.keySet()) {
            if (!slots.contains(s)) {
                throw new PolicySetException(
                        "cannot link `" + linkId + "`: template `" + templateId + "` has no slot `" + s.text() + "`");
            }
        }
        return new Policy(
                linkId,
                template.effect(),
                substitute(template.principal(), values),
                template.action(),
                substitute(template.resource(), values),
                template.conditions(),
                template.annotations(),
                templateId,
                template.loc());
    }

    /** The slots that a template's scope uses. */
    public static Set<SlotId> slotsOf(Policy template) {
        Set<SlotId> slots = EnumSet.noneOf(SlotId.class);
        addSlot(template.principal(), slots);
        addSlot(template.resource(), slots);
        return slots;
    }

    private static void addSlot(ScopeConstraint c, Set<SlotId> out) {
        EntityRef ref = refOf(c);
        if (ref != null && ref.isSlot()) {
            out.add(ref.slot());
        }
    }

    private static EntityRef refOf(ScopeConstraint c) {
        return switch (c) {
            case ScopeConstraint.Eq eq -> eq.ref();
            case ScopeConstraint.In in -> in.ref();
            case ScopeConstraint.IsIn isIn -> isIn.ref();
            case ScopeConstraint.Any any -> null;
            case ScopeConstraint.Is is -> null;
        };
    }

    private static ScopeConstraint substitute(ScopeConstraint c, Map<SlotId, EntityUid> values) {
        EntityRef ref = refOf(c);
        if (ref == null || !ref.isSlot()) {
            return c;
        }
        EntityRef filled = EntityRef.of(values.get(ref.slot()));
        return switch (c) {
            case ScopeConstraint.Eq eq -> new ScopeConstraint.Eq(filled);
            case ScopeConstraint.In in -> new ScopeConstraint.In(filled);
            case ScopeConstraint.IsIn isIn -> new ScopeConstraint.IsIn(isIn.type(), filled);
            case ScopeConstraint.Any any -> c;
            case ScopeConstraint.Is is -> c;
        };
    }

    /** The policies an authorizer evaluates: static policies, then template links, in order. */
    public List<Policy> policies() {
        return policies;
    }

    /** The templates, in order. */
    public List<Policy> templates() {
        return List.copyOf(templates.values());
    }

    /** The template links, in the order they were made. */
    public List<Policy> links() {
        return List.copyOf(links.values());
    }

    /** The static policy, template or link with this id, or {@code null}. */
    public Policy policy(String id) {
        Policy p = statics.get(id);
        if (p == null) {
            p = links.get(id);
        }
        return p != null ? p : templates.get(id);
    }

    public int size() {
        return statics.size() + templates.size() + links.size();
    }

    @Override
    public String toString() {
        return policies.stream().map(Policy::id).collect(Collectors.joining(", ", "PolicySet[", "]"))
                + (templates.isEmpty() ? "" : " templates " + templates.keySet());
    }

    private static Map<String, Policy> freeze(Map<String, Policy> m) {
        return m.isEmpty() ? Map.of() : Collections.unmodifiableMap(m);
    }
}
