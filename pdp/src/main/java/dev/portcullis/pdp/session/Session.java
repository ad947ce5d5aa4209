package dev.portcullis.pdp.session;

import dev.portcullis.cedar.value.EntityUid;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A snapshot of an agent session: who acts, for whom, for what purpose, within which boundary, and
 * what it has done so far. Immutable; {@link SessionService} hands out a new one per call.
 *
 * @param id unguessable id ({@code ses_} and 32 hex digits, 128 random bits)
 * @param agent the acting agent
 * @param onBehalfOf the user the agent acts for, or {@code null}
 * @param purpose what the session is for, as declared
 * @param boundary what the session declared it will touch
 * @param limits how much it may do
 * @param parentId the session that delegated to this one (sub-agent), or {@code null}
 * @param parents the ancestors' ids, nearest first (empty for a session without parent)
 * @param createdAt when it started
 * @param expiresAt when it ends at the latest (never after its parent)
 * @param state live or ended; an active session past {@code expiresAt} shows as {@code EXPIRED}
 * @param endReason why it ended, or {@code null} while active
 * @param endedAt when it ended, or {@code null} while active
 * @param tokens the tokens that started it (or renewed it last)
 * @param labels data labels of what the session's delegation tree has read
 * @param actionCount allowed actions, its sub-agents' included
 * @param actionCounts allowed actions by action id, its sub-agents' included
 * @param history its most recent allowed actions, oldest first
 */
public record Session(
        String id,
        EntityUid agent,
        EntityUid onBehalfOf,
        String purpose,
        Boundary boundary,
        Limits limits,
        String parentId,
        List<String> parents,
        Instant createdAt,
        Instant expiresAt,
        SessionState state,
        String endReason,
        Instant endedAt,
        List<TokenRef> tokens,
        Set<String> labels,
        long actionCount,
        Map<String, Long> actionCounts,
        List<ActionEvent> history) {

    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agent, "agent");
        purpose = purpose == null ? "" : purpose;
        Objects.requireNonNull(boundary, "boundary");
        Objects.requireNonNull(limits, "limits");
        parents = List.copyOf(parents);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(state, "state");
        tokens = List.copyOf(tokens);
        labels = Set.copyOf(labels);
        actionCounts = Map.copyOf(actionCounts);
        history = List.copyOf(history);
    }

    public boolean isActive() {
        return state == SessionState.ACTIVE;
    }
}
