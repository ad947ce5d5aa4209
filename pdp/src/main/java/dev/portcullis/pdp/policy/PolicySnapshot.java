package dev.portcullis.pdp.policy;

import dev.portcullis.cedar.Authorizer;
import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.schema.EntityValidator;
import dev.portcullis.cedar.schema.RequestValidator;
import dev.portcullis.cedar.schema.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * One immutable, validated version of the policy set, ready to decide: what {@link PolicyStore}
 * swaps atomically. Everything a decision needs is built once here (the authorizer's index, the
 * request validator), so deciding never builds anything per policy version.
 */
public final class PolicySnapshot {
    private final String version;
    private final PolicySet policySet;
    private final Schema schema;
    private final Authorizer authorizer;
    private final RequestValidator requestValidator;
    private final EntityValidator entityValidator;
    private final SortedMap<String, String> sources;
    private final Map<String, String> policyFiles;
    private final List<String> warnings;
    private final Instant loadedAt;

    PolicySnapshot(
            String version,
            PolicySet policySet,
            Schema schema,
            SortedMap<String, String> sources,
            Map<String, String> policyFiles,
            List<String> warnings,
            Instant loadedAt) {
        this.version = version;
        this.policySet = policySet;
        this.schema = schema;
        this.authorizer = new Authorizer(policySet);
        this.requestValidator = schema == null ? null : new RequestValidator(schema);
        this.entityValidator = schema == null ? null : new EntityValidator(schema);
        this.sources = sources;
        this.policyFiles = Map.copyOf(policyFiles);
        this.warnings = List.copyOf(warnings);
        this.loadedAt = loadedAt;
    }

    /** The content hash of the sources (see {@link PolicyBundle#version()}). */
    public String version() {
        return version;
    }

    public PolicySet policySet() {
        return policySet;
    }

    public Optional<Schema> schema() {
        return Optional.ofNullable(schema);
    }

    /** The schema, or {@code null}: for the decision path, which should not allocate an Optional. */
    public Schema schemaOrNull() {
        return schema;
    }

    public Authorizer authorizer() {
        return authorizer;
    }

    /** Checks requests against the schema; {@code null} when there is no schema. */
    public RequestValidator requestValidatorOrNull() {
        return requestValidator;
    }

    /** Checks request-supplied entities against the schema; {@code null} when there is no schema. */
    public EntityValidator entityValidatorOrNull() {
        return entityValidator;
    }

    /** Source file name → text, as loaded. */
    public SortedMap<String, String> sources() {
        return sources;
    }

    /** The file that defines a policy, template or template link, or {@code null}. */
    public String fileOf(String policyId) {
        return policyFiles.get(policyId);
    }

    /** The validator's warnings (e.g. impossible policies); they do not stop activation. */
    public List<String> warnings() {
        return warnings;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    @Override
    public String toString() {
        return "PolicySnapshot[" + version + ", " + policySet.policies().size() + " policies]";
    }
}
