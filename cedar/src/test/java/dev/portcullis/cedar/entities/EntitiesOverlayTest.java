package dev.portcullis.cedar.entities;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EntitiesOverlayTest {
    private static EntityUid u(String id) {
        return EntityUid.of("T", id);
    }

    private static Entity e(String id, Map<String, Value> attrs, String... parents) {
        Set<EntityUid> ps = new LinkedHashSet<>();
        for (String p : parents) {
            ps.add(u(p));
        }
        return new Entity(u(id), attrs, ps, Map.of());
    }

    @Test
    void overlayReplacesAttributesAndLeavesTheBaseAlone() {
        Entities base =
                Entities.of(List.of(e("alice", Map.of("age", new LongValue(30)), "staff"), e("staff", Map.of())));
        Entities view = base.overlay(List.of(e("alice", Map.of("age", new LongValue(31)), "staff")));

        assertThat(view.get(u("alice")).attrs()).containsEntry("age", new LongValue(31));
        assertThat(base.get(u("alice")).attrs()).containsEntry("age", new LongValue(30));
        assertThat(view.get(u("staff"))).isSameAs(base.get(u("staff")));
        assertThat(view.ancestors(u("alice"))).containsExactly(u("staff"));
        assertThat(view.size()).isEqualTo(2);
    }

    @Test
    void newParentOfAnOverlayEntityIsSeenByItsStoreDescendants() {
        // doc in folder; the request says the folder is (also) in `shared`, which is in `root`
        Entities base = Entities.of(
                List.of(e("doc", Map.of(), "folder"), e("folder", Map.of()), e("shared", Map.of(), "root")));
        Entities view = base.overlay(List.of(e("folder", Map.of("name", new StringValue("f")), "shared")));

        assertThat(view.ancestors(u("folder"))).containsExactlyInAnyOrder(u("shared"), u("root"));
        assertThat(view.ancestors(u("doc"))).containsExactlyInAnyOrder(u("folder"), u("shared"), u("root"));
        assertThat(view.isDescendantOrSelf(u("doc"), u("root"))).isTrue();
        assertThat(base.isDescendantOrSelf(u("doc"), u("root"))).isFalse();
    }

    @Test
    void danglingParentSuppliedByTheOverlayExtendsItsChildren() {
        Entities base = Entities.of(List.of(e("doc", Map.of(), "ghost")));
        Entities view = base.overlay(List.of(e("ghost", Map.of(), "realm")));
        assertThat(view.ancestors(u("doc"))).containsExactlyInAnyOrder(u("ghost"), u("realm"));
    }

    /** Overlay must agree with the full rebuild {@code with} on every entity, for random hierarchies. */
    @Test
    void overlayAgreesWithFullRebuild() {
        Random rnd = new Random(42);
        for (int round = 0; round < 300; round++) {
            int n = 3 + rnd.nextInt(12);
            List<Entity> list = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                list.add(randomEntity(rnd, "e" + i, n + 2));
            }
            Entities base = Entities.of(list);
            List<Entity> over = new ArrayList<>();
            Set<String> used = new HashSet<>();
            int k = 1 + rnd.nextInt(3);
            for (int j = 0; j < k; j++) {
                String id = "e" + rnd.nextInt(n + 2);
                if (!used.add(id)) {
                    continue;
                }
                Entity fresh = randomEntity(rnd, id, n + 2);
                Entity old = base.get(u(id));
                if (old != null && rnd.nextBoolean()) {
                    // keep the stored parents (the request-facts case): exercises the no-copy path
                    Set<EntityUid> ps = new LinkedHashSet<>(old.parents());
                    ps.addAll(fresh.parents());
                    fresh = new Entity(fresh.uid(), fresh.attrs(), ps, Map.of());
                }
                over.add(fresh);
            }
            Entities view = base.overlay(over);
            Entities rebuilt = base.with(over);
            for (int i = 0; i < n + 2; i++) {
                EntityUid x = u("e" + i);
                assertThat(view.ancestors(x)).as("round %d, %s", round, x).isEqualTo(rebuilt.ancestors(x));
                assertThat(view.get(x)).isEqualTo(rebuilt.get(x));
                assertThat(view.contains(x)).isEqualTo(rebuilt.contains(x));
            }
            assertThat(view.size()).isEqualTo(rebuilt.size());
        }
    }

    private static Entity randomEntity(Random rnd, String id, int universe) {
        Set<EntityUid> parents = new LinkedHashSet<>();
        int np = rnd.nextInt(3);
        for (int p = 0; p < np; p++) {
            parents.add(u("e" + rnd.nextInt(universe)));
        }
        return new Entity(u(id), Map.of("v", new LongValue(rnd.nextInt(5))), parents, Map.of());
    }
}
