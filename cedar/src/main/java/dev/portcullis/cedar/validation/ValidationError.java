package dev.portcullis.cedar.validation;

import dev.portcullis.cedar.ast.Loc;
import java.util.Objects;

/**
 * A reason the schema rejects a policy. {@code message} is complete and self-contained: it names
 * the policy and, where known, the source location, and says how to fix the problem.
 *
 * @param policyId the id of the policy, template or template link
 * @param loc where in the policy text ({@link Loc#NONE} when unknown)
 * @param kind what went wrong, for tools that react to particular mistakes
 * @param message one lowercase line for a person
 */
public record ValidationError(String policyId, Loc loc, Kind kind, String message) {
    public ValidationError {
        Objects.requireNonNull(policyId, "policyId");
        Objects.requireNonNull(loc, "loc");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    /** The classes of validation error, mirroring those of Cedar's validator. */
    public enum Kind {
        /** An entity type the schema does not declare. */
        UNRECOGNIZED_ENTITY_TYPE,
        /** An action the schema does not declare. */
        UNRECOGNIZED_ACTION,
        /** An entity of an enumerated type with an id the enumeration does not list. */
        INVALID_ENUM_ENTITY,
        /** The scope matches no (principal, action, resource) combination the schema allows. */
        INVALID_ACTION_APPLICATION,
        /** An operand of the wrong type, e.g. {@code 1 + "a"} or {@code if 1 then ...}. */
        UNEXPECTED_TYPE,
        /** Two types that must agree do not, e.g. {@code "a" == 1} or the branches of an {@code if}. */
        INCOMPATIBLE_TYPES,
        /** A set literal whose elements have different types. */
        INCOMPATIBLE_SET_TYPES,
        /** The empty set literal {@code []}, whose element type cannot be known. */
        EMPTY_SET,
        /** An attribute that the entity or record type does not have. */
        ATTRIBUTE_NOT_FOUND,
        /** An optional attribute read without a {@code has} guard. */
        UNSAFE_OPTIONAL_ATTRIBUTE_ACCESS,
        /** A tag read without a {@code hasTag} guard, or on an entity type without tags. */
        UNSAFE_TAG_ACCESS,
        /** An attribute or tag access on an entity type the schema does not describe (e.g. an action). */
        UNKNOWN_ENTITY_ATTRIBUTES,
        /** An extension call with wrong argument types or count, or an invalid literal argument. */
        EXTENSION_ERROR,
        /** An extension constructor such as {@code ip(...)} applied to something other than a string literal. */
        NON_LITERAL_EXTENSION_CONSTRUCTOR,
        /** A function that Cedar does not have. */
        UNKNOWN_FUNCTION,
        /** A policy nested so deeply that checking it would exhaust the thread's stack. */
        TOO_DEEP
    }

    @Override
    public String toString() {
        return message;
    }
}
