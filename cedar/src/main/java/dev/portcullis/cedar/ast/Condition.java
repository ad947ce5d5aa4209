package dev.portcullis.cedar.ast;

/** A {@code when { ... }} ({@code when == true}) or {@code unless { ... }} clause. */
public record Condition(boolean when, Expr body, Loc loc) {}
