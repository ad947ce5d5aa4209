package dev.portcullis.pdp.session;

import dev.portcullis.cedar.entities.Entities;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers that depend only on a key and on the entity data, remembered for one entity store (the
 * object: a reload replaces it, and with it everything remembered). Callers ask only for a store
 * without request facts over it: a request's own facts are its own view.
 */
final class PerStore<K, V> {
    private record Answers<K, V>(Entities entities, ConcurrentHashMap<K, V> byKey) {}

    private final int max;
    private volatile Answers<K, V> answers = new Answers<>(null, new ConcurrentHashMap<>());

    /** Remembers at most {@code max} answers per store. */
    PerStore(int max) {
        this.max = max;
    }

    /** The answer remembered for {@code key} in {@code entities}, or {@code null}. */
    V get(Entities entities, K key) {
        Answers<K, V> a = answers;
        return a.entities() == entities ? a.byKey().get(key) : null;
    }

    /** Remembers {@code value} for {@code key} in {@code entities} (forgetting any other store's). */
    void put(Entities entities, K key, V value) {
        Answers<K, V> a = answers;
        if (a.entities() != entities) {
            a = new Answers<>(entities, new ConcurrentHashMap<>());
            answers = a;
        }
        if (a.byKey().size() < max) {
            a.byKey().put(key, value);
        }
    }
}
