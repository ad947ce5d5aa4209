package dev.portcullis.cedar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The authorizer's reasons set: ordered, immutable, and a {@link Set} like any other. */
class PolicyIdsTest {
    @Test
    void keepsOrderAndEqualsOtherSets() {
        PolicyIds ids = new PolicyIds(new String[] {"p9", "p1", "p5", null}, 3);
        assertThat(ids).containsExactly("p9", "p1", "p5");
        assertThat(ids).isEqualTo(Set.of("p1", "p5", "p9"));
        assertThat(ids.hashCode()).isEqualTo(Set.of("p1", "p5", "p9").hashCode());
        assertThat(ids.contains("p5")).isTrue();
        assertThat(ids.contains(null)).isFalse();
        assertThat(ids.contains("p2")).isFalse();
    }

    @Test
    void toArray_andCopies_holdTheIdsUpToSize_inOrder() {
        PolicyIds ids = new PolicyIds(new String[] {"p9", "p1", "p5", "unused"}, 3);
        assertThat(ids.toArray()).containsExactly("p9", "p1", "p5").hasSize(3);
        assertThat(ids.toArray(new String[0])).containsExactly("p9", "p1", "p5");
        assertThat(List.copyOf(ids)).containsExactly("p9", "p1", "p5");
        assertThat(List.copyOf(new PolicyIds(new String[0], 0))).isEmpty();
        Object[] copy = ids.toArray();
        copy[0] = "changed";
        assertThat(ids).containsExactly("p9", "p1", "p5");
    }

    @Test
    void containsInALargeSet() {
        String[] all = IntStream.range(0, 100).mapToObj(i -> "p" + i).toArray(String[]::new);
        PolicyIds ids = new PolicyIds(all, 50);
        assertThat(ids.contains("p49")).isTrue();
        assertThat(ids.contains("p50")).as("past size").isFalse();
        assertThat(ids.contains(7)).isFalse();
        assertThat(ids).isEqualTo(new LinkedHashSet<>(List.of(all).subList(0, 50)));
    }

    @Test
    void isImmutable() {
        PolicyIds ids = new PolicyIds(new String[] {"a", "b"}, 2);
        assertThatThrownBy(() -> ids.add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ids.remove("a")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(ids::clear).isInstanceOf(UnsupportedOperationException.class);
        assertThat(ids).containsExactly("a", "b");
    }

    @Test
    void responseKeepsTheAuthorizersSetAndCopiesOthers() {
        PolicyIds ids = new PolicyIds(new String[] {"a", "b"}, 2);
        assertThat(new Response(Decision.ALLOW, ids, List.of()).reasons()).isSameAs(ids);
        Set<String> mutable = new LinkedHashSet<>(List.of("b", "a"));
        Set<String> kept = new Response(Decision.ALLOW, mutable, List.of()).reasons();
        mutable.add("c");
        assertThat(kept).containsExactly("b", "a");
    }

    @Test
    void aResponseOfReasonsKeepsTheirOrder_andEachIdOnce() {
        Response r = Response.ofReasons(Decision.ALLOW, List.of("user:b", "agent:a", "boundary:s"), List.of());
        assertThat(r.reasons())
                .containsExactly("user:b", "agent:a", "boundary:s")
                .isInstanceOf(PolicyIds.class);
        Response repeated = Response.ofReasons(Decision.DENY, List.of("x", "y", "x"), List.of());
        assertThat(repeated.reasons()).containsExactly("x", "y");
        List<String> many = IntStream.range(0, 20).mapToObj(i -> "p" + i).toList();
        assertThat(Response.ofReasons(Decision.DENY, many, List.of()).reasons()).containsExactlyElementsOf(many);
        assertThat(Response.ofReasons(Decision.DENY, List.of(), List.of()).reasons())
                .isEmpty();
    }
}
