package dev.portcullis.cedar.difftest;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One engine's answer to one request, reduced to what both engines must agree on: either a
 * failure (the input was rejected: policies, entities or context did not parse) or a decision with
 * the determining and the erroring policy ids. Messages are kept for the report only.
 */
record Answer(String failure, boolean allow, Set<String> reasons, Set<String> errors, List<String> messages) {
    static final String CRASH = "CRASH ";

    static Answer failed(String why) {
        return new Answer(why, false, Set.of(), Set.of(), List.of());
    }

    static Answer decided(boolean allow, Set<String> reasons, Set<String> errors, List<String> messages) {
        return new Answer(null, allow, new TreeSet<>(reasons), new TreeSet<>(errors), messages);
    }

    boolean isFailure() {
        return failure != null;
    }

    boolean isCrash() {
        return failure != null && failure.contains(CRASH);
    }

    /** Same outcome: both rejected the input, or same decision, reasons and erroring policies. */
    boolean agrees(Answer o) {
        if (isCrash() || o.isCrash()) {
            return false;
        }
        if (isFailure() || o.isFailure()) {
            return isFailure() && o.isFailure();
        }
        return allow == o.allow && reasons.equals(o.reasons) && errors.equals(o.errors);
    }

    @Override
    public String toString() {
        if (isFailure()) {
            return "FAILURE(" + failure + ")";
        }
        return (allow ? "ALLOW" : "DENY") + " reasons=" + reasons + " errors=" + errors + " messages=" + messages;
    }
}
