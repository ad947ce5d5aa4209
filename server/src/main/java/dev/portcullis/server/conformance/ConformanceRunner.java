package dev.portcullis.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.cedar.AuthorizationError;
import dev.portcullis.cedar.Authorizer;
import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.Response;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.schema.RequestValidator;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.validation.ValidationError;
import dev.portcullis.cedar.validation.ValidationResult;
import dev.portcullis.cedar.validation.Validator;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.server.input.InputException;
import dev.portcullis.server.input.Inputs;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs Cedar integration-test files (the format of cedar-policy/cedar-integration-tests): each file
 * names a policy file, an entities file and a schema, and lists requests with the expected
 * decision, reasons (policy ids) and erroring policies. Reasons and errors are compared as sets.
 *
 * <p>Paths inside a test file are resolved against the root given to the constructor; with no
 * root, against the nearest directory that contains the test file (its own directory or an
 * ancestor) under which the test's {@code policies} path exists. That finds {@code cedar/} for
 * {@code cedar/tests/multi/1.json} (whose paths read {@code tests/multi/...}) and the folder
 * holding {@code corpus-tests/} for the generated corpus.
 *
 * <p>Entities and contexts are parsed with the test's schema, as the reference harness does. With
 * a schema, the runner also checks validation: the test's {@code shouldValidate} verdict against
 * the strict {@link Validator} (a disagreement is one failed test, of kind {@link
 * Kind#VALIDATION}, counted apart from requests), and every request marked {@code
 * validateRequest} against the {@link RequestValidator} (a rejection fails that request).
 */
public final class ConformanceRunner {
    /** Why a request failed; used to group failures in summaries. */
    public enum Kind {
        POLICIES,
        SCHEMA,
        ENTITIES,
        TEST_FILE,
        REQUEST,
        REQUEST_VALIDATION,
        VALIDATION,
        DECISION,
        REASONS,
        ERRORS,
        CRASH
    }

    /** One failed request ({@code description} is {@code "*"} when a whole file failed to load). */
    public record Failure(Path file, String description, Kind kind, String detail) {
        @Override
        public String toString() {
            return file + ": " + description + ": " + detail;
        }
    }

    /** Counts of requests, and the failures. */
    public static final class Summary {
        private int passed;
        private int failed;
        private int files;
        private int validationPassed;
        private int validationFailed;
        private final List<Failure> failures = new ArrayList<>();

        public int passed() {
            return passed;
        }

        public int failed() {
            return failed;
        }

        /** Test files run. */
        public int files() {
            return files;
        }

        /** Test files whose {@code shouldValidate} verdict the validator agreed with. */
        public int validationPassed() {
            return validationPassed;
        }

        /** Test files whose {@code shouldValidate} verdict the validator disagreed with. */
        public int validationFailed() {
            return validationFailed;
        }

        public List<Failure> failures() {
            return failures;
        }

        public int total() {
            return passed + failed;
        }

        @Override
        public String toString() {
            // the last line is exactly `N passed, M failed` (requests), as test-log readers expect
            return (validationPassed + validationFailed == 0
                            ? ""
                            : "validation: " + validationPassed + " test files agreed with `shouldValidate`, "
                                    + validationFailed + " disagreed" + System.lineSeparator())
                    + passed + " passed, " + failed + " failed";
        }
    }

    private final Path root;
    private final Consumer<Failure> onFailure;

    /**
     * @param rootOrNull where paths inside test files are resolved, or {@code null} for the rule
     *     in the class comment
     * @param onFailure told of each failure as it happens (e.g. to print it)
     */
    public ConformanceRunner(Path rootOrNull, Consumer<Failure> onFailure) {
        this.root = rootOrNull;
        this.onFailure = onFailure;
    }

    public ConformanceRunner(Path rootOrNull) {
        this(rootOrNull, f -> {});
    }

    /** Runs the test files given and every test file under the directories given. */
    public Summary run(List<Path> filesOrDirs) {
        Summary summary = new Summary();
        for (Path p : filesOrDirs) {
            if (Files.isDirectory(p)) {
                for (Path f : testFilesUnder(p)) {
                    runFile(f, summary);
                }
            } else {
                runFile(p, summary);
            }
        }
        return summary;
    }

    /** The {@code *.json} files under {@code dir} that are test files, in path order. */
    public static List<Path> testFilesUnder(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .filter(ConformanceRunner::looksLikeTest)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Entities files are JSON arrays; a test is an object. Peek at the first character rather than
    // parsing every (possibly large) JSON file twice; runFile checks the fields.
    private static boolean looksLikeTest(Path f) {
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            int c;
            do {
                c = r.read();
            } while (c != -1 && Character.isWhitespace(c));
            if (c != '{') {
                return false;
            }
        } catch (IOException e) {
            return true; // let runFile report it
        }
        JsonNode node;
        try {
            node = Inputs.json(Inputs.readUtf8(f), f.toString());
        } catch (InputException e) {
            return true;
        }
        return node.has("policies") && node.has("requests");
    }

    /** Runs one test file, adding its requests to {@code summary}. */
    public void runFile(Path file, Summary summary) {
        summary.files++;
        JsonNode test;
        try {
            test = Inputs.json(Inputs.readUtf8(file), file.toString());
        } catch (InputException e) {
            fail(summary, new Failure(file, "*", Kind.TEST_FILE, e.getMessage()), 1);
            return;
        }
        JsonNode requests = test.path("requests");
        int count = Math.max(1, requests.size());
        if (!test.path("policies").isTextual() || !requests.isArray()) {
            fail(
                    summary,
                    new Failure(file, "*", Kind.TEST_FILE, "not a test file: needs `policies` and `requests`"),
                    count);
            return;
        }
        Path base = root != null ? root : baseOf(file, test.get("policies").asText());
        Kind stage = Kind.POLICIES;
        Authorizer authorizer;
        Schema schema = null;
        Entities entities;
        PolicySet policies;
        try {
            policies = Inputs.policies(base.resolve(test.get("policies").asText()), false);
            authorizer = new Authorizer(policies);
            stage = Kind.SCHEMA;
            if (test.path("schema").isTextual()) {
                schema = Inputs.schema(base.resolve(test.get("schema").asText()));
            }
            stage = Kind.ENTITIES;
            entities = test.path("entities").isTextual()
                    ? Inputs.entities(base.resolve(test.get("entities").asText()), schema)
                    : Entities.EMPTY;
        } catch (InputException e) {
            fail(summary, new Failure(file, "*", stage, e.getMessage()), count);
            return;
        } catch (RuntimeException e) {
            fail(summary, new Failure(file, "*", Kind.CRASH, stage + ": " + e), count);
            return;
        }
        if (schema != null && test.path("shouldValidate").isBoolean()) {
            checkValidation(file, test.get("shouldValidate").asBoolean(), schema, policies, summary);
        }
        RequestValidator requestValidator = schema == null ? null : new RequestValidator(schema);
        for (int i = 0; i < requests.size(); i++) {
            runRequest(file, requests.get(i), i, authorizer, schema, requestValidator, entities, summary);
        }
    }

    private void checkValidation(Path file, boolean expected, Schema schema, PolicySet policies, Summary summary) {
        ValidationResult result;
        try {
            result = new Validator(schema).validate(policies);
        } catch (RuntimeException e) {
            summary.validationFailed++;
            fail(summary, new Failure(file, "*", Kind.CRASH, "validate: " + e), 0);
            return;
        }
        if (result.isValid() == expected) {
            summary.validationPassed++;
            return;
        }
        summary.validationFailed++;
        String detail = expected
                ? "expected the policies to validate, but the validator reports: "
                        + result.errors().stream().map(ValidationError::message).collect(Collectors.joining("; "))
                : "expected the policies to fail validation, but the validator accepts them";
        fail(summary, new Failure(file, "*", Kind.VALIDATION, detail), 0);
    }

    private void runRequest(
            Path file,
            JsonNode req,
            int index,
            Authorizer authorizer,
            Schema schema,
            RequestValidator requestValidator,
            Entities entities,
            Summary summary) {
        String description = req.path("description").asText("request " + index);
        Request request;
        try {
            EntityUid principal = Inputs.uid(req.get("principal"), "principal");
            EntityUid action = Inputs.uid(req.get("action"), "action");
            EntityUid resource = Inputs.uid(req.get("resource"), "resource");
            RecordValue context = Inputs.context(req.get("context"), schema, action, "context");
            request = new Request(principal, action, resource, context);
        } catch (InputException e) {
            fail(summary, new Failure(file, description, Kind.REQUEST, e.getMessage()), 1);
            return;
        } catch (RuntimeException e) {
            fail(summary, new Failure(file, description, Kind.CRASH, "request: " + e), 1);
            return;
        }
        if (requestValidator != null && req.path("validateRequest").asBoolean(false)) {
            String problem = requestValidator.problem(request);
            if (problem != null) {
                fail(summary, new Failure(file, description, Kind.REQUEST_VALIDATION, problem), 1);
                return;
            }
        }
        Response response;
        try {
            response = authorizer.isAuthorized(request, entities);
        } catch (RuntimeException e) {
            fail(summary, new Failure(file, description, Kind.CRASH, "authorize: " + e), 1);
            return;
        }
        String expectedDecision = req.path("decision").asText();
        Set<String> expectedReasons = ids(req.path("reason"));
        Set<String> expectedErrors = ids(req.path("errors"));
        Set<String> actualReasons = new TreeSet<>(response.reasons());
        Set<String> actualErrors = new TreeSet<>();
        for (AuthorizationError e : response.errors()) {
            actualErrors.add(e.policyId());
        }
        Kind kind = null;
        if (!expectedDecision.equalsIgnoreCase(response.decision().text())) {
            kind = Kind.DECISION;
        } else if (!expectedReasons.equals(actualReasons)) {
            kind = Kind.REASONS;
        } else if (!expectedErrors.equals(actualErrors)) {
            kind = Kind.ERRORS;
        }
        if (kind == null) {
            summary.passed++;
            return;
        }
        String detail = "expected " + expectedDecision + " reasons " + expectedReasons + " errors " + expectedErrors
                + ", got " + response.decision().text() + " reasons " + actualReasons + " errors "
                + response.errors();
        fail(summary, new Failure(file, description, kind, detail), 1);
    }

    private void fail(Summary summary, Failure failure, int requests) {
        summary.failed += requests;
        summary.failures.add(failure);
        onFailure.accept(failure);
    }

    private static Set<String> ids(JsonNode array) {
        Set<String> out = new TreeSet<>();
        for (JsonNode n : array) {
            out.add(n.asText());
        }
        return out;
    }

    /** The nearest directory, from the test file's own upwards, under which {@code policies} exists. */
    static Path baseOf(Path testFile, String policies) {
        Path dir = testFile.toAbsolutePath().getParent();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(policies))) {
                return d;
            }
        }
        return dir;
    }
}
