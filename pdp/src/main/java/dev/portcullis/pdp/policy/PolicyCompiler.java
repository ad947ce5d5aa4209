package dev.portcullis.pdp.policy;

import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.PolicySetException;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.json.JsonFormatException;
import dev.portcullis.cedar.json.TemplateLinksJson;
import dev.portcullis.cedar.parser.ParseException;
import dev.portcullis.cedar.parser.PolicyParser;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.schema.SchemaException;
import dev.portcullis.cedar.validation.ValidationError;
import dev.portcullis.cedar.validation.ValidationResult;
import dev.portcullis.cedar.validation.ValidationWarning;
import dev.portcullis.cedar.validation.Validator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link PolicyBundle} into a {@link PolicySnapshot}, or refuses it with every problem it
 * finds (all files are parsed before giving up, so one reload reports all syntax errors).
 *
 * <p><b>Policy ids.</b> A policy or template with an {@code @id("...")} annotation has that id.
 * Otherwise its id is {@code <file>:<n>}, where {@code n} is its 0-based position among the
 * policies and templates of its own file. So ids do not depend on other files, nor on the order in
 * which files are read; they change only when a policy is inserted or removed above it in the same
 * file, which is why production policies should carry {@code @id}. Template links have the {@code
 * link_id} of their links file. Every id must be unique across the bundle.
 */
final class PolicyCompiler {
    private PolicyCompiler() {}

    static PolicySnapshot compile(PolicyBundle bundle, Instant now) {
        List<PolicyProblem> problems = new ArrayList<>();
        Schema schema = schema(bundle, problems);

        List<Policy> all = new ArrayList<>();
        Map<String, String> fileOf = new HashMap<>();
        Map<String, Policy> byId = new LinkedHashMap<>();
        for (String file : bundle.policyFiles()) {
            List<Policy> parsed;
            try {
                parsed = PolicyParser.parse(bundle.files().get(file));
            } catch (ParseException e) {
                problems.add(new PolicyProblem(file, e.line(), e.column(), detail(e)));
                continue;
            }
            for (int i = 0; i < parsed.size(); i++) {
                Policy p = parsed.get(i);
                String annotated = p.annotations().get("id");
                String id = annotated != null ? annotated : file + ":" + i;
                Policy clash = byId.putIfAbsent(id, p);
                if (clash != null) {
                    problems.add(new PolicyProblem(
                            file,
                            p.loc().line(),
                            p.loc().column(),
                            "duplicate policy id `" + id + "` (also in " + fileOf.get(id) + " at " + clash.loc()
                                    + ")"));
                    continue;
                }
                fileOf.put(id, file);
                all.add(p.withId(id));
            }
        }
        if (!problems.isEmpty()) {
            throw new PolicyLoadException(problems);
        }

        PolicySet set;
        try {
            set = PolicySet.of(all);
        } catch (PolicySetException e) {
            throw new PolicyLoadException(new PolicyProblem("(bundle)", 0, 0, e.getMessage()));
        }
        for (String file : bundle.linkFiles()) {
            try {
                List<PolicySet.TemplateLink> links =
                        TemplateLinksJson.parse(bundle.files().get(file));
                set = set.linkAll(links);
                for (PolicySet.TemplateLink l : links) {
                    fileOf.put(l.linkId(), file);
                }
            } catch (JsonFormatException | PolicySetException e) {
                problems.add(PolicyProblem.fromMessage(file, e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new PolicyLoadException(problems);
        }

        List<String> warnings = new ArrayList<>();
        if (schema != null) {
            ValidationResult result = new Validator(schema).validate(set);
            for (ValidationError e : result.errors()) {
                problems.add(new PolicyProblem(
                        sourceFile(set, e.policyId(), fileOf),
                        e.loc().line(),
                        e.loc().column(),
                        e.message()));
            }
            for (ValidationWarning w : result.warnings()) {
                warnings.add(sourceFile(set, w.policyId(), fileOf) + ": " + w.message());
            }
            if (!problems.isEmpty()) {
                throw new PolicyLoadException(problems);
            }
        }
        return new PolicySnapshot(bundle.version(), set, schema, bundle.files(), fileOf, warnings, now);
    }

    // A link's location is that of its template's text, so it is reported in the template's file.
    private static String sourceFile(PolicySet set, String policyId, Map<String, String> fileOf) {
        Policy p = set.policy(policyId);
        if (p != null && p.templateId() != null && fileOf.containsKey(p.templateId())) {
            return fileOf.get(p.templateId());
        }
        String f = fileOf.get(policyId);
        return f == null ? "(bundle)" : f;
    }

    private static Schema schema(PolicyBundle bundle, List<PolicyProblem> problems) {
        List<String> files = bundle.schemaFiles();
        if (files.size() > 1) {
            problems.add(new PolicyProblem(
                    files.get(1), 0, 0, "a bundle has at most one schema; also found " + files.get(0)));
            return null;
        }
        if (files.isEmpty()) {
            return null;
        }
        String file = files.get(0);
        String text = bundle.files().get(file);
        try {
            return file.endsWith(".json") ? Schema.parseJson(text) : Schema.parseCedar(text);
        } catch (SchemaException | JsonFormatException | ParseException e) {
            problems.add(PolicyProblem.fromMessage(file, e.getMessage()));
            return null;
        }
    }

    private static String detail(ParseException e) {
        String m = e.getMessage();
        String prefix = e.line() + ":" + e.column() + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
