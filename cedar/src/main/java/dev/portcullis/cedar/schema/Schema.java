package dev.portcullis.cedar.schema;

import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.schema.SchemaType.RecordType;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Cedar schema: entity types, actions and common types, with every name resolved. Built from
 * either format ({@link #parseCedar}, {@link #parseJson}); two schemas that say the same thing in
 * different formats are {@link #equals equal}.
 */
public final class Schema {
    private final Map<EntityType, EntityTypeDecl> entityTypes;
    private final Map<EntityUid, ActionDecl> actions;
    private final Map<String, SchemaType> commonTypes;
    private final Map<String, Map<String, String>> namespaceAnnotations;
    private final List<Entity> actionEntities;
    private final Set<EntityType> actionTypes = new HashSet<>();
    private final Map<EntityType, Set<EntityType>> ancestorTypes = new ConcurrentHashMap<>();

    Schema(
            Map<EntityType, EntityTypeDecl> entityTypes,
            Map<EntityUid, ActionDecl> actions,
            Map<String, SchemaType> commonTypes,
            Map<String, Map<String, String>> namespaceAnnotations) {
        this.entityTypes = Collections.unmodifiableMap(new LinkedHashMap<>(entityTypes));
        this.actions = Collections.unmodifiableMap(new LinkedHashMap<>(actions));
        this.commonTypes = Collections.unmodifiableMap(new LinkedHashMap<>(commonTypes));
        this.namespaceAnnotations = Collections.unmodifiableMap(new LinkedHashMap<>(namespaceAnnotations));
        List<Entity> list = new ArrayList<>(actions.size());
        for (ActionDecl a : actions.values()) {
            list.add(new Entity(a.uid(), Map.of(), a.memberOf(), Map.of()));
            actionTypes.add(a.uid().type());
        }
        this.actionEntities = Collections.unmodifiableList(list);
    }

    /** Parses the Cedar schema format ({@code .cedarschema}). */
    public static Schema parseCedar(String text) {
        return Resolver.resolve(CedarSchemaParser.parse(text));
    }

    /** Parses the JSON schema format. */
    public static Schema parseJson(String json) {
        return Resolver.resolve(JsonSchemaParser.parse(json));
    }

    /** The declaration of this entity type, or {@code null} when the schema does not declare it. */
    public EntityTypeDecl entityType(EntityType type) {
        return entityTypes.get(type);
    }

    /** The declaration of this action, or {@code null} when the schema does not declare it. */
    public ActionDecl action(EntityUid action) {
        return actions.get(action);
    }

    /** The type of the context of requests with this action, or {@code null} for an undeclared action. */
    public RecordType contextType(EntityUid action) {
        ActionDecl a = actions.get(action);
        return a == null ? null : a.context();
    }

    /**
     * The entity types an entity of type {@code type} may have as ancestors: the transitive closure
     * of {@code memberOfTypes}. Cedar checks parents (and so all ancestors) against this closure, so
     * {@code Reservation in [Property]} and {@code Property in [Hotel]} let a reservation name a
     * hotel as a direct parent.
     */
    public Set<EntityType> allowedAncestorTypes(EntityType type) {
        return ancestorTypes.computeIfAbsent(type, this::closeMemberOf);
    }

    private Set<EntityType> closeMemberOf(EntityType type) {
        Set<EntityType> seen = new java.util.LinkedHashSet<>();
        java.util.ArrayDeque<EntityType> work = new java.util.ArrayDeque<>();
        EntityTypeDecl start = entityTypes.get(type);
        if (start != null) {
            work.addAll(start.memberOfTypes());
        }
        while (!work.isEmpty()) {
            EntityType t = work.pop();
            EntityTypeDecl d = entityTypes.get(t);
            if (seen.add(t) && d != null) {
                work.addAll(d.memberOfTypes());
            }
        }
        return Collections.unmodifiableSet(seen);
    }

    public Collection<EntityTypeDecl> entityTypes() {
        return entityTypes.values();
    }

    public Collection<ActionDecl> actions() {
        return actions.values();
    }

    /** Common types by fully qualified name, already resolved (for tools; types never refer to them). */
    public Map<String, SchemaType> commonTypes() {
        return commonTypes;
    }

    /** Annotations of the named namespaces that have any. */
    public Map<String, Map<String, String>> namespaceAnnotations() {
        return namespaceAnnotations;
    }

    /** Whether {@code type} is an action entity type of this schema ({@code Action} or {@code NS::Action}). */
    public boolean isActionType(EntityType type) {
        return actionTypes.contains(type);
    }

    /**
     * The action entities the schema declares, each with its declared groups as parents. They are
     * added to the entity store of every request made with this schema.
     */
    public List<Entity> actionEntities() {
        return actionEntities;
    }

    /** The entity types declared in this schema. */
    public Set<EntityType> entityTypeNames() {
        return entityTypes.keySet();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schema s
                && entityTypes.equals(s.entityTypes)
                && actions.equals(s.actions)
                && commonTypes.equals(s.commonTypes)
                && namespaceAnnotations.equals(s.namespaceAnnotations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(entityTypes, actions, commonTypes);
    }

    @Override
    public String toString() {
        return "Schema[" + entityTypes.size() + " entity types, " + actions.size() + " actions]";
    }
}
