package dev.portcullis.server.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.ast.Loc;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.validation.ValidationError;
import dev.portcullis.cedar.validation.ValidationResult;
import dev.portcullis.cedar.validation.ValidationWarning;
import dev.portcullis.cedar.validation.Validator;
import dev.portcullis.server.input.Inputs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis validate}: checks policies against a schema with Cedar's strict validator.
 * Human output is one {@code file:line:col: error: [policy] message} line per problem followed by
 * the source line and a caret, like a compiler's; JSON output is for tools.
 */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Validate policies against a schema (Cedar's strict validation).",
            "Exit code: 0 valid (warnings are printed), 3 invalid, 1 bad input."
        })
final class ValidateCommand implements Callable<Integer> {
    static final int INVALID = 3;

    enum Format {
        human,
        json
    }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--schema", required = true, paramLabel = "FILE", description = "schema (.cedarschema or JSON)")
    Path schema;

    @Option(names = "--policies", required = true, paramLabel = "FILE", description = "Cedar policies (.cedar)")
    Path policies;

    @Option(
            names = "--template-links",
            paramLabel = "FILE",
            description = "template links: JSON array of {template_id, link_id, args}")
    Path templateLinks;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "human (default) or json: {\"valid\", \"errors\": [...], \"warnings\": [...]}")
    Format format = Format.human;

    @Override
    public Integer call() {
        Schema s = Inputs.schema(schema);
        String text = Inputs.readUtf8(policies);
        PolicySet set = Inputs.policies(text, policies.toString(), true);
        if (templateLinks != null) {
            set = Inputs.links(templateLinks, set);
        }
        ValidationResult result = new Validator(s).validate(set);
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(json(result));
        } else {
            human(out, result, text);
        }
        return result.isValid() ? 0 : INVALID;
    }

    private void human(PrintWriter out, ValidationResult result, String text) {
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (ValidationError e : result.errors()) {
            diagnostic(out, "error", e.policyId(), e.loc(), e.message(), lines);
        }
        for (ValidationWarning w : result.warnings()) {
            diagnostic(out, "warning", w.policyId(), w.loc(), w.message(), lines);
        }
        int n = result.errors().size();
        int m = result.warnings().size();
        out.println((n == 0 ? "valid" : "invalid") + ": " + plural(n, "error") + ", " + plural(m, "warning"));
    }

    private void diagnostic(PrintWriter out, String severity, String policy, Loc loc, String message, String[] lines) {
        boolean located = loc.line() > 0 && loc.line() <= lines.length;
        out.println(policies + (located ? ":" + loc.line() + ":" + loc.column() : "") + ": " + severity + ": [" + policy
                + "] " + bare(message, policy, loc));
        if (located) {
            String line = lines[loc.line() - 1];
            out.println("  " + line);
            out.println("  " + caret(line, loc));
        }
    }

    /** Spaces (tabs kept, so the caret lines up) up to the column, then {@code ^~~~} under the span. */
    static String caret(String line, Loc loc) {
        int col = Math.max(1, Math.min(loc.column(), line.length() + 1));
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < col - 1; i++) {
            b.append(line.charAt(i) == '\t' ? '\t' : ' ');
        }
        b.append('^');
        int span = Math.min(loc.end() - loc.start(), line.length() - (col - 1));
        for (int i = 1; i < span; i++) {
            b.append('~');
        }
        return b.toString();
    }

    /**
     * The validator's message without its leading {@code policy `id` at l:c: }, which the output
     * already shows in its own columns.
     */
    static String bare(String message, String policy, Loc loc) {
        String prefix = "policy `" + policy + "`";
        if (!message.startsWith(prefix)) {
            return message;
        }
        String rest = message.substring(prefix.length());
        if (rest.startsWith(" at " + loc + ": ")) {
            return rest.substring((" at " + loc + ": ").length());
        }
        return rest.startsWith(": ") ? rest.substring(2) : message;
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    static String json(ValidationResult result) {
        ObjectNode root = Inputs.JSON.createObjectNode();
        root.put("valid", result.isValid());
        ArrayNode errors = root.putArray("errors");
        for (ValidationError e : result.errors()) {
            item(errors, e.policyId(), e.loc(), e.kind().name(), e.message());
        }
        ArrayNode warnings = root.putArray("warnings");
        for (ValidationWarning w : result.warnings()) {
            item(warnings, w.policyId(), w.loc(), w.kind().name(), w.message());
        }
        return root.toString();
    }

    private static void item(ArrayNode array, String policy, Loc loc, String kind, String message) {
        ObjectNode o = array.addObject().put("policy", policy);
        if (loc.line() > 0) {
            o.put("line", loc.line()).put("column", loc.column());
        } else {
            o.putNull("line").putNull("column");
        }
        o.put("kind", kind.toLowerCase(Locale.ROOT)).put("message", bare(message, policy, loc));
    }
}
