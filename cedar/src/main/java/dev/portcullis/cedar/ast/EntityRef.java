package dev.portcullis.cedar.ast;

import dev.portcullis.cedar.value.EntityUid;

/** The right-hand side of a principal or resource scope: an entity, or a template slot. */
public record EntityRef(EntityUid uid, SlotId slot) {
    public EntityRef {
        if ((uid == null) == (slot == null)) {
            throw new IllegalArgumentException("exactly one of uid and slot must be set");
        }
    }

    public static EntityRef of(EntityUid uid) {
        return new EntityRef(uid, null);
    }

    public static EntityRef of(SlotId slot) {
        return new EntityRef(null, slot);
    }

    public boolean isSlot() {
        return slot != null;
    }
}
