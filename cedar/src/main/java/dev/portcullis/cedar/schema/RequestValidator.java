package dev.portcullis.cedar.schema;

import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks that a request conforms to a schema, as Cedar's request validation does: the action is
 * declared, the principal and resource have types the action applies to (and, for enumerated
 * types, one of the declared ids), and the context is an instance of the action's context type.
 *
 * <p>Thread-safe: it holds only the immutable schema.
 */
public final class RequestValidator {
    private final Schema schema;
    private final ValueConformance values;

    public RequestValidator(Schema schema) {
        this.schema = schema;
        this.values = new ValueConformance(schema);
    }

    /** Throws a {@link ConformanceException} saying what is wrong when the request does not conform. */
    public void validate(Request request) {
        EntityUid action = request.action();
        ActionDecl decl = schema.action(action);
        if (decl == null) {
            throw new ConformanceException("request's action `" + action + "` is not declared in the schema");
        }
        checkEntity("principal", request.principal(), decl.principalTypes(), action);
        checkEntity("resource", request.resource(), decl.resourceTypes(), action);
        values.checkRecord(request.context().attrs(), decl.context(), "context");
    }

    /** The problem with the request, or {@code null} when it conforms. */
    public String problem(Request request) {
        try {
            validate(request);
            return null;
        } catch (ConformanceException e) {
            return e.getMessage();
        }
    }

    private void checkEntity(String role, EntityUid uid, Set<EntityType> allowed, EntityUid action) {
        EntityType type = uid.type();
        EntityTypeDecl decl = schema.entityType(type);
        if (decl == null) {
            throw new ConformanceException("request's " + role + " `" + uid + "` has entity type `" + type
                    + "`, which is not declared in the schema");
        }
        if (!allowed.contains(type)) {
            throw new ConformanceException("request's " + role + " `" + uid + "` has type `" + type
                    + "`, but action `" + action + "` applies only to " + role + "s of type "
                    + (allowed.isEmpty()
                            ? "(none)"
                            : allowed.stream().map(t -> "`" + t + "`").collect(Collectors.joining(", "))));
        }
        if (!decl.allowsId(uid.id())) {
            throw new ConformanceException("request's " + role + " `" + uid
                    + "` is not one of the values of enumerated entity type `" + type + "`");
        }
    }
}
