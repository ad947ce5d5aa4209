package dev.portcullis.cedar.difftest;

import dev.portcullis.cedar.AuthorizationError;
import dev.portcullis.cedar.Authorizer;
import dev.portcullis.cedar.Decision;
import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.Response;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.json.ContextJson;
import dev.portcullis.cedar.json.EntityJson;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Our engine behind the same narrow interface as {@link CedarJavaOracle}. Only the documented
 * rejections (parse and JSON format errors) count as a "failure" answer; any other exception is a
 * crash, which never agrees with anything.
 */
final class Portcullis {
    static final String CRASH = Answer.CRASH;

    record Prepared(Authorizer authorizer, String failure) {}

    record Store(Entities entities, String failure) {}

    private Portcullis() {}

    static Prepared prepare(String policiesText) {
        try {
            return new Prepared(new Authorizer(PolicySet.parse(policiesText)), null);
        } catch (RuntimeException e) {
            return new Prepared(null, describe(e));
        }
    }

    static boolean parses(String policiesText) {
        try {
            PolicySet.parse(policiesText);
            return true;
        } catch (RuntimeException e) {
            if (describe(e).startsWith(CRASH)) {
                throw e;
            }
            return false;
        }
    }

    static Store entities(String json) {
        try {
            return new Store(EntityJson.parse(json, null), null);
        } catch (RuntimeException e) {
            return new Store(null, describe(e));
        }
    }

    static Answer authorize(Prepared p, Store s, CaseGen.Req req) {
        if (p.failure() != null) {
            return Answer.failed("policies: " + p.failure());
        }
        if (s.failure() != null) {
            return Answer.failed("entities: " + s.failure());
        }
        Request request;
        try {
            EntityUid action = uid(req.action());
            RecordValue context = ContextJson.parse(req.context(), null, action);
            request = new Request(uid(req.principal()), action, uid(req.resource()), context);
        } catch (RuntimeException e) {
            return Answer.failed("context: " + describe(e));
        }
        Response r;
        try {
            r = p.authorizer().isAuthorized(request, s.entities());
        } catch (RuntimeException | StackOverflowError e) {
            return Answer.failed(CRASH + e);
        }
        Set<String> errors = new HashSet<>();
        List<String> messages = new ArrayList<>();
        for (AuthorizationError e : r.errors()) {
            errors.add(e.policyId());
            messages.add(e.policyId() + ": " + e.message());
        }
        return Answer.decided(r.decision() == Decision.ALLOW, r.reasons(), errors, messages);
    }

    static EntityUid uid(Uid u) {
        return new EntityUid(new EntityType(u.type()), u.id());
    }

    /** The documented rejections by simple class name; anything else is a crash. */
    private static String describe(RuntimeException e) {
        String name = e.getClass().getSimpleName();
        boolean expected =
                switch (name) {
                    case "ParseException", "JsonFormatException", "PolicySetException", "SchemaException" -> true;
                    default -> false;
                };
        String msg = String.valueOf(e.getMessage()).replace('\n', ' ');
        return expected ? name + ": " + msg : CRASH + e.getClass().getName() + ": " + msg;
    }
}
