package dev.portcullis.pdp.entity;

import dev.portcullis.cedar.entities.Entities;
import java.util.Objects;

/** Always the same entities: for tests, and for deployments whose entity data is built in code. */
public final class StaticEntityProvider implements EntityProvider {
    private final Entities entities;

    public StaticEntityProvider(Entities entities) {
        this.entities = Objects.requireNonNull(entities, "entities");
    }

    public static StaticEntityProvider empty() {
        return new StaticEntityProvider(Entities.EMPTY);
    }

    @Override
    public Entities current() {
        return entities;
    }
}
