package dev.portcullis.server.config;

import dev.portcullis.pdp.approval.ApprovalService;
import dev.portcullis.pdp.identity.TrustedIssuer;
import dev.portcullis.pdp.session.Limits;
import dev.portcullis.pdp.session.SessionConfig;
import java.util.List;
import java.util.Objects;

/**
 * The agent-authorization sections of the configuration: {@code sessions}, {@code ssf} and {@code
 * approvals} (see {@code docs/server.md} and {@code docs/agent-sessions-guide.md}). Validated by
 * {@link ConfigLoader}.
 *
 * @param sessions agent sessions, or {@code null} when {@code sessions.enabled} is false
 * @param ssf the OpenID Shared Signals receiver, or {@code null} when no transmitter is configured
 * @param approvals human approvals, or {@code null} when {@code approvals.enabled} is false
 */
public record AgentSettings(Sessions sessions, Ssf ssf, Approvals approvals) {
    /** Nothing of it: no sessions, no receiver, no approvals. */
    public static AgentSettings none() {
        return new AgentSettings(null, null, null);
    }

    /**
     * Agent sessions.
     *
     * @param storeUrl where sessions survive a restart ({@code sessions.store}; default: the decision
     *     log's url, in tables of their own)
     * @param issuers the issuers whose agent and user tokens may start sessions ({@code
     *     sessions.issuers}, else those of {@code auth.jwt})
     * @param config entity mapping, lifetimes, labels, ... ({@code sessions.agent}, {@code
     *     sessions.expires_in}, ...)
     * @param defaultLimits the limits of a session that declares none ({@code sessions.limits})
     * @param requiredForAgents a decision whose principal is an agent must name a session ({@code
     *     sessions.required_for_agents})
     */
    public record Sessions(
            String storeUrl,
            List<TrustedIssuer> issuers,
            SessionConfig config,
            Limits defaultLimits,
            boolean requiredForAgents) {
        public Sessions {
            Objects.requireNonNull(storeUrl, "storeUrl");
            issuers = List.copyOf(issuers);
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(defaultLimits, "defaultLimits");
        }
    }

    /**
     * The Shared Signals receiver.
     *
     * @param transmitters whose Security Event Tokens are accepted
     */
    public record Ssf(List<Transmitter> transmitters) {
        public Ssf {
            transmitters = List.copyOf(transmitters);
        }
    }

    /**
     * One transmitter.
     *
     * @param trusted its {@code iss}, keys and the audiences its SETs must name
     * @param tokenIssuer the issuer of the tokens its events are about, when an event's subject does
     *     not name one ({@code token_issuer}; default: the transmitter's own {@code issuer})
     */
    public record Transmitter(TrustedIssuer trusted, String tokenIssuer) {
        public Transmitter {
            Objects.requireNonNull(trusted, "trusted");
            Objects.requireNonNull(tokenIssuer, "tokenIssuer");
        }
    }

    /**
     * Human approvals.
     *
     * @param storeUrl where approvals are kept ({@code approvals.store}; default: the decision log's
     *     url, in a table of its own)
     * @param options lifetimes and the context left out of the binding
     */
    public record Approvals(String storeUrl, ApprovalService.Options options) {
        public Approvals {
            Objects.requireNonNull(storeUrl, "storeUrl");
            Objects.requireNonNull(options, "options");
        }
    }
}
