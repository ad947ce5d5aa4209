package dev.portcullis.pdp.entity;

/** Entity data that cannot be loaded; the message names the file and the JSON path. */
public final class EntityLoadException extends RuntimeException {
    public EntityLoadException(String message) {
        super(message.replace('\n', ' '), null, false, false);
    }
}
