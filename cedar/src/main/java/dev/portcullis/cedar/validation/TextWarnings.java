package dev.portcullis.cedar.validation;

import dev.portcullis.cedar.ast.Policy;
import java.util.List;

/** Warnings about the text of a policy (confusable or bidirectional characters). */
final class TextWarnings {
    private TextWarnings() {}

    static List<ValidationWarning> check(Policy p) {
        return List.of();
    }
}
