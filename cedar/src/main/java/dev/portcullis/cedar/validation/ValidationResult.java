package dev.portcullis.cedar.validation;

import java.util.List;

/** What the validator found: errors make the policies invalid, warnings do not. */
public record ValidationResult(List<ValidationError> errors, List<ValidationWarning> warnings) {
    public ValidationResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    /** True when there are no errors (warnings are allowed). */
    public boolean isValid() {
        return errors.isEmpty();
    }

    /** The errors of one policy. */
    public List<ValidationError> errorsOf(String policyId) {
        return errors.stream().filter(e -> e.policyId().equals(policyId)).toList();
    }
}
