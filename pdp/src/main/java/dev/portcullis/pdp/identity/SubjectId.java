package dev.portcullis.pdp.identity;

import dev.portcullis.pdp.identity.TokenException.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who or what a security event is about: an RFC 9493 subject identifier, or an OpenID Shared
 * Signals complex subject (several identifiers, e.g. a user and a session). Parse only; matching
 * a subject to sessions is up to the receiver.
 */
public sealed interface SubjectId {

    /** The {@code format} member ({@code complex} for a complex subject). */
    String format();

    /** {@code account}: an {@code acct:} URI (RFC 7565). */
    record Account(String uri) implements SubjectId {
        public String format() {
            return "account";
        }
    }

    /** {@code email}: an email address, as sent (compare case-insensitively where that matters). */
    record Email(String email) implements SubjectId {
        public String format() {
            return "email";
        }
    }

    /** {@code iss_sub}: the {@code sub} a given issuer uses for the subject. */
    record IssSub(String iss, String sub) implements SubjectId {
        public String format() {
            return "iss_sub";
        }
    }

    /** {@code opaque}: an identifier only the transmitter and receiver understand. */
    record Opaque(String id) implements SubjectId {
        public String format() {
            return "opaque";
        }
    }

    /** {@code phone_number}: an E.164 phone number. */
    record PhoneNumber(String phoneNumber) implements SubjectId {
        public String format() {
            return "phone_number";
        }
    }

    /** {@code did}: a decentralized identifier URL. */
    record Did(String url) implements SubjectId {
        public String format() {
            return "did";
        }
    }

    /** {@code uri}: any URI. */
    record Uri(String uri) implements SubjectId {
        public String format() {
            return "uri";
        }
    }

    /** {@code jwt_id} (Shared Signals): one JWT, by its issuer and {@code jti}. */
    record JwtId(String iss, String jti) implements SubjectId {
        public String format() {
            return "jwt_id";
        }
    }

    /** {@code saml_assertion_id} (Shared Signals): one SAML assertion. */
    record SamlAssertionId(String issuer, String assertionId) implements SubjectId {
        public String format() {
            return "saml_assertion_id";
        }
    }

    /** {@code aliases}: several identifiers of one subject. */
    record Aliases(List<SubjectId> identifiers) implements SubjectId {
        public Aliases {
            identifiers = List.copyOf(identifiers);
        }

        public String format() {
            return "aliases";
        }
    }

    /**
     * A Shared Signals complex subject: members such as {@code user}, {@code session}, {@code
     * device}, {@code tenant}, each an identifier of its own.
     */
    record Complex(Map<String, SubjectId> members) implements SubjectId {
        /** The member names Shared Signals defines for a complex subject. */
        public static final Set<String> MEMBERS =
                Set.of("user", "device", "session", "application", "tenant", "org_unit", "group");

        public Complex {
            members = Map.copyOf(members);
        }

        public String format() {
            return "complex";
        }

        /** The member, or {@code null}. */
        public SubjectId member(String name) {
            return members.get(name);
        }
    }

    /** A format this parser does not know, with its members as sent. */
    record Other(String format, Map<String, Object> members) implements SubjectId {
        public Other {
            Objects.requireNonNull(format, "format");
            members = Map.copyOf(members);
        }
    }

    /**
     * Parses a subject identifier JSON object (as plain Java values).
     *
     * @param where the claim path, for messages (e.g. {@code sub_id})
     * @throws TokenException {@code MALFORMED} when a known format lacks a member or the value is
     *     not an object
     */
    static SubjectId parse(Object value, String where) {
        if (!(value instanceof Map<?, ?> raw)) {
            throw new TokenException(Reason.MALFORMED, "`" + where + "` must be a JSON object");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        raw.forEach((k, v) -> m.put(String.valueOf(k), v));
        Object format = m.get("format");
        if (format == null) {
            if (m.keySet().stream().anyMatch(Complex.MEMBERS::contains)) {
                return complex(m, where);
            }
            throw new TokenException(Reason.MALFORMED, "`" + where + ".format` is missing");
        }
        if (!(format instanceof String f)) {
            throw new TokenException(Reason.MALFORMED, "`" + where + ".format` must be a string");
        }
        return switch (f) {
            case "account" -> new Account(member(m, "uri", where));
            case "email" -> new Email(member(m, "email", where));
            case "iss_sub" -> new IssSub(member(m, "iss", where), member(m, "sub", where));
            case "opaque" -> new Opaque(member(m, "id", where));
            case "phone_number" -> new PhoneNumber(member(m, "phone_number", where));
            case "did" -> new Did(member(m, "url", where));
            case "uri" -> new Uri(member(m, "uri", where));
            case "jwt_id" -> new JwtId(member(m, "iss", where), member(m, "jti", where));
            case "saml_assertion_id" ->
                new SamlAssertionId(member(m, "issuer", where), member(m, "assertion_id", where));
            case "aliases" -> aliases(m, where);
            case "complex" -> complex(m, where);
            default -> {
                Map<String, Object> rest = new LinkedHashMap<>(m);
                rest.remove("format");
                rest.values().removeIf(Objects::isNull);
                yield new Other(f, rest);
            }
        };
    }

    private static String member(Map<String, Object> m, String name, String where) {
        if (!(m.get(name) instanceof String s) || s.isEmpty()) {
            throw new TokenException(
                    Reason.MALFORMED,
                    "`" + where + "`: format `" + m.get("format") + "` needs a string `" + name + "`");
        }
        return s;
    }

    private static Aliases aliases(Map<String, Object> m, String where) {
        if (!(m.get("identifiers") instanceof List<?> list) || list.isEmpty()) {
            throw new TokenException(
                    Reason.MALFORMED, "`" + where + "`: format `aliases` needs a non-empty `identifiers` list");
        }
        List<SubjectId> ids = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            SubjectId id = parse(list.get(i), where + ".identifiers[" + i + "]");
            if (id instanceof Aliases) {
                // RFC 9493 section 3.2.8: aliases do not nest
                throw new TokenException(
                        Reason.MALFORMED, "`" + where + ".identifiers[" + i + "]`: aliases cannot nest");
            }
            ids.add(id);
        }
        return new Aliases(ids);
    }

    private static Complex complex(Map<String, Object> m, String where) {
        Map<String, SubjectId> members = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getKey().equals("format") || e.getValue() == null) {
                continue;
            }
            SubjectId id = parse(e.getValue(), where + "." + e.getKey());
            if (id instanceof Complex) {
                throw new TokenException(
                        Reason.MALFORMED, "`" + where + "." + e.getKey() + "`: complex subjects cannot nest");
            }
            members.put(e.getKey(), id);
        }
        if (members.isEmpty()) {
            throw new TokenException(Reason.MALFORMED, "`" + where + "`: a complex subject needs members");
        }
        return new Complex(members);
    }
}
