package dev.portcullis.pdp.entity;

import dev.portcullis.cedar.entities.Entities;

/**
 * Where decisions get entity data (the policy information point). {@link #current()} is called once
 * per decision (once per batch), so it must be cheap: return an immutable snapshot, never build
 * one. It may throw when the data is unavailable; the decision then fails closed (deny).
 */
@FunctionalInterface
public interface EntityProvider {
    Entities current();
}
