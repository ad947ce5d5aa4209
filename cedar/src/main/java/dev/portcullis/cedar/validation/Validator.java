package dev.portcullis.cedar.validation;

import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.ast.ActionConstraint;
import dev.portcullis.cedar.ast.BinaryOp;
import dev.portcullis.cedar.ast.Condition;
import dev.portcullis.cedar.ast.EntityRef;
import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.Loc;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.ast.ScopeConstraint;
import dev.portcullis.cedar.ast.SlotId;
import dev.portcullis.cedar.ast.UnaryOp;
import dev.portcullis.cedar.ast.VarName;
import dev.portcullis.cedar.schema.ActionDecl;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.validation.CedarType.BoolKind;
import dev.portcullis.cedar.validation.CedarType.BoolT;
import dev.portcullis.cedar.validation.Typechecker.Env;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Cedar's policy validator in strict mode: checks policies against a schema so that no policy goes
 * live that could fail at run time with a type error, refers to something the schema does not
 * declare, or can never match a request the schema allows.
 *
 * <p>A policy is checked once per request environment: every (principal type, action, resource
 * type) the schema's {@code appliesTo} declarations allow. Environments in which the scope cannot
 * match are skipped; if the scope matches none, the policy is an error (Cedar's "invalid action
 * application"). If every remaining environment types the policy as {@code False}, it is reported
 * as an impossible policy, a warning. Templates are checked with their slots ranging over every
 * entity type; template links are checked like static policies.
 */
public final class Validator {
    private final SchemaView schema;
    private final List<Env> environments;

    public Validator(Schema schema) {
        this.schema = new SchemaView(Objects.requireNonNull(schema, "schema"));
        List<Env> envs = new ArrayList<>();
        for (ActionDecl a : schema.actions()) {
            for (EntityType p : a.principalTypes()) {
                for (EntityType r : a.resourceTypes()) {
                    envs.add(new Env(p, a.uid(), r, this.schema.context(a.uid()), Map.of()));
                }
            }
        }
        this.environments = List.copyOf(envs);
    }

    /** Validates the static policies, template links and templates of {@code policies}. */
    public ValidationResult validate(PolicySet policies) {
        List<Policy> all = new ArrayList<>(policies.policies());
        all.addAll(policies.templates());
        return validate(all);
    }

    /** Validates these policies and templates (a policy with a slot in its scope is a template). */
    public ValidationResult validate(List<Policy> policies) {
        List<ValidationError> errors = new ArrayList<>();
        List<ValidationWarning> warnings = new ArrayList<>();
        for (Policy p : policies) {
            List<ValidationError> policyErrors = new ArrayList<>();
            List<ValidationWarning> policyWarnings = new ArrayList<>();
            try {
                validatePolicy(p, policyErrors, policyWarnings);
            } catch (StackOverflowError e) {
                // Chains are checked with loops, so only genuine nesting (parentheses, `if`, sets,
                // records) recurses; should that still exhaust the stack, refuse this one policy
                // instead of failing the whole call.
                policyErrors.clear();
                policyWarnings.clear();
                policyErrors.add(new ValidationError(
                        p.id(),
                        p.loc() == null ? Loc.NONE : p.loc(),
                        ValidationError.Kind.TOO_DEEP,
                        "policy `" + p.id() + "` is nested too deeply to validate"));
            }
            errors.addAll(policyErrors);
            warnings.addAll(policyWarnings);
        }
        return new ValidationResult(errors, warnings);
    }

    private void validatePolicy(Policy p, List<ValidationError> errors, List<ValidationWarning> warnings) {
        warnings.addAll(TextWarnings.check(p));
        List<ValidationError> entityErrors = new EntityChecker(schema, p).check();
        if (!entityErrors.isEmpty()) {
            // Unknown names make every later check meaningless; report only them, as Cedar does.
            errors.addAll(entityErrors);
            return;
        }
        Loc loc = p.loc();
        Expr scope = and(
                scopeExpr(VarName.PRINCIPAL, p.principal(), loc),
                and(actionExpr(p.action(), loc), scopeExpr(VarName.RESOURCE, p.resource(), loc), loc),
                loc);
        Expr full = and(scope, conditionsExpr(p.conditions(), loc), loc);
        Map<String, ValidationError> found = new LinkedHashMap<>();
        boolean scopeMatches = false;
        boolean allFalse = true;
        for (Env env : environmentsFor(p)) {
            Typechecker tc = new Typechecker(schema, env);
            try {
                if (isFalse(tc.typeOf(scope, Set.of()).type())) {
                    continue;
                }
                scopeMatches = true;
                if (!isFalse(tc.typeOf(full, Set.of()).type())) {
                    allFalse = false;
                }
            } catch (TypeError e) {
                scopeMatches = true;
                String msg = prefix(p, e.loc) + e.getMessage();
                found.putIfAbsent(msg, new ValidationError(p.id(), e.loc, e.kind, msg));
            }
        }
        if (!found.isEmpty()) {
            errors.addAll(found.values());
        } else if (!scopeMatches) {
            errors.add(new ValidationError(
                    p.id(),
                    p.loc(),
                    ValidationError.Kind.INVALID_ACTION_APPLICATION,
                    prefix(p, p.loc()) + scopeMismatch(p)));
        } else if (allFalse) {
            warnings.add(new ValidationWarning(
                    p.id(),
                    p.loc(),
                    ValidationWarning.Kind.IMPOSSIBLE_POLICY,
                    prefix(p, p.loc()) + "the policy can never apply: its conditions are false for every request"
                            + " the schema allows; check the conditions against the schema"));
        }
    }

    /**
     * The environments to check {@code p} in. A template's slots range over the entity types: only
     * those the principal (resource) type may be a member of, since for any other type the scope
     * ({@code == ?principal} or {@code in ?principal}) is {@code False} and nothing is checked.
     */
    private List<Env> environmentsFor(Policy p) {
        if (!p.isTemplate()) {
            return environments;
        }
        Set<SlotId> slots = PolicySet.slotsOf(p);
        List<Env> out = new ArrayList<>();
        for (Env e : environments) {
            List<Map<SlotId, EntityType>> assignments = new ArrayList<>();
            assignments.add(new EnumMap<>(SlotId.class));
            for (SlotId s : slots) {
                EntityType varType = s == SlotId.PRINCIPAL ? e.principal() : e.resource();
                List<Map<SlotId, EntityType>> next = new ArrayList<>();
                for (Map<SlotId, EntityType> a : assignments) {
                    for (EntityType t : schema.schema.entityTypeNames()) {
                        if (schema.typeDescendantOf(varType, t)) {
                            Map<SlotId, EntityType> m = new EnumMap<>(SlotId.class);
                            m.putAll(a);
                            m.put(s, t);
                            next.add(m);
                        }
                    }
                }
                assignments = next;
            }
            for (Map<SlotId, EntityType> a : assignments) {
                out.add(new Env(e.principal(), e.action(), e.resource(), e.context(), a));
            }
        }
        return out;
    }

    private String scopeMismatch(Policy p) {
        Set<EntityType> principals = new LinkedHashSet<>();
        Set<EntityType> resources = new LinkedHashSet<>();
        List<String> actions = new ArrayList<>();
        for (ActionDecl a : schema.schema.actions()) {
            if (actionInScope(a.uid(), p.action())) {
                actions.add("`" + a.uid() + "`");
                principals.addAll(a.principalTypes());
                resources.addAll(a.resourceTypes());
            }
        }
        if (actions.isEmpty()) {
            return "the scope can never match a request: no action in it applies to any principal and resource;"
                    + " add `appliesTo` to the action in the schema";
        }
        return "the scope can never match a request the schema allows: "
                + (actions.size() > 3 ? "the actions in scope" : String.join(", ", actions))
                + (actions.size() == 1 ? " applies to" : " apply to")
                + " principals of type " + names(principals) + " and resources of type " + names(resources)
                + "; change the principal or resource constraint";
    }

    private boolean actionInScope(EntityUid action, ActionConstraint c) {
        return switch (c) {
            case ActionConstraint.Any any -> true;
            case ActionConstraint.Eq eq -> eq.action().equals(action);
            case ActionConstraint.In in -> in.actions().stream().anyMatch(g -> schema.actionDescendantOf(action, g));
        };
    }

    private static String names(Set<EntityType> types) {
        if (types.isEmpty()) {
            return "(none)";
        }
        List<String> out = new ArrayList<>();
        for (EntityType t : types) {
            out.add("`" + t + "`");
        }
        return String.join(", ", out);
    }

    private static boolean isFalse(CedarType t) {
        return t instanceof BoolT b && b.kind() == BoolKind.FALSE;
    }

    /** {@code policy `id` at 3:14: } (without the location when it is unknown). */
    static String prefix(Policy p, Loc loc) {
        return "policy `" + p.id() + "`" + (loc == null || loc.line() == 0 ? "" : " at " + loc) + ": ";
    }

    private static Expr trueLit(Loc loc) {
        return new Expr.Lit(BoolValue.of(true), loc);
    }

    private static Expr and(Expr a, Expr b, Loc loc) {
        return new Expr.And(a, b, loc);
    }

    private static Expr ref(EntityRef r, Loc loc) {
        return r.isSlot() ? new Expr.Slot(r.slot(), loc) : new Expr.Lit(r.uid(), loc);
    }

    private static Expr scopeExpr(VarName var, ScopeConstraint c, Loc loc) {
        Expr v = new Expr.Var(var, loc);
        return switch (c) {
            case ScopeConstraint.Any any -> trueLit(loc);
            case ScopeConstraint.Eq eq -> new Expr.Binary(BinaryOp.EQ, v, ref(eq.ref(), loc), loc);
            case ScopeConstraint.In in -> new Expr.Binary(BinaryOp.IN, v, ref(in.ref(), loc), loc);
            case ScopeConstraint.Is is -> new Expr.Is(v, is.type(), loc);
            case ScopeConstraint.IsIn isIn ->
                and(new Expr.Is(v, isIn.type(), loc), new Expr.Binary(BinaryOp.IN, v, ref(isIn.ref(), loc), loc), loc);
        };
    }

    private static Expr actionExpr(ActionConstraint c, Loc loc) {
        Expr v = new Expr.Var(VarName.ACTION, loc);
        return switch (c) {
            case ActionConstraint.Any any -> trueLit(loc);
            case ActionConstraint.Eq eq -> new Expr.Binary(BinaryOp.EQ, v, new Expr.Lit(eq.action(), loc), loc);
            case ActionConstraint.In in -> {
                if (!in.set()) {
                    yield new Expr.Binary(
                            BinaryOp.IN, v, new Expr.Lit(in.actions().get(0), loc), loc);
                }
                List<Expr> uids = new ArrayList<>();
                for (EntityUid u : in.actions()) {
                    uids.add(new Expr.Lit(u, loc));
                }
                yield new Expr.Binary(BinaryOp.IN, v, new Expr.SetLit(uids, loc), loc);
            }
        };
    }

    /** {@code c1 && (c2 && (... && true))}, an {@code unless} condition negated. */
    private static Expr conditionsExpr(List<Condition> conditions, Loc loc) {
        Expr acc = trueLit(loc);
        for (int i = conditions.size() - 1; i >= 0; i--) {
            Condition c = conditions.get(i);
            Expr body = c.when()
                    ? c.body()
                    : new Expr.Unary(UnaryOp.NOT, c.body(), c.body().loc());
            acc = and(body, acc, loc);
        }
        return acc;
    }
}
