package dev.portcullis.cedar.ast;

public enum Effect {
    PERMIT,
    FORBID;

    public String text() {
        return this == PERMIT ? "permit" : "forbid";
    }
}
