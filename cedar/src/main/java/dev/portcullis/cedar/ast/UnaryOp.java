package dev.portcullis.cedar.ast;

public enum UnaryOp {
    /** {@code !e} */
    NOT,
    /** {@code -e} */
    NEG,
    /** {@code e.isEmpty()} */
    IS_EMPTY
}
