package dev.portcullis.pdp.entity;

import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.json.EntityJson;
import dev.portcullis.cedar.json.JsonFormatException;
import dev.portcullis.cedar.parser.ParseException;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.schema.SchemaException;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.pdp.policy.DirectoryWatcher;
import dev.portcullis.pdp.policy.PolicySnapshot;
import dev.portcullis.pdp.policy.PolicyStore;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Entities from Cedar entity JSON: one file, or every {@code *.json} file directly inside a
 * directory (merged; the same entity in two files is an error). With a schema the data is read
 * schema-directed and must conform, and the schema's action entities are added. A reload that
 * fails (bad JSON, non-conforming data, a duplicate) is refused and the last good entities keep
 * serving, as for policies.
 */
public final class JsonFileEntityProvider implements EntityProvider, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(JsonFileEntityProvider.class.getName());

    private final Path source;
    private final Supplier<Schema> schema;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private volatile Entities current;
    private volatile EntityLoadException lastRefusal;
    private DirectoryWatcher watcher;

    private JsonFileEntityProvider(Path source, Supplier<Schema> schema) {
        this.source = Objects.requireNonNull(source, "source");
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    /**
     * Loads {@code source} (a file or a directory); {@code schema} supplies the schema to read the
     * data with, or {@code null} for none. Throws {@link EntityLoadException} when the first load
     * fails: a PDP should not start without its data.
     */
    public static JsonFileEntityProvider open(Path source, Supplier<Schema> schema) {
        JsonFileEntityProvider p = new JsonFileEntityProvider(source, schema);
        p.current = p.read();
        return p;
    }

    /**
     * Loads {@code source} with the schema of the store's live snapshot, and reloads whenever a
     * policy version with a different schema goes live (the data must conform to it). If the
     * data does not conform to the new schema, the old entities keep serving and the refusal is
     * counted.
     */
    public static JsonFileEntityProvider following(Path source, PolicyStore store) {
        JsonFileEntityProvider p = open(source, () -> {
            PolicySnapshot s = store.current();
            return s == null ? null : s.schemaOrNull();
        });
        store.addListener(new PolicyStore.Listener() {
            @Override
            public void activated(PolicySnapshot previous, PolicySnapshot now) {
                if (previous == null || !Objects.equals(previous.schemaOrNull(), now.schemaOrNull())) {
                    p.reload();
                }
            }
        });
        return p;
    }

    @Override
    public Entities current() {
        Entities e = current;
        if (e == null) {
            throw new IllegalStateException("no entity data loaded from " + source);
        }
        return e;
    }

    /** Reads the data again and swaps it in; returns {@code false} (and keeps the old) when refused. */
    public synchronized boolean reload() {
        try {
            current = read();
            lastRefusal = null;
            reloads.incrementAndGet();
            return true;
        } catch (EntityLoadException e) {
            lastRefusal = e;
            refusals.incrementAndGet();
            LOG.log(Level.WARNING, "entity data refused: {0}", e.getMessage());
            return false;
        }
    }

    /** Reloads on change, after {@code debounce} of quiet, and every {@code pollInterval} as a fallback. */
    public synchronized JsonFileEntityProvider watch(Duration debounce, Duration pollInterval) {
        if (watcher == null) {
            Path dir =
                    Files.isDirectory(source) ? source : source.toAbsolutePath().getParent();
            watcher = DirectoryWatcher.start(dir, debounce, pollInterval, this::reloadIfChanged);
        }
        return this;
    }

    // The poll fallback calls this unprompted: skip the parse when no file changed.
    private volatile String lastFingerprint = "";

    private void reloadIfChanged() {
        String f = fingerprint();
        if (!f.equals(lastFingerprint)) {
            if (reload()) {
                lastFingerprint = f;
            }
        }
    }

    private String fingerprint() {
        StringBuilder sb = new StringBuilder();
        try {
            for (Path p : files()) {
                sb.append(p.getFileName())
                        .append('|')
                        .append(Files.size(p))
                        .append('|')
                        .append(Files.getLastModifiedTime(p).toInstant())
                        .append('\n');
            }
        } catch (IOException | EntityLoadException e) {
            return "unreadable:" + System.nanoTime();
        }
        return sb.toString();
    }

    public long reloads() {
        return reloads.get();
    }

    /** How many reloads were refused. */
    public long refusals() {
        return refusals.get();
    }

    /** Why the last reload was refused, if none succeeded since; else {@code null}. */
    public EntityLoadException lastRefusal() {
        return lastRefusal;
    }

    private List<Path> files() {
        if (!Files.isDirectory(source)) {
            return List.of(source);
        }
        try (Stream<Path> list = Files.list(source)) {
            return list.filter(p -> p.getFileName().toString().endsWith(".json")
                            && !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new EntityLoadException(source + ": cannot list directory: " + e.getMessage());
        }
    }

    private Entities read() {
        Schema s = schema.get();
        Map<EntityUid, Entity> all = new LinkedHashMap<>();
        Map<EntityUid, Path> from = new HashMap<>();
        for (Path file : files()) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new EntityLoadException(file + ": cannot read: " + e.getMessage());
            }
            Entities parsed;
            try {
                parsed = EntityJson.parse(text, s);
            } catch (JsonFormatException | SchemaException | ParseException | IllegalArgumentException e) {
                throw new EntityLoadException(file + ": " + e.getMessage());
            }
            for (Entity e : parsed.all()) {
                Path other = from.putIfAbsent(e.uid(), file);
                if (other != null) {
                    // the schema's action entities come with every file
                    if (s != null && s.isActionType(e.uid().type())) {
                        continue;
                    }
                    throw new EntityLoadException(
                            file + ": duplicate entity `" + e.uid() + "` (also in " + other + ")");
                }
                all.put(e.uid(), e);
            }
        }
        return Entities.of(new ArrayList<>(all.values()));
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }
}
