package dev.portcullis.cedar.ast;

public enum VarName {
    PRINCIPAL("principal"),
    ACTION("action"),
    RESOURCE("resource"),
    CONTEXT("context");

    private final String text;

    VarName(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
