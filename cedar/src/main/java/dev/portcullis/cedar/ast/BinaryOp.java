package dev.portcullis.cedar.ast;

/** Binary operators and the built-in two-argument methods. */
public enum BinaryOp {
    EQ("=="),
    NEQ("!="),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">="),
    ADD("+"),
    SUB("-"),
    MUL("*"),
    IN("in"),
    /** {@code left.contains(right)} */
    CONTAINS("contains"),
    /** {@code left.containsAll(right)} */
    CONTAINS_ALL("containsAll"),
    /** {@code left.containsAny(right)} */
    CONTAINS_ANY("containsAny"),
    /** {@code left.getTag(right)} */
    GET_TAG("getTag"),
    /** {@code left.hasTag(right)} */
    HAS_TAG("hasTag");

    private final String text;

    BinaryOp(String text) {
        this.text = text;
    }

    /** The operator symbol, or the method name for method-style operators. */
    public String text() {
        return text;
    }

    /** True for operators written as a method call, {@code left.op(right)}. */
    public boolean isMethod() {
        return Character.isLetter(text.charAt(0)) && this != IN;
    }
}
