package dev.portcullis.bench;

import dev.portcullis.bench.OopslaWorkload.Sample;
import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A document-sharing deployment whose policy set grows from a handful to tens of thousands of
 * policies, while the requests and entities stay the same.
 *
 * <p>The policy set is always the same {@link #HOT} policies that the requests actually exercise,
 * plus filler policies of the same forms that a large deployment accumulates: per-user grants on
 * folders ({@code principal == User::"u…", resource in Folder::"f…"}), per-group grants with action
 * sets, owner-and-MFA conditions, attribute comparisons, per-document grants and per-user forbids.
 * Every filler policy is pinned in its scope to a user, group or document of its own (people
 * outside the request population), as policies in real deployments are: an unpinned policy applies
 * to every request and no engine can skip it. Filler policies do share the actions and folders of
 * the hot ones, so an index on actions or resources alone does not separate them.
 *
 * <p>Entities: users in groups, a folder tree of depth five, documents in folders with an owner and
 * a classification. Each request comes with its slice (principal, resource, their ancestors, the
 * action), the same for both engines.
 */
final class ScalingWorkload {
    static final int USERS = 50;
    static final int GROUPS = 20;
    static final int FOLDERS = 500;
    static final int DOCUMENTS = 2000;
    static final List<String> ACTIONS = List.of("read", "list", "write", "edit", "share", "comment", "delete", "admin");

    /** The policies the requests exercise; present at every size. */
    static final List<String> HOT = List.of(
            "permit(principal == User::\"u1\", action == Action::\"read\", resource in Folder::\"f7\");",
            "permit(principal in Group::\"g3\", action in [Action::\"read\", Action::\"list\"], resource in Folder::\"f2\");",
            "permit(principal in Group::\"g5\", action == Action::\"edit\", resource)\n"
                    + "  when { resource.owner == principal && context.mfa };",
            "permit(principal in Group::\"g1\", action == Action::\"read\", resource in Folder::\"f1\")\n"
                    + "  when { principal.level >= 3 && resource.classification <= 2 };",
            "forbid(principal in Group::\"g9\", action == Action::\"delete\", resource) when { context.risk > 80 };",
            "permit(principal, action == Action::\"read\", resource in Folder::\"f0\")\n"
                    + "  when { resource.classification == 0 && context.mfa };",
            "permit(principal == User::\"u2\", action in [Action::\"write\", Action::\"share\"], resource in Folder::\"f3\");",
            "permit(principal in Group::\"g0\", action == Action::\"comment\", resource) when { context.mfa };");

    private final List<Entity> all = new ArrayList<>();
    private final Map<EntityUid, Entity> byUid = new LinkedHashMap<>();

    ScalingWorkload() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int g = 0; g < GROUPS; g++) {
            add(new Entity(uid("Group", "g" + g)));
        }
        for (int u = 0; u < USERS; u++) {
            Set<EntityUid> groups = new LinkedHashSet<>();
            int k = 1 + rnd.nextInt(3);
            for (int j = 0; j < k; j++) {
                groups.add(uid("Group", "g" + rnd.nextInt(GROUPS)));
            }
            Map<String, Value> attrs = Map.of(
                    "level", LongValue.of(rnd.nextInt(6)), "department", new StringValue("dept" + rnd.nextInt(5)));
            add(new Entity(uid("User", "u" + u), attrs, groups, Map.of()));
        }
        for (int f = 0; f < FOLDERS; f++) {
            // a 4-ary tree: f0 is the root, depth ~5 at 500 folders
            Set<EntityUid> parent = f == 0 ? Set.of() : Set.of(uid("Folder", "f" + (f - 1) / 4));
            add(new Entity(uid("Folder", "f" + f), Map.of(), parent, Map.of()));
        }
        for (int d = 0; d < DOCUMENTS; d++) {
            Map<String, Value> attrs = Map.of(
                    "owner", uid("User", "u" + rnd.nextInt(USERS)),
                    "classification", LongValue.of(rnd.nextInt(4)));
            add(new Entity(
                    uid("Document", "d" + d), attrs, Set.of(uid("Folder", "f" + rnd.nextInt(FOLDERS))), Map.of()));
        }
        for (String a : ACTIONS) {
            add(new Entity(uid("Action", a)));
        }
    }

    /** {@link #HOT} plus {@code total - HOT.size()} filler policies; deterministic. */
    static String policies(int total) {
        StringBuilder sb = new StringBuilder();
        HOT.forEach(p -> sb.append(p).append('\n'));
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < total - HOT.size(); i++) {
            String user = "User::\"u" + (1000 + i) + "\"";
            String group = "Group::\"g" + (100 + i) + "\"";
            String folder = "Folder::\"f" + rnd.nextInt(FOLDERS) + "\"";
            String action = "Action::\"" + ACTIONS.get(rnd.nextInt(ACTIONS.size())) + "\"";
            String other = "Action::\"" + ACTIONS.get(rnd.nextInt(ACTIONS.size())) + "\"";
            sb.append(
                    switch (i % 10) {
                        case 0, 1, 2 ->
                            "permit(principal == " + user + ", action == " + action + ", resource in " + folder + ");";
                        case 3, 4 ->
                            "permit(principal in " + group + ", action in [" + action + ", " + other + "], resource in "
                                    + folder + ");";
                        case 5, 6 ->
                            "permit(principal in " + group + ", action == " + action
                                    + ", resource) when { resource.owner == principal && context.mfa };";
                        case 7 ->
                            "permit(principal == " + user + ", action == " + action + ", resource in " + folder
                                    + ") when { principal.level >= " + rnd.nextInt(6)
                                    + " && resource.classification <= "
                                    + rnd.nextInt(4) + " };";
                        case 8 ->
                            "permit(principal, action == " + action + ", resource == Document::\"d" + (DOCUMENTS + i)
                                    + "\") when { context.mfa };";
                        default ->
                            "forbid(principal == " + user + ", action, resource in " + folder
                                    + ") when { context.risk > " + rnd.nextInt(100) + " };";
                    });
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * {@code count} requests from the user population; a quarter are steered at the hot grants
     * (u1 reading in f7, u2 writing in f3) so that allows, denies and forbids all occur.
     */
    List<Sample> requests(int count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<EntityUid> f7docs = documentsUnder("f7");
        List<EntityUid> f3docs = documentsUnder("f3");
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            EntityUid principal;
            EntityUid resource;
            String action;
            switch (rnd.nextInt(8)) {
                case 0 -> {
                    principal = uid("User", "u1");
                    action = "read";
                    resource = f7docs.get(rnd.nextInt(f7docs.size()));
                }
                case 1 -> {
                    principal = uid("User", "u2");
                    action = rnd.nextBoolean() ? "write" : "share";
                    resource = f3docs.get(rnd.nextInt(f3docs.size()));
                }
                default -> {
                    principal = uid("User", "u" + rnd.nextInt(USERS));
                    action = ACTIONS.get(rnd.nextInt(ACTIONS.size()));
                    resource = uid("Document", "d" + rnd.nextInt(DOCUMENTS));
                }
            }
            RecordValue context = new RecordValue(
                    Map.of("mfa", BoolValue.of(rnd.nextInt(4) != 0), "risk", LongValue.of(rnd.nextInt(100))));
            Request request = new Request(principal, uid("Action", action), resource, context);
            List<Entity> slice = slice(request);
            out.add(new Sample(request, slice, Entities.of(slice)));
        }
        return out;
    }

    /** The entities a caller would send for this request: principal, resource, ancestors, action. */
    private List<Entity> slice(Request r) {
        Set<EntityUid> uids = new LinkedHashSet<>();
        for (EntityUid start : List.of(r.principal(), r.resource(), r.action())) {
            closure(start, uids);
        }
        return uids.stream().map(byUid::get).toList();
    }

    private void closure(EntityUid uid, Set<EntityUid> into) {
        Entity e = byUid.get(uid);
        if (e != null && into.add(uid)) {
            e.parents().forEach(p -> closure(p, into));
        }
    }

    private List<EntityUid> documentsUnder(String folder) {
        Entities store = Entities.of(all);
        EntityUid f = uid("Folder", folder);
        return all.stream()
                .map(Entity::uid)
                .filter(u -> u.type().name().equals("Document") && store.isDescendantOrSelf(u, f))
                .toList();
    }

    private void add(Entity e) {
        all.add(e);
        byUid.put(e.uid(), e);
    }

    private static EntityUid uid(String type, String id) {
        return EntityUid.of(type, id);
    }
}
