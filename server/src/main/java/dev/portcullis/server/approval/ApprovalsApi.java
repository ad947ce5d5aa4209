package dev.portcullis.server.approval;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.pdp.approval.Approval;
import dev.portcullis.pdp.approval.ApprovalException;
import dev.portcullis.pdp.approval.ApprovalService;
import dev.portcullis.pdp.approval.ApprovalState;
import dev.portcullis.server.admin.AdminApi;
import dev.portcullis.server.admin.AdminApi.Answer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The approvals API without HTTP: what a human approver (role {@code approver} or {@code admin})
 * sees and does. The approver recorded is the authenticated caller's name, never a field of the
 * request.
 *
 * <pre>
 * GET  /v1/approvals               newest first; `state` (pending, granted, denied, used, expired), `limit`
 * GET  /v1/approvals/{id}          one, with the exact request it is bound to
 * POST /v1/approvals/{id}:grant    {"note": "..."}: the bound request may pass once
 * POST /v1/approvals/{id}:deny     {"note": "..."}: it stays denied (and is not asked again for a while)
 * </pre>
 */
public final class ApprovalsApi {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApprovalService approvals;

    public ApprovalsApi(ApprovalService approvals) {
        this.approvals = approvals;
    }

    /** {@code GET /v1/approvals}. */
    public Answer list(Map<String, String> params) {
        AdminApi.onlyParams(params, List.of("state", "limit"));
        ApprovalState state = null;
        if (params.containsKey("state")) {
            state = ApprovalState.parse(params.get("state"));
            if (state == null) {
                return error(
                        400,
                        "bad_request",
                        "`state`: expected pending, granted, denied, used or expired, got `" + params.get("state")
                                + "`");
            }
        }
        int limit = AdminApi.limit(params);
        try {
            List<Approval> found = approvals.list(state, limit);
            ObjectNode o = F.objectNode();
            ArrayNode list = o.putArray("approvals");
            found.forEach(a -> list.add(toJson(a)));
            return new Answer(200, o);
        } catch (ApprovalException e) {
            return refused(e);
        }
    }

    /** {@code GET /v1/approvals/{id}}. */
    public Answer get(String id) {
        try {
            Optional<Approval> a = approvals.get(id);
            return a.isEmpty() ? error(404, "not_found", "no approval `" + id + "`") : new Answer(200, toJson(a.get()));
        } catch (ApprovalException e) {
            return refused(e);
        }
    }

    /** {@code POST /v1/approvals/{id}:grant} by {@code approver} (the caller's name). */
    public Answer grant(String id, String approver, JsonNode body) {
        return decide(id, approver, body, true);
    }

    /** {@code POST /v1/approvals/{id}:deny} by {@code approver} (the caller's name). */
    public Answer deny(String id, String approver, JsonNode body) {
        return decide(id, approver, body, false);
    }

    private Answer decide(String id, String approver, JsonNode body, boolean grant) {
        String note = null;
        if (body != null && !body.isNull() && !body.isMissingNode()) {
            if (!body.isObject()) {
                return error(400, "bad_request", "the request body must be a json object like {\"note\": \"...\"}");
            }
            for (var it = body.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("note")) {
                    return error(400, "bad_request", "unknown field `" + f + "` (expected note)");
                }
            }
            JsonNode n = body.get("note");
            if (n != null && !n.isNull()) {
                if (!n.isTextual()) {
                    return error(400, "bad_request", "`note`: expected a string");
                }
                note = n.asText();
            }
        }
        try {
            Approval a = grant ? approvals.grant(id, approver, note) : approvals.deny(id, approver, note);
            return new Answer(200, toJson(a));
        } catch (ApprovalException e) {
            return refused(e);
        }
    }

    /** An approval as JSON (snake_case; {@code request} is the bound request as an object). */
    public static ObjectNode toJson(Approval a) {
        ObjectNode o = F.objectNode();
        o.put("id", a.id());
        o.put("state", a.state().wireName());
        o.put("principal", a.principal());
        o.put("action", a.action());
        o.put("resource", a.resource());
        try {
            o.set("request", JSON.readTree(a.request()));
        } catch (JacksonException e) {
            o.put("request", a.request());
        }
        o.put("binding_hash", a.bindingHash());
        a.policies().forEach(o.putArray("policies")::add);
        o.put("decision_id", a.decisionId());
        o.put("requested_at", a.requestedAt().toString());
        o.put("expires_at", a.expiresAt().toString());
        o.put("grant_ttl", a.grantTtl().toString());
        o.put("decided_at", text(a.decidedAt()));
        o.put("approver", a.approver());
        o.put("note", a.note());
        o.put("used_at", text(a.usedAt()));
        o.put("used_by", a.usedBy());
        return o;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static Answer refused(ApprovalException e) {
        return switch (e.kind()) {
            case NOT_FOUND -> error(404, "not_found", e.getMessage());
            case CONFLICT -> error(409, "conflict", e.getMessage());
            case INVALID -> error(400, "bad_request", e.getMessage());
            case UNAVAILABLE -> error(503, "unavailable", e.getMessage());
        };
    }

    private static Answer error(int status, String code, String message) {
        return Answer.error(status, code, message);
    }
}
