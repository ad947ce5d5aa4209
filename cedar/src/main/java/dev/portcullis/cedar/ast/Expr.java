package dev.portcullis.cedar.ast;

import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.Value;
import java.util.List;
import java.util.Map;

/**
 * A Cedar expression. Syntax sugar is removed by the parser: {@code a has b.c} becomes
 * {@code a has b && a.b has c}, and {@code x is T in y} becomes {@code x is T && x in y}.
 */
public sealed interface Expr {
    Loc loc();

    /** A literal: a boolean, a long, a string or an entity reference. */
    record Lit(Value value, Loc loc) implements Expr {}

    /** {@code principal}, {@code action}, {@code resource} or {@code context}. */
    record Var(VarName name, Loc loc) implements Expr {}

    /** {@code ?principal} or {@code ?resource} in a template. */
    record Slot(SlotId slot, Loc loc) implements Expr {}

    record If(Expr cond, Expr then, Expr otherwise, Loc loc) implements Expr {}

    record And(Expr left, Expr right, Loc loc) implements Expr {
        // structural equality and hashing that follow long chains with a loop; see Chains
        @Override
        public boolean equals(Object o) {
            return Chains.equal(this, o);
        }

        @Override
        public int hashCode() {
            return Chains.hash(this);
        }
    }

    record Or(Expr left, Expr right, Loc loc) implements Expr {
        // structural equality and hashing that follow long chains with a loop; see Chains
        @Override
        public boolean equals(Object o) {
            return Chains.equal(this, o);
        }

        @Override
        public int hashCode() {
            return Chains.hash(this);
        }
    }

    record Unary(UnaryOp op, Expr arg, Loc loc) implements Expr {
        // structural equality and hashing that follow long chains with a loop; see Chains
        @Override
        public boolean equals(Object o) {
            return Chains.equal(this, o);
        }

        @Override
        public int hashCode() {
            return Chains.hash(this);
        }
    }

    record Binary(BinaryOp op, Expr left, Expr right, Loc loc) implements Expr {
        // structural equality and hashing that follow long chains with a loop; see Chains
        @Override
        public boolean equals(Object o) {
            return Chains.equal(this, o);
        }

        @Override
        public int hashCode() {
            return Chains.hash(this);
        }
    }

    /**
     * An extension function ({@code ip("1.2.3.4")}) or extension method ({@code a.lessThan(b)},
     * where {@code a} is {@code args.get(0)} and {@code method} is true).
     */
    record Call(String fn, List<Expr> args, boolean method, Loc loc) implements Expr {
        @Override
        public boolean equals(Object o) {
            return method && !args.isEmpty() ? Chains.equal(this, o) : o instanceof Call c && plainEquals(c);
        }

        private boolean plainEquals(Call c) {
            return method == c.method && fn.equals(c.fn) && args.equals(c.args) && loc.equals(c.loc);
        }

        @Override
        public int hashCode() {
            return method && !args.isEmpty() ? Chains.hash(this) : java.util.Objects.hash(fn, args, method, loc);
        }
    }

    /**
     * {@code expr.attr} or {@code expr["attr"]}. The name is interned, as Jackson interns the field
     * names of the entities and contexts it reads, so that looking it up in their attribute maps
     * usually ends at the identity check of {@link String#equals}.
     */
    record GetAttr(Expr expr, String attr, Loc loc) implements Expr {
        public GetAttr {
            attr = attr.intern();
        }

        // structural equality and hashing that follow long chains with a loop; see Chains
        @Override
        public boolean equals(Object o) {
            return Chains.equal(this, o);
        }

        @Override
        public int hashCode() {
            return Chains.hash(this);
        }
    }

    /** {@code expr has attr} (one attribute; paths are desugared); interned as in {@link GetAttr}. */
    record HasAttr(Expr expr, String attr, Loc loc) implements Expr {
        public HasAttr {
            attr = attr.intern();
        }
    }

    record Like(Expr expr, Pattern pattern, Loc loc) implements Expr {}

    /** {@code expr is Type}. */
    record Is(Expr expr, EntityType type, Loc loc) implements Expr {}

    record SetLit(List<Expr> elements, Loc loc) implements Expr {}

    /** A record literal; the parser rejects duplicate keys. Iteration order is source order. */
    record RecordLit(Map<String, Expr> fields, Loc loc) implements Expr {}
}
