package dev.portcullis.cedar.validation;

import dev.portcullis.cedar.schema.ActionDecl;
import dev.portcullis.cedar.schema.EntityTypeDecl;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What the type checker needs from a schema, precomputed once: attribute and tag types in checker
 * types, and the transitive closures of the entity type hierarchy and of action groups.
 */
final class SchemaView {
    final Schema schema;
    private final Map<EntityType, CedarType.RecordT> attrs = new HashMap<>();
    private final Map<EntityType, CedarType> tags = new HashMap<>();
    private final Map<EntityType, Set<EntityType>> typeAncestors = new HashMap<>();
    private final Map<EntityUid, Set<EntityUid>> actionAncestors = new HashMap<>();
    private final Map<EntityUid, CedarType.RecordT> contexts = new HashMap<>();

    SchemaView(Schema schema) {
        this.schema = schema;
        for (EntityTypeDecl d : schema.entityTypes()) {
            attrs.put(d.name(), CedarType.ofRecord(d.shape()));
            if (d.tags() != null) {
                tags.put(d.name(), CedarType.of(d.tags()));
            }
        }
        for (EntityTypeDecl d : schema.entityTypes()) {
            typeAncestors.put(d.name(), closure(d.name(), t -> {
                EntityTypeDecl decl = schema.entityType(t);
                return decl == null ? Set.of() : decl.memberOfTypes();
            }));
        }
        for (ActionDecl a : schema.actions()) {
            actionAncestors.put(a.uid(), closure(a.uid(), u -> {
                ActionDecl decl = schema.action(u);
                return decl == null ? Set.of() : decl.memberOf();
            }));
            contexts.put(a.uid(), CedarType.ofRecord(a.context()));
        }
    }

    private static <T> Set<T> closure(T start, Function<T, Set<T>> parents) {
        Set<T> seen = new LinkedHashSet<>();
        Deque<T> todo = new ArrayDeque<>(parents.apply(start));
        while (!todo.isEmpty()) {
            T t = todo.pop();
            if (seen.add(t)) {
                todo.addAll(parents.apply(t));
            }
        }
        return seen;
    }

    boolean isDeclaredType(EntityType t) {
        return attrs.containsKey(t);
    }

    boolean isActionType(EntityType t) {
        return schema.isActionType(t);
    }

    boolean isAction(EntityUid uid) {
        return actionAncestors.containsKey(uid);
    }

    /** A declared entity of a declared type (and, for enumerated types, a listed id), or an action. */
    boolean isValidEntityUid(EntityUid uid) {
        if (isAction(uid)) {
            return true;
        }
        EntityTypeDecl d = schema.entityType(uid.type());
        return d != null && d.allowsId(uid.id());
    }

    /** The attributes of a declared entity type, or {@code null}. */
    CedarType.RecordT attributes(EntityType t) {
        return attrs.get(t);
    }

    /** The tag type of a declared entity type, or {@code null} when its entities have no tags. */
    CedarType tagType(EntityType t) {
        return tags.get(t);
    }

    CedarType.RecordT context(EntityUid action) {
        return contexts.get(action);
    }

    /** Whether entities of type {@code a} may be members (transitively or trivially) of type {@code b}. */
    boolean typeDescendantOf(EntityType a, EntityType b) {
        if (a.equals(b)) {
            return true;
        }
        Set<EntityType> anc = typeAncestors.get(a);
        return anc != null && anc.contains(b);
    }

    /** Whether action {@code a} is action {@code b} or in one of its groups, transitively. */
    boolean actionDescendantOf(EntityUid a, EntityUid b) {
        if (a.equals(b)) {
            return true;
        }
        Set<EntityUid> anc = actionAncestors.get(a);
        return anc != null && anc.contains(b);
    }
}
