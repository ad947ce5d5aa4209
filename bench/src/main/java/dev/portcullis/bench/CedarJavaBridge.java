package dev.portcullis.bench;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.exception.AuthException;
import com.cedarpolicy.model.exception.CacheException;
import com.cedarpolicy.model.exception.InternalException;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.value.CedarList;
import com.cedarpolicy.value.CedarMap;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.EntityUID;
import com.cedarpolicy.value.PrimBool;
import com.cedarpolicy.value.PrimLong;
import com.cedarpolicy.value.PrimString;
import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.ExtValue;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.SetValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The peer engine, cedar-java (JNI to the Rust reference implementation), fed the very same
 * requests and entities as ours. Everything that can be prepared ahead is prepared ahead: the policy
 * set is parsed and cached on the Rust side ({@link PolicySet#cache()}), and the entities and
 * requests are converted to cedar-java objects once; what remains per decision is what any
 * cedar-java user pays (serialising request and entities across JNI, then evaluating).
 */
final class CedarJavaBridge {
    private final BasicAuthorizationEngine engine = new BasicAuthorizationEngine();
    private final PolicySet policies;

    /** One prepared decision for cedar-java. */
    record Call(AuthorizationRequest request, com.cedarpolicy.model.entity.Entities entities) {}

    CedarJavaBridge(String policyText) {
        try {
            policies = PolicySet.parsePolicies(policyText);
            policies.cache();
        } catch (InternalException | CacheException e) {
            throw new IllegalStateException("cedar-java rejected the policies: " + e.getMessage());
        }
    }

    int policyCount() {
        return policies.getNumPolicies();
    }

    Call prepare(Request request, List<Entity> entities) {
        Set<com.cedarpolicy.model.entity.Entity> set = new HashSet<>();
        for (Entity e : entities) {
            set.add(entity(e));
        }
        return new Call(
                new AuthorizationRequest(
                        uid(request.principal()),
                        uid(request.action()),
                        uid(request.resource()),
                        record(request.context())),
                new com.cedarpolicy.model.entity.Entities(set));
    }

    /** True when cedar-java allows; an engine failure is a benchmark bug, so it is thrown. */
    boolean isAllowed(Call call) {
        try {
            AuthorizationResponse r = engine.isAuthorized(call.request(), policies, call.entities());
            return r.success
                    .orElseThrow(() -> new IllegalStateException("cedar-java failed: " + r))
                    .isAllowed();
        } catch (AuthException e) {
            throw new IllegalStateException("cedar-java failed: " + e.getMessage());
        }
    }

    private static final Map<String, EntityTypeName> TYPES = new HashMap<>();

    static EntityUID uid(EntityUid u) {
        EntityTypeName type = TYPES.computeIfAbsent(u.type().name(), n -> EntityTypeName.parse(n)
                .orElseThrow(() -> new IllegalArgumentException("cedar-java rejects entity type `" + n + "`")));
        return new EntityUID(type, u.id());
    }

    private static com.cedarpolicy.model.entity.Entity entity(Entity e) {
        Map<String, com.cedarpolicy.value.Value> attrs = new LinkedHashMap<>();
        e.attrs().forEach((k, v) -> attrs.put(k, value(v)));
        Set<EntityUID> parents = new HashSet<>();
        e.parents().forEach(p -> parents.add(uid(p)));
        Map<String, com.cedarpolicy.value.Value> tags = new LinkedHashMap<>();
        e.tags().forEach((k, v) -> tags.put(k, value(v)));
        return new com.cedarpolicy.model.entity.Entity(uid(e.uid()), attrs, parents, tags);
    }

    private static Map<String, com.cedarpolicy.value.Value> record(RecordValue r) {
        Map<String, com.cedarpolicy.value.Value> out = new LinkedHashMap<>();
        r.attrs().forEach((k, v) -> out.put(k, value(v)));
        return out;
    }

    static com.cedarpolicy.value.Value value(Value v) {
        return switch (v) {
            case BoolValue b -> new PrimBool(b.value());
            case LongValue l -> new PrimLong(l.value());
            case StringValue s -> new PrimString(s.value());
            case EntityUid u -> uid(u);
            case SetValue s -> {
                List<com.cedarpolicy.value.Value> list = new ArrayList<>();
                s.elements().forEach(x -> list.add(value(x)));
                yield new CedarList(list);
            }
            case RecordValue r -> new CedarMap(record(r));
            case ExtValue x ->
                throw new IllegalArgumentException("benchmark data has no `" + x.typeName() + "` values");
        };
    }
}
