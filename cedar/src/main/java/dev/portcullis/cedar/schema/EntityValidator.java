package dev.portcullis.cedar.schema;

import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.value.EntityUid;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks that entity data conforms to a schema, as Cedar's entity validation does: every entity
 * has a declared type (and, for an enumerated type, a declared id), attributes that are an
 * instance of the type's shape, parents of types the declaration lists in {@code memberOfTypes},
 * and tags of the declared tag type. Action entities must be declared and have the hierarchy the
 * schema gives them.
 *
 * <p>Thread-safe: it holds only the immutable schema.
 */
public final class EntityValidator {
    private final Schema schema;
    private final ValueConformance values;

    public EntityValidator(Schema schema) {
        this.schema = schema;
        this.values = new ValueConformance(schema);
    }

    /** Throws a {@link ConformanceException} for the first entity that does not conform. */
    public void validate(Entities entities) {
        for (Entity e : entities.all()) {
            validate(e);
        }
    }

    /** Every problem, one message per non-conforming entity (at most {@code limit}). */
    public List<String> problems(Entities entities, int limit) {
        List<String> out = new ArrayList<>();
        for (Entity e : entities.all()) {
            if (out.size() >= limit) {
                break;
            }
            try {
                validate(e);
            } catch (ConformanceException x) {
                out.add(x.getMessage());
            }
        }
        return out;
    }

    /** Throws a {@link ConformanceException} when this one entity does not conform. */
    public void validate(Entity entity) {
        EntityUid uid = entity.uid();
        String where = "entity `" + uid + "`";
        if (schema.isActionType(uid.type()) || schema.action(uid) != null) {
            validateAction(entity, where);
            return;
        }
        EntityTypeDecl decl = schema.entityType(uid.type());
        if (decl == null) {
            throw new ConformanceException(where + ": entity type `" + uid.type() + "` is not declared in the schema");
        }
        if (!decl.allowsId(uid.id())) {
            throw new ConformanceException(
                    where + ": not one of the values of enumerated entity type `" + uid.type() + "`");
        }
        values.checkRecord(entity.attrs(), decl.shape(), where + " attribute");
        for (EntityUid parent : entity.parents()) {
            if (!schema.allowedAncestorTypes(uid.type()).contains(parent.type())) {
                throw new ConformanceException(where + ": cannot be a member of `" + parent + "`: entity type `"
                        + uid.type() + "` may only be a member of "
                        + (schema.allowedAncestorTypes(uid.type()).isEmpty()
                                ? "no entity type"
                                : schema.allowedAncestorTypes(uid.type()).stream()
                                        .map(t -> "`" + t + "`")
                                        .collect(Collectors.joining(", "))));
            }
            EntityTypeDecl pd = schema.entityType(parent.type());
            if (pd != null && !pd.allowsId(parent.id())) {
                throw new ConformanceException(where + ": parent `" + parent
                        + "` is not one of the values of enumerated entity type `" + parent.type() + "`");
            }
        }
        if (decl.tags() == null) {
            if (!entity.tags().isEmpty()) {
                throw new ConformanceException(where + ": entity type `" + uid.type() + "` does not allow tags");
            }
        } else {
            for (var e : entity.tags().entrySet()) {
                values.check(e.getValue(), decl.tags(), where + " tag `" + e.getKey() + "`");
            }
        }
    }

    private void validateAction(Entity entity, String where) {
        ActionDecl decl = schema.action(entity.uid());
        if (decl == null) {
            throw new ConformanceException(where + ": action is not declared in the schema");
        }
        if (!entity.attrs().isEmpty() || !entity.tags().isEmpty()) {
            throw new ConformanceException(where + ": an action cannot have attributes or tags");
        }
        // the data may list the declared groups or spell out all their ancestors: same hierarchy
        Set<EntityUid> declared = ancestors(decl.memberOf());
        if (!ancestors(entity.parents()).equals(declared)) {
            throw new ConformanceException(where + ": its parents do not match the action's declaration in the schema");
        }
    }

    private Set<EntityUid> ancestors(Set<EntityUid> start) {
        Set<EntityUid> seen = new HashSet<>();
        List<EntityUid> work = new ArrayList<>(start);
        while (!work.isEmpty()) {
            EntityUid u = work.remove(work.size() - 1);
            if (seen.add(u)) {
                ActionDecl d = schema.action(u);
                if (d != null) {
                    work.addAll(d.memberOf());
                }
            }
        }
        return seen;
    }
}
