package dev.portcullis.pdp.identity;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One event of a Security Event Token (RFC 8417): its type URI, the subject it is about and its
 * other claims (e.g. CAEP's {@code event_timestamp}, {@code reason_admin}, {@code
 * initiating_entity}). The subject is the event's own {@code subject} member (CAEP) or else the
 * token's {@code sub_id} claim (Shared Signals); {@code null} only for events about no subject, such
 * as stream verification.
 */
public record SecurityEvent(String type, SubjectId subject, Map<String, Object> claims) {

    /** CAEP and RISC event types a receiver commonly acts on. */
    public static final String CAEP = "https://schemas.openid.net/secevent/caep/event-type/";

    public static final String SESSION_REVOKED = CAEP + "session-revoked";
    public static final String CREDENTIAL_CHANGE = CAEP + "credential-change";
    public static final String TOKEN_CLAIMS_CHANGE = CAEP + "token-claims-change";
    public static final String ASSURANCE_LEVEL_CHANGE = CAEP + "assurance-level-change";
    public static final String DEVICE_COMPLIANCE_CHANGE = CAEP + "device-compliance-change";
    public static final String RISC = "https://schemas.openid.net/secevent/risc/event-type/";
    public static final String ACCOUNT_DISABLED = RISC + "account-disabled";
    public static final String ACCOUNT_ENABLED = RISC + "account-enabled";
    public static final String ACCOUNT_PURGED = RISC + "account-purged";
    public static final String CREDENTIAL_COMPROMISE = RISC + "credential-compromise";
    public static final String SSF_VERIFICATION = "https://schemas.openid.net/secevent/ssf/event-type/verification";

    public SecurityEvent {
        Objects.requireNonNull(type, "type");
        claims = Map.copyOf(claims);
    }

    /** CAEP's {@code event_timestamp} (seconds since the epoch), or {@code null}. */
    public Instant eventTimestamp() {
        return claims.get("event_timestamp") instanceof Number n ? Instant.ofEpochSecond(n.longValue()) : null;
    }
}
