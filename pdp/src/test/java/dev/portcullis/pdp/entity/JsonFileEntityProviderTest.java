package dev.portcullis.pdp.entity;

import static dev.portcullis.pdp.TestFiles.await;
import static dev.portcullis.pdp.TestFiles.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.pdp.policy.PolicyBundle;
import dev.portcullis.pdp.policy.PolicyStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFileEntityProviderTest {
    static final String SCHEMA = """
            entity Group;
            entity User in [Group] { level: Long };
            action view appliesTo { principal: User, resource: User };
            """;
    static final EntityUid ALICE = EntityUid.of("User", "alice");

    @TempDir
    Path dir;

    static String user(String id, String level) {
        return "[{\"uid\": {\"type\": \"User\", \"id\": \"" + id + "\"}, \"attrs\": {\"level\": " + level
                + "}, \"parents\": [{\"type\": \"Group\", \"id\": \"g\"}]}]";
    }

    @Test
    void filesOfADirectoryAreMergedSchemaDirected() throws Exception {
        writeAtomically(dir.resolve("a.json"), user("alice", "1"));
        writeAtomically(dir.resolve("b.json"), user("bob", "2"));
        writeAtomically(dir.resolve("notes.txt"), "ignored");
        Schema schema = Schema.parseCedar(SCHEMA);
        JsonFileEntityProvider p = JsonFileEntityProvider.open(dir, () -> schema);
        Entities e = p.current();
        assertThat(e.get(ALICE).attrs()).containsEntry("level", new LongValue(1));
        assertThat(e.contains(EntityUid.of("User", "bob"))).isTrue();
        assertThat(e.ancestors(ALICE)).containsExactly(EntityUid.of("Group", "g"));
        // the schema's action entities come along, once
        assertThat(e.contains(EntityUid.of("Action", "view"))).isTrue();
    }

    @Test
    void invalidDataIsRefusedAndTheLastGoodKeepsServing() throws Exception {
        Path file = dir.resolve("users.json");
        writeAtomically(file, user("alice", "1"));
        Schema schema = Schema.parseCedar(SCHEMA);
        JsonFileEntityProvider p = JsonFileEntityProvider.open(file, () -> schema);
        Entities good = p.current();

        writeAtomically(file, user("alice", "\"high\"")); // not a Long
        assertThat(p.reload()).isFalse();
        assertThat(p.current()).isSameAs(good);
        assertThat(p.refusals()).isEqualTo(1);
        assertThat(p.lastRefusal().getMessage()).contains("users.json").contains("level");

        writeAtomically(file, user("alice", "7"));
        assertThat(p.reload()).isTrue();
        assertThat(p.current().get(ALICE).attrs()).containsEntry("level", new LongValue(7));
        assertThat(p.lastRefusal()).isNull();
    }

    @Test
    void theSameEntityInTwoFilesIsRefused() throws Exception {
        writeAtomically(dir.resolve("a.json"), user("alice", "1"));
        writeAtomically(dir.resolve("b.json"), user("alice", "2"));
        assertThatThrownBy(() -> JsonFileEntityProvider.open(dir, () -> null))
                .isInstanceOf(EntityLoadException.class)
                .hasMessageContaining("duplicate entity")
                .hasMessageContaining("a.json");
    }

    @Test
    void watchReloadsAChangedFile() throws Exception {
        Path file = dir.resolve("users.json");
        writeAtomically(file, user("alice", "1"));
        try (JsonFileEntityProvider p =
                JsonFileEntityProvider.open(dir, () -> null).watch(Duration.ofMillis(30), Duration.ofSeconds(30))) {
            writeAtomically(file, user("alice", "2"));
            await(
                    Duration.ofSeconds(10),
                    "the reload",
                    () -> p.current().get(ALICE).attrs().equals(Map.of("level", new LongValue(2))));
            writeAtomically(file, "[{");
            await(Duration.ofSeconds(10), "the refusal", () -> p.refusals() >= 1);
            assertThat(p.current().get(ALICE).attrs()).containsEntry("level", new LongValue(2));
        }
    }

    @Test
    void followingAStoreReadsWithItsSchemaAndRereadsWhenTheSchemaChanges() throws Exception {
        writeAtomically(dir.resolve("users.json"), user("alice", "1"));
        PolicyStore store = new PolicyStore();
        store.update(PolicyBundle.of(Map.of("s.cedarschema", SCHEMA, "p.cedar", "")));
        JsonFileEntityProvider p = JsonFileEntityProvider.following(dir, store);
        assertThat(p.current().contains(EntityUid.of("Action", "view"))).isTrue();

        // a schema under which the data no longer conforms: the data is refused, the old kept
        store.update(PolicyBundle.of(
                Map.of("s.cedarschema", SCHEMA.replace("level: Long", "level: String"), "p.cedar", "")));
        assertThat(p.refusals()).isEqualTo(1);
        assertThat(p.current().get(ALICE).attrs()).containsEntry("level", new LongValue(1));
    }
}
