package dev.portcullis.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.cedar.AuthorizationError;
import dev.portcullis.cedar.Authorizer;
import dev.portcullis.cedar.Decision;
import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.Response;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.schema.RequestValidator;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.server.input.InputException;
import dev.portcullis.server.input.Inputs;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code portcullis authorize}: decides one request and prints the response as JSON. */
@Command(
        name = "authorize",
        mixinStandardHelpOptions = true,
        description = {
            "Decide one request. Prints {\"decision\", \"reasons\", \"errors\"} as JSON.",
            "Exit code: 0 allow, 2 deny, 1 bad input (with --schema: also a request the schema does not allow).",
            "Policies with an @id(\"...\") annotation take that id, as in the Cedar CLI."
        })
final class AuthorizeCommand implements Callable<Integer> {
    static final int DENY = 2;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--policies", required = true, paramLabel = "FILE", description = "Cedar policies (.cedar)")
    Path policies;

    @Option(names = "--entities", paramLabel = "FILE", description = "entities (Cedar JSON entity format)")
    Path entities;

    @Option(
            names = "--schema",
            paramLabel = "FILE",
            description = "schema (.cedarschema or JSON); entities and context are then parsed against it")
    Path schema;

    @Option(
            names = "--template-links",
            paramLabel = "FILE",
            description = "template links: JSON array of {template_id, link_id, args: {\"?principal\": uid, ...}}")
    Path templateLinks;

    @ArgGroup(exclusive = true, multiplicity = "1")
    RequestSource request;

    static final class RequestSource {
        @Option(
                names = "--request-json",
                required = true,
                paramLabel = "FILE",
                description = "request file: {principal, action, resource, context}")
        Path requestJson;

        @ArgGroup(exclusive = false)
        Parts parts;
    }

    static final class Parts {
        @Option(names = "--principal", required = true, paramLabel = "UID", description = "e.g. 'User::\"alice\"'")
        String principal;

        @Option(names = "--action", required = true, paramLabel = "UID", description = "e.g. 'Action::\"view\"'")
        String action;

        @Option(names = "--resource", required = true, paramLabel = "UID", description = "e.g. 'Photo::\"x.jpg\"'")
        String resource;

        @Option(names = "--context", paramLabel = "FILE", description = "context: a JSON object")
        Path context;
    }

    @Override
    public Integer call() {
        Schema s = schema == null ? null : Inputs.schema(schema);
        PolicySet set = Inputs.policies(policies, true);
        if (templateLinks != null) {
            set = Inputs.links(templateLinks, set);
        }
        Entities store = entities == null
                ? (s == null ? Entities.EMPTY : Entities.of(s.actionEntities()))
                : Inputs.entities(entities, s);
        Request r = request.requestJson != null ? Inputs.request(request.requestJson, s) : fromParts(request.parts, s);
        if (s != null) {
            // Cedar decides only requests the schema allows: an undeclared action or a principal the
            // action does not apply to is a mistake in the request, not a deny
            String problem = new RequestValidator(s).problem(r);
            if (problem != null) {
                throw new InputException("the request does not conform to the schema: " + problem);
            }
        }
        Response response = new Authorizer(set).isAuthorized(r, store);
        spec.commandLine().getOut().println(toJson(response));
        return response.decision() == Decision.ALLOW ? 0 : DENY;
    }

    private static Request fromParts(Parts p, Schema s) {
        EntityUid principal = Inputs.uid(p.principal, "--principal");
        EntityUid action = Inputs.uid(p.action, "--action");
        EntityUid resource = Inputs.uid(p.resource, "--resource");
        if (s != null && s.action(action) == null) {
            // before the context, which cannot be read without the action's declaration
            throw new InputException("the request does not conform to the schema: request's action `" + action
                    + "` is not declared in the schema");
        }
        RecordValue context = RecordValue.EMPTY;
        if (p.context != null) {
            JsonNode node = Inputs.json(Inputs.readUtf8(p.context), p.context.toString());
            if (!node.isObject()) {
                throw new InputException(p.context + ": context must be a JSON object");
            }
            context = Inputs.context(node, s, action, p.context.toString());
        } else if (s != null) {
            // the schema may require context attributes: let it say so
            context = Inputs.context(null, s, action, "context");
        }
        return new Request(principal, action, resource, context);
    }

    static String toJson(Response response) {
        ObjectNode root = Inputs.JSON.createObjectNode();
        root.put("decision", response.decision().text());
        ArrayNode reasons = root.putArray("reasons");
        response.reasons().forEach(reasons::add);
        ArrayNode errors = root.putArray("errors");
        for (AuthorizationError e : response.errors()) {
            errors.addObject().put("policy", e.policyId()).put("message", e.message());
        }
        return root.toString();
    }
}
