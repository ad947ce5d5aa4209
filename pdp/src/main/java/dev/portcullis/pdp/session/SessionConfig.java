package dev.portcullis.pdp.session;

import dev.portcullis.cedar.value.EntityUid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How sessions map tokens to Cedar entities, how long they live, and which actions carry data
 * labels into them. The names in error messages are the configuration keys of {@code
 * docs/sessions.md} (under {@code sessions:}).
 *
 * @param agentType entity type of agents ({@code agent.entity_type}, default {@code Agent})
 * @param agentIdClaim claim of an agent's own token that is the agent's entity id ({@code
 *     agent.id_claim}, default {@code sub}); a delegated token's agent is its {@code act.sub}
 * @param userType entity type of users ({@code user.entity_type}, default {@code User})
 * @param userIdClaim claim that is the user's entity id ({@code user.id_claim}, default {@code sub})
 * @param defaultExpiresIn lifetime of a session that asks for none ({@code expires_in.default}, 1 h)
 * @param maxExpiresIn the longest lifetime a session may ask for ({@code expires_in.max}, 24 h)
 * @param tokenTtl lifetime of a session token ({@code token_ttl}, 15 min; never beyond the session)
 * @param labelAttributes resource attributes whose values are data labels ({@code
 *     labels.attributes}, default {@code classification}); a string is one label, a set of strings
 *     several
 * @param labelActions actions that carry the labels of the resource they act on into the session
 *     ({@code labels.actions}; an action in one of these action groups does too); empty: none
 * @param datasetAttribute resource attribute a boundary's {@code datasets} are checked against
 *     ({@code dataset_attribute}, default {@code dataset})
 * @param historySize allowed actions a session remembers for inspection ({@code history_size}, 50)
 * @param retention how long an ended session is kept before it is purged ({@code retention}, 24 h)
 * @param flushInterval how often counters and labels are written behind to the store ({@code
 *     flush_interval}, 1 s)
 */
public record SessionConfig(
        String agentType,
        String agentIdClaim,
        String userType,
        String userIdClaim,
        Duration defaultExpiresIn,
        Duration maxExpiresIn,
        Duration tokenTtl,
        List<String> labelAttributes,
        Set<EntityUid> labelActions,
        String datasetAttribute,
        int historySize,
        Duration retention,
        Duration flushInterval) {

    public SessionConfig {
        require(agentType, "agent.entity_type");
        require(agentIdClaim, "agent.id_claim");
        require(userType, "user.entity_type");
        require(userIdClaim, "user.id_claim");
        requireType(agentType, "agent.entity_type");
        requireType(userType, "user.entity_type");
        positive(defaultExpiresIn, "expires_in.default");
        positive(maxExpiresIn, "expires_in.max");
        if (defaultExpiresIn.compareTo(maxExpiresIn) > 0) {
            throw Names.invalid(
                    "sessions.expires_in.default",
                    "`" + defaultExpiresIn + "` is longer than expires_in.max `" + maxExpiresIn + "`");
        }
        positive(tokenTtl, "token_ttl");
        labelAttributes = List.copyOf(labelAttributes);
        labelActions = Set.copyOf(labelActions);
        require(datasetAttribute, "dataset_attribute");
        if (historySize < 0 || historySize > 10_000) {
            throw Names.invalid("sessions.history_size", "`" + historySize + "` is not between 0 and 10000");
        }
        positive(retention, "retention");
        positive(flushInterval, "flush_interval");
    }

    public static SessionConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.agentType = agentType;
        b.agentIdClaim = agentIdClaim;
        b.userType = userType;
        b.userIdClaim = userIdClaim;
        b.defaultExpiresIn = defaultExpiresIn;
        b.maxExpiresIn = maxExpiresIn;
        b.tokenTtl = tokenTtl;
        b.labelAttributes = labelAttributes;
        b.labelActions = labelActions;
        b.datasetAttribute = datasetAttribute;
        b.historySize = historySize;
        b.retention = retention;
        b.flushInterval = flushInterval;
        return b;
    }

    /** Collects settings; {@link #build()} validates them. Starts from the defaults. */
    public static final class Builder {
        private String agentType = "Agent";
        private String agentIdClaim = "sub";
        private String userType = "User";
        private String userIdClaim = "sub";
        private Duration defaultExpiresIn = Duration.ofHours(1);
        private Duration maxExpiresIn = Duration.ofHours(24);
        private Duration tokenTtl = Duration.ofMinutes(15);
        private List<String> labelAttributes = List.of("classification");
        private Set<EntityUid> labelActions = Set.of();
        private String datasetAttribute = "dataset";
        private int historySize = 50;
        private Duration retention = Duration.ofHours(24);
        private Duration flushInterval = Duration.ofSeconds(1);

        private Builder() {}

        /** Agents are entities of {@code type}, their id the token claim {@code idClaim}. */
        public Builder agent(String type, String idClaim) {
            this.agentType = type;
            this.agentIdClaim = idClaim;
            return this;
        }

        /** Users are entities of {@code type}, their id the token claim {@code idClaim}. */
        public Builder user(String type, String idClaim) {
            this.userType = type;
            this.userIdClaim = idClaim;
            return this;
        }

        public Builder expiresIn(Duration defaultExpiresIn, Duration maxExpiresIn) {
            this.defaultExpiresIn = defaultExpiresIn;
            this.maxExpiresIn = maxExpiresIn;
            return this;
        }

        public Builder tokenTtl(Duration tokenTtl) {
            this.tokenTtl = tokenTtl;
            return this;
        }

        /**
         * Labels are read from the resource attributes {@code attributes} by the {@code actions}
         * (names or uids as in {@link Boundary}).
         */
        public Builder labels(List<String> attributes, List<String> actions) {
            Set<EntityUid> uids = new LinkedHashSet<>();
            for (int i = 0; i < actions.size(); i++) {
                uids.add(Names.action(actions.get(i), "sessions.labels.actions[" + i + "]"));
            }
            List<String> attrs = new ArrayList<>();
            for (int i = 0; i < attributes.size(); i++) {
                require(attributes.get(i), "labels.attributes[" + i + "]");
                attrs.add(attributes.get(i));
            }
            this.labelAttributes = attrs;
            this.labelActions = uids;
            return this;
        }

        public Builder datasetAttribute(String datasetAttribute) {
            this.datasetAttribute = datasetAttribute;
            return this;
        }

        public Builder historySize(int historySize) {
            this.historySize = historySize;
            return this;
        }

        public Builder retention(Duration retention) {
            this.retention = retention;
            return this;
        }

        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = flushInterval;
            return this;
        }

        public SessionConfig build() {
            return new SessionConfig(
                    agentType,
                    agentIdClaim,
                    userType,
                    userIdClaim,
                    defaultExpiresIn,
                    maxExpiresIn,
                    tokenTtl,
                    labelAttributes,
                    labelActions,
                    datasetAttribute,
                    historySize,
                    retention,
                    flushInterval);
        }
    }

    private static void require(String value, String key) {
        if (value == null || value.isBlank()) {
            throw Names.invalid("sessions." + key, "must not be empty");
        }
    }

    private static void requireType(String value, String key) {
        if (!Names.TYPE.matcher(value).matches()) {
            throw Names.invalid("sessions." + key, "`" + value + "` is not a Cedar entity type name");
        }
    }

    private static void positive(Duration d, String key) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw Names.invalid("sessions." + key, "`" + d + "` is not a positive duration");
        }
    }
}
