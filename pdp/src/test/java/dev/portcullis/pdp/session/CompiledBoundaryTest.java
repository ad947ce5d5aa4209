package dev.portcullis.pdp.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.Response;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.json.EntityJson;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompiledBoundaryTest {
    static final Entities ENTITIES = EntityJson.parse("""
            [
              {"uid": {"type": "Action", "id": "read"}, "attrs": {}, "parents": [{"type": "Action", "id": "readers"}]},
              {"uid": {"type": "Action", "id": "readers"}, "attrs": {}, "parents": []},
              {"uid": {"type": "Folder", "id": "reports"}, "attrs": {}, "parents": []},
              {"uid": {"type": "Doc", "id": "q1"}, "attrs": {"dataset": "finance"}, "parents": [{"type": "Folder", "id": "reports"}]},
              {"uid": {"type": "Doc", "id": "hr1"}, "attrs": {"dataset": "hr"}, "parents": []},
              {"uid": {"type": "Doc", "id": "plain"}, "attrs": {}, "parents": []}
            ]
            """, null);

    static final EntityUid AGENT = EntityUid.of("Agent", "bot");

    static CompiledBoundary compile(Boundary b) {
        return CompiledBoundary.compile("s1", b, CompiledBoundary.NONE, "dataset");
    }

    static Response check(CompiledBoundary c, String action, EntityUid resource) {
        return c.check(new Request(AGENT, EntityUid.of("Action", action), resource, RecordValue.EMPTY), ENTITIES, true);
    }

    static EntityUid doc(String id) {
        return EntityUid.of("Doc", id);
    }

    @Test
    void unrestricted_compilesToNothing() {
        CompiledBoundary c = compile(Boundary.unrestricted());
        assertThat(c.restricts()).isFalse();
        assertThat(c.text()).isEmpty();
    }

    @Test
    void actions_allowListedActionsAndActionsInListedGroups() {
        CompiledBoundary c = compile(Boundary.ofActions(List.of("readers", "Action::\"write\"")));
        assertThat(check(c, "read", doc("plain")).isAllowed()).isTrue(); // read is in readers
        assertThat(check(c, "write", doc("plain")).isAllowed()).isTrue();
        Response out = check(c, "delete", doc("plain"));
        assertThat(out.isAllowed()).isFalse();
        assertThat(out.reasons()).containsExactly("s1/actions");
    }

    @Test
    void resources_exactUidCoversItsDescendants() {
        CompiledBoundary c = compile(Boundary.unrestricted().withResources(List.of("Folder::\"reports\"")));
        assertThat(check(c, "read", doc("q1")).isAllowed()).isTrue();
        assertThat(check(c, "read", EntityUid.of("Folder", "reports")).isAllowed())
                .isTrue();
        assertThat(check(c, "read", doc("hr1")).reasons()).containsExactly("s1/resources");
    }

    @Test
    void resources_typeAndWildcardPatterns() {
        CompiledBoundary c = compile(
                Boundary.unrestricted().withResources(List.of("Tool::\"github.*\"", "Mailbox::*", "Ns::Thing")));
        assertThat(check(c, "call", EntityUid.of("Tool", "github.create_issue")).isAllowed())
                .isTrue();
        assertThat(check(c, "call", EntityUid.of("Tool", "gitlab.create_issue")).isAllowed())
                .isFalse();
        assertThat(check(c, "call", EntityUid.of("Other", "github.x")).isAllowed())
                .isFalse();
        assertThat(check(c, "send", EntityUid.of("Mailbox", "anything")).isAllowed())
                .isTrue();
        assertThat(check(c, "use", EntityUid.of("Ns::Thing", "t")).isAllowed()).isTrue();
    }

    @Test
    void resources_starMatchesEverything_emptyListNothing() {
        assertThat(check(compile(Boundary.unrestricted().withResources(List.of("*"))), "read", doc("plain"))
                        .isAllowed())
                .isTrue();
        Response none = check(compile(Boundary.unrestricted().withResources(List.of())), "read", doc("plain"));
        assertThat(none.isAllowed()).isFalse();
        assertThat(none.reasons()).containsExactly("s1/resources");
    }

    @Test
    void wildcardIdsAreEscapedLikePatterns() {
        // a quote and a backslash in the id must not break out of the pattern literal
        CompiledBoundary c = compile(Boundary.unrestricted().withResources(List.of("Tool::\"a\\\"b\\\\*\"")));
        assertThat(check(c, "call", EntityUid.of("Tool", "a\"b\\zzz")).isAllowed())
                .isTrue();
        assertThat(check(c, "call", EntityUid.of("Tool", "a\"c")).isAllowed()).isFalse();
    }

    @Test
    void datasets_restrictResourcesThatCarryADataset() {
        CompiledBoundary c = compile(Boundary.unrestricted().withDatasets(List.of("finance")));
        assertThat(check(c, "read", doc("q1")).isAllowed()).isTrue();
        assertThat(check(c, "read", doc("hr1")).reasons()).containsExactly("s1/datasets");
        assertThat(check(c, "read", doc("plain")).isAllowed()).isTrue();
        // an entity the store does not know carries no dataset either
        assertThat(check(c, "read", doc("unknown")).isAllowed()).isTrue();
    }

    @Test
    void denyNamesEveryDimensionThatExcludes() {
        CompiledBoundary c = compile(new Boundary(List.of("read"), List.of("Folder::\"reports\""), List.of("finance")));
        Response out = check(c, "delete", doc("hr1"));
        assertThat(out.reasons()).containsExactlyInAnyOrder("s1/actions", "s1/resources", "s1/datasets");
        assertThat(c.text())
                .contains("@id(\"s1/actions\")")
                .contains("forbid (principal, action, resource) unless { (action in Action::\"read\") };")
                .contains("@id(\"s1\")\npermit (principal, action, resource);");
    }

    @Test
    void child_isCheckedAgainstEveryAncestor() {
        CompiledBoundary parent = compile(Boundary.ofActions(List.of("read")));
        CompiledBoundary child =
                CompiledBoundary.compile("s2", Boundary.ofActions(List.of("read", "send_email")), parent, "dataset");
        Response out = child.check(
                new Request(AGENT, EntityUid.of("Action", "send_email"), doc("plain"), RecordValue.EMPTY),
                ENTITIES,
                true);
        assertThat(out.isAllowed()).isFalse();
        assertThat(out.reasons()).containsExactly("s1/actions");
        assertThat(child.check(
                                new Request(AGENT, EntityUid.of("Action", "read"), doc("plain"), RecordValue.EMPTY),
                                ENTITIES,
                                true)
                        .reasons())
                .containsExactly("s2");
        // an unrestricted child still carries the parent's restriction
        CompiledBoundary free = CompiledBoundary.compile("s3", Boundary.unrestricted(), parent, "dataset");
        assertThat(free.restricts()).isTrue();
        assertThat(free.text()).contains("s1/actions").contains("@id(\"s3\")");
    }

    @Test
    void badElements_areRefusedWithTheirPath() {
        assertThatThrownBy(() -> compile(Boundary.unrestricted().withResources(List.of("Tool::\"a\"", "Tool:\"gh\""))))
                .isInstanceOf(SessionException.class)
                .hasMessageStartingWith("boundary.resources[1]: `Tool:\"gh\"` is not a resource pattern")
                .extracting(e -> ((SessionException) e).kind())
                .isEqualTo(SessionException.Kind.INVALID_REQUEST);
        // no way to smuggle Cedar in
        assertThatThrownBy(() -> compile(Boundary.unrestricted().withResources(List.of("Tool::\"a\" || true"))))
                .hasMessageStartingWith("boundary.resources[0]:");
        assertThatThrownBy(() -> compile(Boundary.unrestricted().withResources(List.of("if"))))
                .hasMessageStartingWith("boundary.resources[0]:");
        assertThatThrownBy(() -> compile(Boundary.ofActions(List.of("read", "User::\"alice\""))))
                .hasMessageStartingWith("boundary.actions[1]: `User::\"alice\"` is not an action");
        assertThatThrownBy(() -> compile(Boundary.ofActions(List.of("Action::read"))))
                .hasMessageStartingWith("boundary.actions[0]: `Action::read` is not an entity uid");
        assertThatThrownBy(() -> compile(Boundary.unrestricted().withDatasets(List.of(""))))
                .hasMessageStartingWith("boundary.datasets[0]: a dataset name is empty");
    }

    @Test
    void anAnswerIsRememberedForOneEntityStore_anotherStoreOrRequestFactsAreAskedAgain() {
        CompiledBoundary c = compile(new Boundary(null, null, List.of("finance")));
        Request read = new Request(AGENT, EntityUid.of("Action", "read"), doc("q1"), RecordValue.EMPTY);
        assertThat(c.check(read, ENTITIES, true).isAllowed()).isTrue();
        assertThat(c.check(read, ENTITIES, true)).isSameAs(c.check(read, ENTITIES, true));

        // a reload: q1 moved to the hr dataset
        Entities reloaded = EntityJson.parse("""
                [{"uid": {"type": "Doc", "id": "q1"}, "attrs": {"dataset": "hr"}, "parents": []}]
                """, null);
        Response after = c.check(read, reloaded, true);
        assertThat(after.isAllowed()).isFalse();
        assertThat(after.reasons()).containsExactly("s1/datasets");

        // request facts: evaluated on their own view, neither using nor replacing what is remembered
        assertThat(c.check(read, reloaded, false).isAllowed()).isFalse();
        assertThat(c.check(read, ENTITIES, false).isAllowed()).isTrue();
        assertThat(c.check(read, reloaded, true)).isSameAs(after);
    }
}
