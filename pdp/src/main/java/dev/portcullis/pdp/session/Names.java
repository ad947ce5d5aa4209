package dev.portcullis.pdp.session;

import dev.portcullis.cedar.parser.ParseException;
import dev.portcullis.cedar.parser.PolicyParser;
import dev.portcullis.cedar.value.EntityUid;
import java.util.regex.Pattern;

/** Parsing the names sessions are declared with: actions, entity types. */
final class Names {
    /** A Cedar entity type name: identifiers joined by {@code ::}. */
    static final Pattern TYPE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*");

    private Names() {}

    /**
     * An action: a bare name means {@code Action::"name"}, anything with {@code ::} is an action uid
     * such as {@code Mail::Action::"send"}.
     *
     * @param where the configuration key or request field, for the message
     */
    static EntityUid action(String text, String where) {
        if (text == null || text.isBlank()) {
            throw invalid(where, "an action name is empty");
        }
        if (!text.contains("::")) {
            return EntityUid.of("Action", text);
        }
        EntityUid uid = uid(text, where);
        if (!uid.type().isAction()) {
            throw invalid(where, "`" + text + "` is not an action (its type must be `Action` or `NS::Action`)");
        }
        return uid;
    }

    /** An entity uid such as {@code User::"alice"}. */
    static EntityUid uid(String text, String where) {
        try {
            return PolicyParser.parseEntityUid(text);
        } catch (ParseException e) {
            throw invalid(where, "`" + text + "` is not an entity uid such as `Type::\"id\"`: " + e.getMessage());
        }
    }

    /** The short form of an action for {@code context.session.actions}: its id. */
    static String actionKey(EntityUid action) {
        return action.id();
    }

    static SessionException invalid(String where, String what) {
        return new SessionException(SessionException.Kind.INVALID_REQUEST, where + ": " + what);
    }
}
