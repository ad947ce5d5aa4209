package dev.portcullis.pdp.approval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.DecimalValue;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.SetValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApprovalBindingTest {
    static final EntityUid ALICE = EntityUid.of("User", "alice");
    static final EntityUid DELETE = EntityUid.of("Action", "delete");
    static final EntityUid DOC = EntityUid.of("Doc", "q4 \"plan\"");

    static Request request(Map<String, Value> context) {
        return new Request(ALICE, DELETE, DOC, new RecordValue(context));
    }

    static ApprovalBinding bind(Map<String, Value> context, List<Entity> facts, List<String> excluded) {
        return ApprovalBinding.of(request(context), facts, excluded);
    }

    @Test
    void of_writesTheCanonicalDocument() {
        Map<String, Value> ctx = new LinkedHashMap<>();
        ctx.put("zeta", new LongValue(-9007199254740993L)); // beyond a double's exact integers
        ctx.put("amount", DecimalValue.parse("12.5"));
        ctx.put("reason", new StringValue("line\nbreak\t\u0001 é"));
        ctx.put("tags", SetValue.of(List.of(new StringValue("b"), new StringValue("a"))));
        ctx.put("who", EntityUid.of("User", "bob"));

        ApprovalBinding b = bind(ctx, List.of(), List.of());

        assertThat(b.json())
                .isEqualTo("{\"action\":{\"id\":\"delete\",\"type\":\"Action\"},"
                        + "\"context\":{\"amount\":{\"__extn\":{\"arg\":\"12.5\",\"fn\":\"decimal\"}},"
                        + "\"reason\":\"line\\nbreak\\t\\u0001 é\",\"tags\":[\"a\",\"b\"],"
                        + "\"who\":{\"__entity\":{\"id\":\"bob\",\"type\":\"User\"}},\"zeta\":-9007199254740993},"
                        + "\"principal\":{\"id\":\"alice\",\"type\":\"User\"},"
                        + "\"resource\":{\"id\":\"q4 \\\"plan\\\"\",\"type\":\"Doc\"}}");
        assertThat(b.principal()).isEqualTo("User::\"alice\"");
        assertThat(b.resource()).isEqualTo(DOC.toString());
    }

    @Test
    void hash_isBase64UrlSha256OfTheDocument() {
        // echo -n '{"a":1}' | sha256sum -> 015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862
        assertThat(ApprovalBinding.hash("{\"a\":1}")).isEqualTo("AVq9f1zFei3ZS3WQ8ErYCEJzkF7jPsXOvq5iJ2qX-GI");
        ApprovalBinding b = bind(Map.of(), List.of(), List.of());
        assertThat(b.hash()).isEqualTo(ApprovalBinding.hash(b.json())).hasSize(43);
    }

    @Test
    void of_doesNotDependOnTheOrderOfSetsAttributesOrFacts() {
        Set<Value> ab = new LinkedHashSet<>(List.of(new LongValue(1), new StringValue("x")));
        Set<Value> ba = new LinkedHashSet<>(List.of(new StringValue("x"), new LongValue(1)));
        Entity f1 = new Entity(ALICE, Map.of("dept", new StringValue("ops")), Set.of(), Map.of());
        Entity f2 = new Entity(
                DOC,
                new LinkedHashMap<>(Map.of("a", new BoolValue(true))),
                new LinkedHashSet<>(List.of(EntityUid.of("Folder", "x"), EntityUid.of("Folder", "a"))),
                Map.of());
        Entity f2Reordered = new Entity(
                DOC,
                Map.of("a", new BoolValue(true)),
                new LinkedHashSet<>(List.of(EntityUid.of("Folder", "a"), EntityUid.of("Folder", "x"))),
                Map.of());

        ApprovalBinding one = bind(Map.of("s", new SetValue(ab)), List.of(f1, f2), List.of());
        ApprovalBinding two = bind(Map.of("s", new SetValue(ba)), List.of(f2Reordered, f1), List.of());

        assertThat(one).isEqualTo(two);
        assertThat(one.json()).contains("\"entities\":[");
    }

    @Test
    void of_bindsEveryPartOfTheRequest() {
        ApprovalBinding base = bind(Map.of("amount", new LongValue(10)), List.of(), List.of());

        assertThat(bind(Map.of("amount", new LongValue(11)), List.of(), List.of())
                        .hash())
                .isNotEqualTo(base.hash());
        assertThat(bind(Map.of(), List.of(), List.of()).hash()).isNotEqualTo(base.hash());
        Entity fact = new Entity(DOC, Map.of("owner", ALICE), Set.of(), Map.of());
        assertThat(bind(Map.of("amount", new LongValue(10)), List.of(fact), List.of())
                        .hash())
                .isNotEqualTo(base.hash());
        Request otherResource = new Request(
                ALICE, DELETE, EntityUid.of("Doc", "other"), new RecordValue(Map.of("amount", new LongValue(10))));
        assertThat(ApprovalBinding.of(otherResource, List.of(), List.of()).hash())
                .isNotEqualTo(base.hash());
    }

    @Test
    void of_leavesOutExcludedPathsAndTheApprovalReference() {
        RecordValue session1 = new RecordValue(Map.of("id", new StringValue("s1"), "action_count", new LongValue(3)));
        RecordValue session2 = new RecordValue(Map.of("id", new StringValue("s1"), "action_count", new LongValue(4)));
        List<String> excluded = List.of("time", "session.action_count", "missing.path", "amount.nested");

        ApprovalBinding first = bind(
                Map.of("session", session1, "time", new LongValue(1), "amount", new LongValue(5)), List.of(), excluded);
        ApprovalBinding retry = bind(
                Map.of(
                        "session",
                        session2,
                        "time",
                        new LongValue(2),
                        "amount",
                        new LongValue(5),
                        "approval",
                        new RecordValue(Map.of("id", new StringValue("apr_1")))),
                List.of(),
                excluded);

        assertThat(retry).isEqualTo(first);
        assertThat(first.json()).contains("\"session\":{\"id\":\"s1\"}").doesNotContain("time");
        // the session id itself is bound
        RecordValue otherSession = new RecordValue(Map.of("id", new StringValue("s2")));
        assertThat(bind(Map.of("session", otherSession, "amount", new LongValue(5)), List.of(), excluded)
                        .hash())
                .isNotEqualTo(first.hash());
    }
}
