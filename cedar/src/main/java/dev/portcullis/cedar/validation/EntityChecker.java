package dev.portcullis.cedar.validation;

import dev.portcullis.cedar.ast.ActionConstraint;
import dev.portcullis.cedar.ast.Condition;
import dev.portcullis.cedar.ast.EntityRef;
import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.Loc;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.ast.ScopeConstraint;
import dev.portcullis.cedar.schema.ActionDecl;
import dev.portcullis.cedar.schema.EntityTypeDecl;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.Strings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The name check that precedes type checking: every entity type, action and enumerated entity a
 * policy mentions, anywhere (also in code the type checker would skip), must be declared.
 */
final class EntityChecker {
    private final SchemaView schema;
    private final Policy policy;
    private final Map<String, ValidationError> errors = new LinkedHashMap<>();

    EntityChecker(SchemaView schema, Policy policy) {
        this.schema = schema;
        this.policy = policy;
    }

    List<ValidationError> check() {
        scope(policy.principal());
        switch (policy.action()) {
            case ActionConstraint.Any any -> {}
            case ActionConstraint.Eq eq -> uid(eq.action(), policy.loc());
            case ActionConstraint.In in -> in.actions().forEach(a -> uid(a, policy.loc()));
        }
        scope(policy.resource());
        for (Condition c : policy.conditions()) {
            expr(c.body());
        }
        return new ArrayList<>(errors.values());
    }

    private void scope(ScopeConstraint c) {
        switch (c) {
            case ScopeConstraint.Any any -> {}
            case ScopeConstraint.Eq eq -> ref(eq.ref());
            case ScopeConstraint.In in -> ref(in.ref());
            case ScopeConstraint.Is is -> type(is.type(), policy.loc());
            case ScopeConstraint.IsIn isIn -> {
                type(isIn.type(), policy.loc());
                ref(isIn.ref());
            }
        }
    }

    private void ref(EntityRef r) {
        if (!r.isSlot()) {
            uid(r.uid(), policy.loc());
        }
    }

    /**
     * Visits {@code root} and its subexpressions in the order recursion would (left to right, a
     * node before its operands), with an explicit stack: operator chains can be 100,000 deep.
     */
    private void expr(Expr root) {
        // An element is an expression to visit or a check deferred until after its operands.
        ArrayDeque<Object> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Object next = todo.pop();
            if (next instanceof Runnable deferred) {
                deferred.run();
                continue;
            }
            switch ((Expr) next) {
                case Expr.Lit lit -> {
                    if (lit.value() instanceof EntityUid u) {
                        uid(u, lit.loc());
                    }
                }
                case Expr.Var v -> {}
                case Expr.Slot s -> {}
                case Expr.If e -> pushAll(todo, List.of(e.cond(), e.then(), e.otherwise()));
                case Expr.And e -> pushAll(todo, List.of(e.left(), e.right()));
                case Expr.Or e -> pushAll(todo, List.of(e.left(), e.right()));
                case Expr.Unary e -> todo.push(e.arg());
                case Expr.Binary e -> pushAll(todo, List.of(e.left(), e.right()));
                case Expr.Call e -> pushAll(todo, e.args());
                case Expr.GetAttr e -> todo.push(e.expr());
                case Expr.HasAttr e -> todo.push(e.expr());
                case Expr.Like e -> todo.push(e.expr());
                case Expr.Is e -> {
                    // The operand's names first, then the type's, as recursion reported them.
                    todo.push((Runnable) () -> type(e.type(), e.loc()));
                    todo.push(e.expr());
                }
                case Expr.SetLit e -> pushAll(todo, e.elements());
                case Expr.RecordLit e -> pushAll(todo, List.copyOf(e.fields().values()));
            }
        }
    }

    private static void pushAll(ArrayDeque<Object> todo, List<Expr> operands) {
        for (int i = operands.size() - 1; i >= 0; i--) {
            todo.push(operands.get(i));
        }
    }

    private void type(EntityType t, Loc loc) {
        if (!schema.isDeclaredType(t) && !schema.isActionType(t)) {
            add(
                    loc,
                    ValidationError.Kind.UNRECOGNIZED_ENTITY_TYPE,
                    "entity type `" + t + "` is not declared in the schema" + typeSuggestion(t));
        }
    }

    private void uid(EntityUid u, Loc loc) {
        if (schema.isAction(u)) {
            return;
        }
        if (schema.isActionType(u.type())) {
            List<String> known = schema.schema.actions().stream()
                    .map(ActionDecl::uid)
                    .filter(a -> a.type().equals(u.type()))
                    .map(EntityUid::id)
                    .toList();
            String hint = Suggestions.closest(u.id(), known);
            add(
                    loc,
                    ValidationError.Kind.UNRECOGNIZED_ACTION,
                    "action `" + u + "` is not declared in the schema"
                            + (hint == null ? "" : "; did you mean `" + new EntityUid(u.type(), hint) + "`?"));
            return;
        }
        EntityTypeDecl decl = schema.schema.entityType(u.type());
        if (decl == null) {
            add(
                    loc,
                    ValidationError.Kind.UNRECOGNIZED_ENTITY_TYPE,
                    "entity type `" + u.type() + "` of `" + u + "` is not declared in the schema"
                            + typeSuggestion(u.type()));
        } else if (!decl.allowsId(u.id())) {
            add(
                    loc,
                    ValidationError.Kind.INVALID_ENUM_ENTITY,
                    "`" + u + "` is not a valid `" + u.type() + "`: the schema allows only ids "
                            + decl.enumIds().stream().map(Strings::quote).collect(Collectors.joining(", "))
                            + Suggestions.didYouMean(u.id(), decl.enumIds()));
        }
    }

    private String typeSuggestion(EntityType t) {
        List<String> known =
                schema.schema.entityTypeNames().stream().map(EntityType::name).toList();
        return Suggestions.didYouMean(t.name(), known);
    }

    private void add(Loc loc, ValidationError.Kind kind, String message) {
        String msg = Validator.prefix(policy, loc) + message;
        errors.putIfAbsent(msg, new ValidationError(policy.id(), loc, kind, msg));
    }
}
