package dev.portcullis.cedar.validation.difftest;

import java.util.ArrayList;
import java.util.List;

/**
 * A generated expression as a tree of text pieces, so that a disagreement can be shrunk by
 * replacing a node with one of its children. {@code parts} interleave with {@code kids}: the text
 * is {@code parts[0] kids[0] parts[1] kids[1] ... parts[n]}.
 */
record Node(List<String> parts, List<Node> kids) {
    static Node leaf(String text) {
        return new Node(List.of(text), List.of());
    }

    /** {@code of("(", a, " && ", b, ")")}: strings are text, nodes are children. */
    static Node of(Object... pieces) {
        List<String> parts = new ArrayList<>();
        List<Node> kids = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (Object o : pieces) {
            if (o instanceof Node n) {
                parts.add(cur.toString());
                cur.setLength(0);
                kids.add(n);
            } else {
                cur.append(o);
            }
        }
        parts.add(cur.toString());
        return new Node(parts, kids);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        write(b);
        return b.toString();
    }

    private void write(StringBuilder b) {
        for (int i = 0; i < kids.size(); i++) {
            b.append(parts.get(i));
            kids.get(i).write(b);
        }
        b.append(parts.get(kids.size()));
    }

    /** Every tree obtained by replacing one node (this one included) with one of its children or a literal. */
    List<Node> shrinks() {
        List<Node> out = new ArrayList<>();
        for (Node k : kids) {
            out.add(k);
        }
        if (!kids.isEmpty()) {
            out.add(leaf("true"));
            out.add(leaf("1"));
        }
        for (int i = 0; i < kids.size(); i++) {
            for (Node smaller : kids.get(i).shrinks()) {
                List<Node> copy = new ArrayList<>(kids);
                copy.set(i, smaller);
                out.add(new Node(parts, copy));
            }
        }
        return out;
    }
}
