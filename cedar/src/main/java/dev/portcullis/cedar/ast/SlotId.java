package dev.portcullis.cedar.ast;

/** The two template slots. */
public enum SlotId {
    PRINCIPAL("?principal"),
    RESOURCE("?resource");

    private final String text;

    SlotId(String text) {
        this.text = text;
    }

    /** How the slot is written in policy text, e.g. {@code ?principal}. */
    public String text() {
        return text;
    }
}
