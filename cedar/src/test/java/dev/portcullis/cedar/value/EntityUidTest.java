package dev.portcullis.cedar.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Uids are hash keys everywhere: canonical types and kept hashes must not change equality. */
class EntityUidTest {
    @Test
    void canonical_returnsOneInstancePerNameUntilFull() {
        EntityType.Canonical table = new EntityType.Canonical(2);
        EntityType user = table.of("NS::User");
        assertThat(table.of(new String("NS::User"))).isSameAs(user);
        table.of("Group");
        // full: new names get new, still equal, instances; known names stay canonical
        EntityType doc = table.of("Doc");
        assertThat(table.of("Doc")).isNotSameAs(doc).isEqualTo(doc);
        assertThat(table.of("NS::User")).isSameAs(user);
    }

    @Test
    void equals_ignoresWhetherTheTypeIsCanonical() {
        EntityUid canonical = EntityUid.of("User", "alice");
        EntityUid constructed = new EntityUid(new EntityType(new String("User")), new String("alice"));
        assertThat(constructed).isEqualTo(canonical);
        assertThat(constructed.hashCode()).isEqualTo(canonical.hashCode());
        assertThat(new EntityType("User")).isEqualTo(EntityType.of("User"));
        assertThat(Set.of(canonical)).contains(constructed);
    }

    @Test
    void equals_tellsTypeAndIdApart() {
        EntityUid alice = EntityUid.of("User", "alice");
        assertThat(alice).isNotEqualTo(EntityUid.of("Group", "alice"));
        assertThat(alice).isNotEqualTo(EntityUid.of("User", "bob"));
        assertThat(alice).isNotEqualTo(new StringValue("alice"));
        // equal hashes, different uids: "Aa" and "BB" hash alike
        assertThat(EntityUid.of("T", "Aa").hashCode())
                .isEqualTo(EntityUid.of("T", "BB").hashCode());
        assertThat(EntityUid.of("T", "Aa")).isNotEqualTo(EntityUid.of("T", "BB"));
        Set<EntityUid> set = new HashSet<>(Set.of(EntityUid.of("T", "Aa")));
        assertThat(set).doesNotContain(EntityUid.of("T", "BB"));
    }

    @Test
    void toString_quotesTheIdAsACedarLiteral_plainOrNot() {
        assertThat(EntityUid.of("NS::User", "alice").toString()).isEqualTo("NS::User::\"alice\"");
        assertThat(EntityUid.of("T", "").toString()).isEqualTo("T::\"\"");
        assertThat(EntityUid.of("T", "é😀 x").toString()).isEqualTo("T::\"é😀 x\"");
        assertThat(EntityUid.of("T", "a\"b\\c\nd\te\u0000f\u0001g\u007f").toString())
                .isEqualTo("T::\"a\\\"b\\\\c\\nd\\te\\0f\\u{1}g\\u{7f}\"");
        EntityUid uid = EntityUid.of("T", "x");
        assertThat(uid.toString()).isSameAs(uid.toString());
    }
}
