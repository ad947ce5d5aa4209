package dev.portcullis.pdp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyStoreTest {
    static final String SCHEMA = """
            entity User;
            entity Doc { public: Bool };
            action view appliesTo { principal: User, resource: Doc };
            """;

    static PolicyBundle bundle(String... nameThenText) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < nameThenText.length; i += 2) {
            files.put(nameThenText[i], nameThenText[i + 1]);
        }
        return PolicyBundle.of(files);
    }

    static boolean allows(PolicySnapshot s, String user, String doc) {
        Request r = new Request(
                EntityUid.of("User", user),
                EntityUid.of("Action", "view"),
                EntityUid.of("Doc", doc),
                RecordValue.EMPTY);
        return s.authorizer().isAuthorized(r, Entities.EMPTY).isAllowed();
    }

    @Test
    void validUpdateSwapsAndTheSameBundleIsANoOp() {
        PolicyStore store = new PolicyStore();
        List<String> activated = new ArrayList<>();
        store.addListener(new PolicyStore.Listener() {
            @Override
            public void activated(PolicySnapshot previous, PolicySnapshot current) {
                activated.add(current.version());
            }
        });
        PolicySnapshot a = store.update(bundle("p.cedar", "permit(principal == User::\"a\", action, resource);"));
        PolicySnapshot b = store.update(bundle("p.cedar", "permit(principal == User::\"b\", action, resource);"));

        assertThat(store.current()).isSameAs(b);
        assertThat(a.version()).isNotEqualTo(b.version()).hasSize(64);
        assertThat(allows(b, "b", "x")).isTrue();
        assertThat(allows(b, "a", "x")).isFalse();
        assertThat(store.update(bundle("p.cedar", "permit(principal == User::\"b\", action, resource);")))
                .isSameAs(b);
        assertThat(store.activations()).isEqualTo(2);
        assertThat(activated).containsExactly(a.version(), b.version());
    }

    @Test
    void versionIsAContentHashIndependentOfOrder() {
        Map<String, String> one = new LinkedHashMap<>();
        one.put("a.cedar", "permit(principal, action, resource);");
        one.put("b.cedar", "forbid(principal, action, resource);");
        Map<String, String> two = new LinkedHashMap<>();
        two.put("b.cedar", "forbid(principal, action, resource);");
        two.put("a.cedar", "permit(principal, action, resource);");
        assertThat(PolicyBundle.of(one).version())
                .isEqualTo(PolicyBundle.of(two).version());
        // moving text between files is a different bundle
        Map<String, String> three =
                Map.of("a.cedar", "permit(principal, action, resource);forbid(principal, action, resource);");
        assertThat(PolicyBundle.of(three).version())
                .isNotEqualTo(PolicyBundle.of(one).version());
    }

    @Test
    void parseErrorIsRefusedWithFileLineAndColumnAndTheOldVersionKeepsServing() {
        PolicyStore store = new PolicyStore();
        List<PolicyLoadException> refused = new ArrayList<>();
        store.addListener(new PolicyStore.Listener() {
            @Override
            public void refused(PolicyBundle bundle, PolicyLoadException problem) {
                refused.add(problem);
            }
        });
        PolicySnapshot good = store.update(bundle("p.cedar", "permit(principal, action, resource);"));

        PolicyBundle bad = bundle(
                "ok.cedar",
                "permit(principal, action, resource);",
                "bad.cedar",
                "permit(principal,\n  action resource);");
        assertThatThrownBy(() -> store.update(bad)).isInstanceOfSatisfying(PolicyLoadException.class, e -> {
            PolicyProblem p = e.problems().get(0);
            assertThat(p.file()).isEqualTo("bad.cedar");
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.column()).isPositive();
            assertThat(e.getMessage()).startsWith("bad.cedar:2:");
        });
        assertThat(store.current()).isSameAs(good);
        assertThat(store.refusals()).isEqualTo(1);
        assertThat(store.lastRefusal()).isNotNull();
        assertThat(refused).hasSize(1);

        // the same bad bytes again: refused, not recounted
        assertThatThrownBy(() -> store.update(bad)).isInstanceOf(PolicyLoadException.class);
        assertThat(store.refusals()).isEqualTo(1);
    }

    @Test
    void validationErrorIsRefusedBeforeActivation() {
        PolicyStore store = new PolicyStore();
        PolicySnapshot good = store.update(bundle(
                "s.cedarschema", SCHEMA, "p.cedar", "permit(principal, action, resource) when { resource.public };"));
        assertThat(good.schema()).isPresent();

        PolicyBundle typo = bundle(
                "s.cedarschema", SCHEMA, "p.cedar", "permit(principal, action, resource)\n  when { resource.pubic };");
        assertThatThrownBy(() -> store.update(typo)).isInstanceOfSatisfying(PolicyLoadException.class, e -> {
            PolicyProblem p = e.problems().get(0);
            assertThat(p.file()).isEqualTo("p.cedar");
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.message()).contains("pubic");
        });
        assertThat(store.current()).isSameAs(good);

        // an undeclared entity type is an error too
        PolicyBundle unknownType =
                bundle("s.cedarschema", SCHEMA, "p.cedar", "permit(principal == Robot::\"r\", action, resource);");
        assertThatThrownBy(() -> store.update(unknownType)).isInstanceOf(PolicyLoadException.class);
        assertThat(store.current()).isSameAs(good);
        assertThat(store.refusals()).isEqualTo(2);
    }

    @Test
    void schemaErrorsAndSecondSchemasAreRefused() {
        PolicyStore store = new PolicyStore();
        assertThatThrownBy(() -> store.update(bundle("s.cedarschema", "entity User in [", "p.cedar", "")))
                .isInstanceOfSatisfying(
                        PolicyLoadException.class,
                        e -> assertThat(e.problems().get(0).file()).isEqualTo("s.cedarschema"));
        assertThatThrownBy(
                        () -> store.update(bundle("a.cedarschema", SCHEMA, "b.cedarschema.json", "{}", "p.cedar", "")))
                .isInstanceOf(PolicyLoadException.class)
                .hasMessageContaining("at most one schema");
        assertThat(store.current()).isNull();
    }

    @Test
    void idsComeFromAnnotationsElseFileAndPosition() {
        PolicySnapshot s =
                new PolicyStore().update(bundle("a.cedar", """
                        permit(principal, action, resource);
                        @id("named") permit(principal, action, resource);
                        forbid(principal, action, resource);
                        """, "b.cedar", "permit(principal, action, resource);"));
        assertThat(s.policySet().policies())
                .extracting(p -> p.id())
                .containsExactlyInAnyOrder("a.cedar:0", "named", "a.cedar:2", "b.cedar:0");
        assertThat(s.fileOf("named")).isEqualTo("a.cedar");
        assertThat(s.fileOf("b.cedar:0")).isEqualTo("b.cedar");
    }

    @Test
    void duplicateAnnotatedIdsAcrossFilesAreRefused() {
        assertThatThrownBy(() -> new PolicyStore()
                        .update(bundle(
                                "a.cedar", "@id(\"x\") permit(principal, action, resource);",
                                "b.cedar", "@id(\"x\") forbid(principal, action, resource);")))
                .isInstanceOf(PolicyLoadException.class)
                .hasMessageContaining("duplicate policy id `x`");
    }

    @Test
    void templateLinksAreAppliedAndBadLinksRefused() {
        String template = "@id(\"viewer\") permit(principal == ?principal, action, resource);";
        PolicySnapshot s = new PolicyStore().update(bundle("t.cedar", template, "team.links.json", """
                        [{"template_id": "viewer", "link_id": "alice-views", "args": {"?principal": "User::\\"alice\\""}}]
                        """));
        assertThat(allows(s, "alice", "d")).isTrue();
        assertThat(allows(s, "bob", "d")).isFalse();
        assertThat(s.fileOf("alice-views")).isEqualTo("team.links.json");

        PolicyStore store = new PolicyStore();
        assertThatThrownBy(() -> store.update(bundle(
                        "t.cedar",
                        template,
                        "team.links.json",
                        "[{\"template_id\": \"nope\", \"link_id\": \"l\", \"args\": {}}]")))
                .isInstanceOfSatisfying(PolicyLoadException.class, e -> {
                    assertThat(e.problems().get(0).file()).isEqualTo("team.links.json");
                    assertThat(e.getMessage()).contains("`nope`");
                });
    }

    @Test
    void otherFilesAreNotPartOfTheBundle() {
        PolicyBundle b =
                bundle("p.cedar", "permit(principal, action, resource);", "README.md", "hi", ".p.cedar.swp", "x");
        assertThat(b.files()).containsOnlyKeys("p.cedar");
    }
}
