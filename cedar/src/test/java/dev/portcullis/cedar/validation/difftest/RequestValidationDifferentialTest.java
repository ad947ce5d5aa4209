package dev.portcullis.cedar.validation.difftest;

import static org.assertj.core.api.Assertions.assertThat;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.value.CedarList;
import com.cedarpolicy.value.CedarMap;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.PrimBool;
import com.cedarpolicy.value.PrimLong;
import com.cedarpolicy.value.PrimString;
import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.schema.ActionDecl;
import dev.portcullis.cedar.schema.EntityTypeDecl;
import dev.portcullis.cedar.schema.RequestValidator;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.schema.SchemaType;
import dev.portcullis.cedar.schema.SchemaType.RecordType;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.DatetimeValue;
import dev.portcullis.cedar.value.DecimalValue;
import dev.portcullis.cedar.value.DurationValue;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.IpAddrValue;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.SetValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link RequestValidator} against Cedar's request validation (cedar-java 4.10.0 deciding with a
 * schema and request validation on) on generated schemas and requests: conforming requests, and
 * requests with one mistake (undeclared action, principal or resource type outside {@code
 * appliesTo} or undeclared, enumerated id not in the enum, context attribute missing, extra or of
 * the wrong type). Both must accept or reject each request alike.
 */
class RequestValidationDifferentialTest {
    private static final BasicAuthorizationEngine ENGINE = new BasicAuthorizationEngine();

    @Test
    void agreesWithCedarOnGeneratedRequests() throws Exception {
        int cases = Integer.getInteger("portcullis.requests.cases", 3_000);
        Random rnd = new Random(Long.getLong("portcullis.requests.seed", 42L));
        int done = 0;
        int rejected = 0;
        List<String> disagreements = new ArrayList<>();
        while (done < cases) {
            String schemaText = new SchemaGen(rnd).generate();
            Schema schema = Schema.parseCedar(schemaText);
            var cedarSchema = com.cedarpolicy.model.schema.Schema.parse(
                    com.cedarpolicy.model.schema.Schema.JsonOrCedar.Cedar, schemaText);
            RequestValidator ours = new RequestValidator(schema);
            List<ActionDecl> actions = new ArrayList<>(schema.actions());
            for (int i = 0; i < 20; i++, done++) {
                Request r = request(rnd, schema, actions);
                String problem = ours.problem(r);
                String cedarProblem = cedar(r, cedarSchema);
                rejected += cedarProblem == null ? 0 : 1;
                if ((problem == null) != (cedarProblem == null) && disagreements.size() < 10) {
                    disagreements.add("\n--- schema:\n" + schemaText + "--- request: " + r + "\n--- cedar: "
                            + (cedarProblem == null ? "accepts" : cedarProblem) + "\n--- ours: "
                            + (problem == null ? "accepts" : problem));
                }
            }
        }
        System.out.printf(
                "request validation difftest: %d requests, %d rejected by cedar, %d disagreements%n",
                done, rejected, disagreements.size());
        assertThat(rejected).isBetween(done / 5, done * 4 / 5);
        assertThat(disagreements).isEmpty();
    }

    private static String cedar(Request r, com.cedarpolicy.model.schema.Schema schema) {
        Map<String, com.cedarpolicy.value.Value> context = new LinkedHashMap<>();
        r.context().attrs().forEach((k, v) -> context.put(k, toCedar(v)));
        try {
            AuthorizationRequest req = new AuthorizationRequest(
                    (com.cedarpolicy.value.EntityUID) toCedar(r.principal()),
                    (com.cedarpolicy.value.EntityUID) toCedar(r.action()),
                    (com.cedarpolicy.value.EntityUID) toCedar(r.resource()),
                    Optional.of(context),
                    Optional.of(schema),
                    true);
            AuthorizationResponse resp =
                    ENGINE.isAuthorized(req, new com.cedarpolicy.model.policy.PolicySet(), Set.of());
            return resp.success.isPresent()
                    ? null
                    : resp.errors.map(Object::toString).orElse("failed");
        } catch (Exception e) {
            return CedarValidatorOracle.oneLine(e.getMessage());
        }
    }

    private static com.cedarpolicy.value.Value toCedar(Value v) {
        return switch (v) {
            case LongValue l -> new PrimLong(l.value());
            case StringValue s -> new PrimString(s.value());
            case BoolValue b -> new PrimBool(b.value());
            case EntityUid u ->
                new com.cedarpolicy.value.EntityUID(
                        EntityTypeName.parse(u.type().name()).orElseThrow(), u.id());
            case SetValue s -> {
                List<com.cedarpolicy.value.Value> l = new ArrayList<>();
                s.elements().forEach(e -> l.add(toCedar(e)));
                yield new CedarList(l);
            }
            case RecordValue r -> {
                Map<String, com.cedarpolicy.value.Value> m = new LinkedHashMap<>();
                r.attrs().forEach((k, x) -> m.put(k, toCedar(x)));
                yield new CedarMap(m);
            }
            case IpAddrValue ip -> new com.cedarpolicy.value.IpAddress(IPS.get(ip));
            case DecimalValue d -> new com.cedarpolicy.value.Decimal(DECIMALS.get(d));
            case DatetimeValue d -> new com.cedarpolicy.value.DateTime(DATETIMES.get(d));
            case DurationValue d -> new com.cedarpolicy.value.Duration(DURATIONS.get(d));
            default -> throw new IllegalArgumentException("unexpected value " + v);
        };
    }

    // the extension literals the generator uses, by value, to write them for cedar-java
    private static final Map<IpAddrValue, String> IPS = literals(IpAddrValue::parse, "10.0.0.1", "::1");
    private static final Map<DecimalValue, String> DECIMALS = literals(DecimalValue::parse, "1.5", "-0.0001");
    private static final Map<DatetimeValue, String> DATETIMES =
            literals(DatetimeValue::parse, "2024-01-01", "2024-10-15T11:35:00Z");
    private static final Map<DurationValue, String> DURATIONS = literals(DurationValue::parse, "1h", "-2d3m");

    private static <T> Map<T, String> literals(java.util.function.Function<String, T> parse, String... texts) {
        Map<T, String> m = new LinkedHashMap<>();
        for (String t : texts) {
            m.put(parse.apply(t), t);
        }
        return m;
    }

    // ------------------------------------------------------------------ generation

    private static Request request(Random rnd, Schema schema, List<ActionDecl> actions) {
        List<EntityType> types = new ArrayList<>(schema.entityTypeNames());
        ActionDecl a = actions.get(rnd.nextInt(actions.size()));
        int mistake = rnd.nextInt(3) == 0 ? rnd.nextInt(8) : -1;
        EntityUid action = mistake == 0 ? new EntityUid(a.uid().type(), "nope") : a.uid();
        EntityType p = pick(rnd, a.principalTypes(), types);
        EntityType r = pick(rnd, a.resourceTypes(), types);
        if (mistake == 1) {
            p = types.get(rnd.nextInt(types.size()));
        } else if (mistake == 2) {
            r = new EntityType(rnd.nextBoolean() ? "Nope" : types.get(0).name() + "X");
        }
        EntityUid principal = uid(rnd, schema, p, mistake == 3);
        EntityUid resource = uid(rnd, schema, r, false);
        Map<String, Value> ctx = new LinkedHashMap<>();
        RecordType ct = a.context();
        ct.attributes().forEach((name, attr) -> {
            if (attr.required() || rnd.nextBoolean()) {
                ctx.put(name, value(rnd, schema, attr.type(), types, 0));
            }
        });
        List<String> names = new ArrayList<>(ctx.keySet());
        if (mistake == 4 && !names.isEmpty()) {
            ctx.remove(names.get(rnd.nextInt(names.size())));
        } else if (mistake == 5) {
            ctx.put("extra", LongValue.of(1));
        } else if (mistake == 6 && !names.isEmpty()) {
            String victim = names.get(rnd.nextInt(names.size()));
            ctx.put(victim, wrong(rnd, ctx.get(victim)));
        } else if (mistake == 7 && !names.isEmpty()) {
            // a wrong type deeper inside: in a set or a record attribute
            String victim = names.get(rnd.nextInt(names.size()));
            Value v = ctx.get(victim);
            if (v instanceof SetValue s && !s.elements().isEmpty()) {
                Set<Value> elems = new LinkedHashSet<>(s.elements());
                elems.add(wrong(rnd, s.elements().iterator().next()));
                ctx.put(victim, new SetValue(elems));
            } else if (v instanceof RecordValue rec && !rec.attrs().isEmpty()) {
                Map<String, Value> m = new LinkedHashMap<>(rec.attrs());
                String k = m.keySet().iterator().next();
                m.put(k, wrong(rnd, m.get(k)));
                ctx.put(victim, new RecordValue(m));
            }
        }
        return new Request(principal, action, resource, new RecordValue(ctx));
    }

    private static EntityType pick(Random rnd, Set<EntityType> allowed, List<EntityType> types) {
        List<EntityType> l = new ArrayList<>(allowed.isEmpty() ? types : allowed);
        return l.get(rnd.nextInt(l.size()));
    }

    private static EntityUid uid(Random rnd, Schema schema, EntityType t, boolean badEnumId) {
        EntityTypeDecl d = schema.entityType(t);
        if (d != null && d.isEnum()) {
            return new EntityUid(
                    t,
                    badEnumId
                            ? "green"
                            : d.enumIds().get(rnd.nextInt(d.enumIds().size())));
        }
        return new EntityUid(t, "u" + rnd.nextInt(2));
    }

    private static Value value(Random rnd, Schema schema, SchemaType t, List<EntityType> types, int depth) {
        return switch (t) {
            case SchemaType.LongType l -> LongValue.of(rnd.nextInt(10));
            case SchemaType.StringType s -> new StringValue("s" + rnd.nextInt(3));
            case SchemaType.BoolType b -> BoolValue.of(rnd.nextBoolean());
            case SchemaType.EntityRefType e -> uid(rnd, schema, e.entityType(), false);
            case SchemaType.SetType s -> {
                Set<Value> elems = new LinkedHashSet<>();
                for (int i = rnd.nextInt(3); i > 0; i--) {
                    elems.add(value(rnd, schema, s.element(), types, depth + 1));
                }
                yield new SetValue(elems);
            }
            case RecordType r -> {
                Map<String, Value> m = new LinkedHashMap<>();
                r.attributes().forEach((k, a) -> {
                    if (a.required() || rnd.nextBoolean()) {
                        m.put(k, value(rnd, schema, a.type(), types, depth + 1));
                    }
                });
                yield new RecordValue(m);
            }
            case SchemaType.ExtensionType x ->
                switch (x.name()) {
                    case "ipaddr" -> pickKey(rnd, IPS);
                    case "decimal" -> pickKey(rnd, DECIMALS);
                    case "datetime" -> pickKey(rnd, DATETIMES);
                    default -> pickKey(rnd, DURATIONS);
                };
        };
    }

    private static <T> T pickKey(Random rnd, Map<T, String> m) {
        List<T> keys = new ArrayList<>(m.keySet());
        return keys.get(rnd.nextInt(keys.size()));
    }

    /** A value of another type than {@code v}'s. */
    private static Value wrong(Random rnd, Value v) {
        return switch (v) {
            case LongValue l -> rnd.nextBoolean() ? new StringValue("1") : pickKey(rnd, DECIMALS);
            case StringValue s -> LongValue.of(1);
            case BoolValue b -> new StringValue("true");
            case EntityUid u -> new EntityUid(new EntityType(u.type().name() + "Other"), u.id());
            case SetValue s -> LongValue.of(0);
            case RecordValue r -> new StringValue("{}");
            // not a string: Cedar reads a JSON string where the schema wants an extension value as
            // that value (`"10.0.0.1"` is an ipaddr), as our schema-directed ContextJson does
            case IpAddrValue ip -> rnd.nextBoolean() ? LongValue.of(3) : pickKey(rnd, DECIMALS);
            default -> rnd.nextBoolean() ? BoolValue.of(true) : pickKey(rnd, IPS);
        };
    }
}
