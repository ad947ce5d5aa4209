package dev.portcullis.pdp;

import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import dev.portcullis.pdp.approval.ApprovalCheck;
import dev.portcullis.pdp.approval.ApprovalRequirement;
import dev.portcullis.pdp.approval.ApprovalRules;
import dev.portcullis.pdp.approval.ApprovalService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The approval step of {@link DecisionService}, for an allow: an allow determined by a permit
 * annotated {@code @approval("required")} stands only with a granted approval for exactly this
 * request, which it uses up; otherwise it becomes a deny with the obligation {@code
 * approval_required} (see {@code docs/approvals.md}). Any failure here denies.
 */
final class ApprovalStep {
    /** The approval rules of one policy set, kept until the set changes. */
    private record RulesOf(PolicySet set, ApprovalRules rules) {}

    /** What the step made of an allow. */
    record Outcome(boolean allowed, List<String> reasons, List<Obligation> obligations, String failure) {}

    private final ApprovalService approvals;
    private volatile RulesOf rules = new RulesOf(PolicySet.empty(), ApprovalRules.of(PolicySet.empty()));

    /** {@code approvals} may be {@code null}: then an allow that needs approval fails closed. */
    ApprovalStep(ApprovalService approvals) {
        this.approvals = approvals;
    }

    /**
     * {@code null} when no permit among {@code reasons} asks for approval (the common case costs a
     * volatile read and an empty check), otherwise the decision as the approval service has it.
     */
    Outcome apply(DecisionRequest dr, PolicySet set, List<String> reasons, String decisionId) {
        try {
            RulesOf cached = rules;
            if (cached.set() != set) {
                cached = new RulesOf(set, ApprovalRules.of(set));
                rules = cached;
            }
            if (cached.rules().isEmpty()) {
                return null;
            }
            ApprovalRequirement need = cached.rules().requirement(reasons);
            if (need == null) {
                return null;
            }
            List<String> noted = new ArrayList<>(reasons);
            if (dr.kind().equals("search")) {
                // a search asks "who could", not "may I now": it neither asks a human nor uses a grant
                noted.add("approval:required (not asked for by a search)");
                return new Outcome(false, noted, List.of(), null);
            }
            if (approvals == null) {
                return new Outcome(
                        false,
                        reasons,
                        List.of(),
                        "policy `" + need.policies().get(0) + "` requires approval, but no approval service is"
                                + " configured");
            }
            return switch (approvals.check(boundRequest(dr), dr.facts(), need, decisionId)) {
                case ApprovalCheck.Used u -> {
                    noted.add("approval:" + u.approval().id());
                    yield new Outcome(true, noted, List.of(), null);
                }
                case ApprovalCheck.Refused r -> {
                    noted.add("approval:" + r.denied().id() + " denied");
                    yield new Outcome(false, noted, List.of(), null);
                }
                case ApprovalCheck.Required r -> {
                    if (r.rejectedId() != null) {
                        noted.add("approval:" + r.rejectedId() + " rejected: " + r.rejected());
                    }
                    Map<String, String> attrs = new LinkedHashMap<>();
                    attrs.put("approval_id", r.pending().id());
                    attrs.put("expires_at", r.pending().expiresAt().toString());
                    yield new Outcome(false, noted, List.of(new Obligation(Obligation.APPROVAL_REQUIRED, attrs)), null);
                }
            };
        } catch (RuntimeException e) {
            return new Outcome(false, reasons, List.of(), "approval step failed: " + DecisionService.describe(e));
        }
    }

    /**
     * The request an approval binds to: in an agent session, the session is part of it, so a
     * grant given to a request made in one session does not pass the same request in another
     * (the caller's context never carries {@code session}: the server refuses it).
     */
    static Request boundRequest(DecisionRequest dr) {
        Request r = dr.request();
        if (dr.sessionId() == null) {
            return r;
        }
        Map<String, Value> context = new HashMap<>(r.context().attrs());
        context.put("session", new RecordValue(Map.of("id", new StringValue(dr.sessionId()))));
        return new Request(r.principal(), r.action(), r.resource(), new RecordValue(context));
    }
}
