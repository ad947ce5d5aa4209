package dev.portcullis.bench;

import dev.portcullis.bench.BenchSchema.ActionDef;
import dev.portcullis.bench.BenchSchema.AttrType;
import dev.portcullis.bench.BenchSchema.BoolType;
import dev.portcullis.bench.BenchSchema.EntityRefType;
import dev.portcullis.bench.BenchSchema.EntityTypeDef;
import dev.portcullis.bench.BenchSchema.LongType;
import dev.portcullis.bench.BenchSchema.RecordType;
import dev.portcullis.bench.BenchSchema.SetType;
import dev.portcullis.bench.BenchSchema.StringType;
import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.SetValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The three applications of the OOPSLA 2024 Cedar paper's performance evaluation (Google-Drive-like
 * sharing, GitHub-like repository permissions, TinyTodo), with a seeded, deterministic generator of
 * requests and their entity slices.
 *
 * <p>The generator follows the paper's set-up as we understand it: every request comes with its
 * own slice of 5 to 50 entities forming random hierarchies that respect the schema's {@code
 * memberOfTypes} (users in groups and teams, documents in folders, folders in folders, ...), with
 * random attribute values of the declared types; the request's action is drawn from the schema's
 * actions, its principal and resource from entities of the types in that action's {@code
 * appliesTo}. Entity uids written literally in the policies (TinyTodo's {@code
 * Application::"TinyTodo"}) are used as the first entity of their type so that such policies can
 * match. Action entities, with their {@code memberOf} hierarchy, are part of every slice.
 *
 * <p>The same generated slices feed both engines; see {@link CedarJavaBridge}.
 */
final class OopslaWorkload {
    static final List<String> NAMES = List.of("gdrive", "github", "tinytodo");
    static final int MIN_SLICE = 5;
    static final int MAX_SLICE = 50;

    /** One authorization question: a request and the entities it is evaluated against. */
    record Sample(Request request, List<Entity> entityList, Entities entities) {}

    private static final Pattern UID_LITERAL = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)::\"([^\"]*)\"");
    private static final List<String> WORDS =
            List.of("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet");

    final String name;
    final String policyText;
    final BenchSchema schema;
    private final Map<String, List<String>> literalIds = new HashMap<>();
    private final List<Entity> actionEntities;

    private OopslaWorkload(String name, String policyText, String schemaJson) {
        this.name = name;
        this.policyText = policyText;
        this.schema = BenchSchema.parse(schemaJson);
        Matcher m = UID_LITERAL.matcher(stripComments(policyText));
        while (m.find()) {
            if (!m.group(1).equals("Action")) {
                List<String> ids = literalIds.computeIfAbsent(m.group(1), k -> new ArrayList<>());
                if (!ids.contains(m.group(2))) {
                    ids.add(m.group(2));
                }
            }
        }
        List<Entity> actions = new ArrayList<>();
        for (ActionDef a : schema.actions().values()) {
            Set<EntityUid> parents = new LinkedHashSet<>();
            a.memberOf().forEach(p -> parents.add(EntityUid.of("Action", p)));
            actions.add(new Entity(EntityUid.of("Action", a.id()), Map.of(), parents, Map.of()));
        }
        this.actionEntities = List.copyOf(actions);
    }

    /** Loads workload {@code name} from {@code <shared>/conformance/cedar-examples/oopsla2024-benchmarks}. */
    static OopslaWorkload load(String name) {
        Path dir = SharedData.oopslaDir().resolve("benches").resolve(name).resolve("cedar");
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> list = files.sorted().toList();
            Path policies = list.stream()
                    .filter(p -> p.toString().endsWith(".cedar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no `.cedar` policy file in `" + dir + "`"));
            Path schema = list.stream()
                    .filter(p -> p.toString().endsWith(".cedarschema.json"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no `.cedarschema.json` file in `" + dir + "`"));
            return new OopslaWorkload(name, Files.readString(policies), Files.readString(schema));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read workload `" + name + "` from `" + dir + "`: " + e);
        }
    }

    /** {@code count} samples; the same seed always gives the same samples. */
    List<Sample> generate(int count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<ActionDef> actions = schema.actions().values().stream()
                .filter(a -> !a.principalTypes().isEmpty() && !a.resourceTypes().isEmpty())
                .toList();
        List<Sample> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(sample(rnd, actions.get(rnd.nextInt(actions.size()))));
        }
        return out;
    }

    private Sample sample(SplittableRandom rnd, ActionDef action) {
        Map<String, List<EntityUid>> byType = uids(rnd);
        List<Entity> list = new ArrayList<>();
        for (EntityTypeDef t : schema.entityTypes().values()) {
            List<EntityUid> mine = byType.get(t.name());
            for (int i = 0; i < mine.size(); i++) {
                list.add(new Entity(mine.get(i), attrs(rnd, t.attrs(), byType), parents(rnd, t, i, byType), Map.of()));
            }
        }
        list.addAll(actionEntities);
        EntityUid principal = pick(rnd, byType, action.principalTypes());
        EntityUid resource = pick(rnd, byType, action.resourceTypes());
        Request request = new Request(principal, EntityUid.of("Action", action.id()), resource, RecordValue.EMPTY);
        return new Sample(request, List.copyOf(list), Entities.of(list));
    }

    /** Uids for a slice: at least one per type, {@link #MIN_SLICE}..{@link #MAX_SLICE} in all. */
    private Map<String, List<EntityUid>> uids(SplittableRandom rnd) {
        List<String> types = List.copyOf(schema.entityTypes().keySet());
        int total = Math.max(types.size(), MIN_SLICE + rnd.nextInt(MAX_SLICE - MIN_SLICE + 1));
        int[] counts = new int[types.size()];
        java.util.Arrays.fill(counts, 1);
        for (int i = types.size(); i < total; i++) {
            counts[rnd.nextInt(types.size())]++;
        }
        Map<String, List<EntityUid>> byType = new LinkedHashMap<>();
        for (int t = 0; t < types.size(); t++) {
            String type = types.get(t);
            List<String> literals = literalIds.getOrDefault(type, List.of());
            List<EntityUid> uids = new ArrayList<>();
            for (int i = 0; i < counts[t]; i++) {
                String id = i < literals.size() ? literals.get(i) : type.toLowerCase() + i;
                uids.add(EntityUid.of(type, id));
            }
            byType.put(type, uids);
        }
        return byType;
    }

    /**
     * Zero to two parents of each {@code memberOfTypes} type. For a type that is its own parent type
     * (folders in folders, teams in teams) only earlier entities qualify, so the data has depth but
     * no cycles.
     */
    private static Set<EntityUid> parents(
            SplittableRandom rnd, EntityTypeDef t, int index, Map<String, List<EntityUid>> byType) {
        Set<EntityUid> parents = new LinkedHashSet<>();
        for (String p : t.memberOfTypes()) {
            List<EntityUid> candidates = byType.getOrDefault(p, List.of());
            int limit = p.equals(t.name()) ? index : candidates.size();
            if (limit == 0) {
                continue;
            }
            int k = rnd.nextInt(Math.min(2, limit) + 1);
            for (int j = 0; j < k; j++) {
                parents.add(candidates.get(rnd.nextInt(limit)));
            }
        }
        return parents;
    }

    private static Map<String, Value> attrs(
            SplittableRandom rnd, Map<String, AttrType> shape, Map<String, List<EntityUid>> byType) {
        Map<String, Value> attrs = new LinkedHashMap<>();
        shape.forEach((name, type) -> attrs.put(name, value(rnd, type, byType)));
        return attrs;
    }

    private static Value value(SplittableRandom rnd, AttrType type, Map<String, List<EntityUid>> byType) {
        return switch (type) {
            case BoolType b -> BoolValue.of(rnd.nextBoolean());
            case LongType l -> LongValue.of(rnd.nextInt(100));
            case StringType s -> new StringValue(WORDS.get(rnd.nextInt(WORDS.size())));
            case EntityRefType e -> pick(rnd, byType, List.of(e.entityType()));
            case SetType s -> {
                int n = rnd.nextInt(4);
                List<Value> elements = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    elements.add(value(rnd, s.element(), byType));
                }
                yield SetValue.of(elements);
            }
            case RecordType r -> new RecordValue(attrs(rnd, r.attrs(), byType));
        };
    }

    private static EntityUid pick(SplittableRandom rnd, Map<String, List<EntityUid>> byType, List<String> types) {
        String type = types.get(rnd.nextInt(types.size()));
        List<EntityUid> candidates = byType.get(type);
        if (candidates == null || candidates.isEmpty()) {
            // a type the schema references but does not declare: an entity that is not in the slice
            return EntityUid.of(type, type.toLowerCase() + "0");
        }
        return candidates.get(rnd.nextInt(candidates.size()));
    }

    private static String stripComments(String text) {
        return text.replaceAll("(?m)//.*$", "");
    }
}
