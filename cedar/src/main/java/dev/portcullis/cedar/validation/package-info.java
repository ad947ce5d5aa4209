/**
 * Cedar's policy validator in strict mode: {@link dev.portcullis.cedar.validation.Validator} checks
 * policies, templates and template links against a {@link dev.portcullis.cedar.schema.Schema} and
 * returns a {@link dev.portcullis.cedar.validation.ValidationResult} of errors (the policy must not
 * go live) and warnings (it may, but probably does not do what was meant).
 *
 * <p>The type checker follows Cedar's formal typing rules: each policy is checked under every
 * request environment the schema allows, with singleton boolean types for short-circuiting and
 * capability sets so that optional attributes and tags are read only under a {@code has} or
 * {@code hasTag} guard.
 */
package dev.portcullis.cedar.validation;
