package dev.portcullis.cedar;

import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import java.util.Objects;

/** An authorization request: who ({@code principal}) does what ({@code action}) to what. */
public record Request(EntityUid principal, EntityUid action, EntityUid resource, RecordValue context) {
    public Request {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(context, "context");
    }
}
