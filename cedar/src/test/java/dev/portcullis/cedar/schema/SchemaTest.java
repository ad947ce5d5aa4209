package dev.portcullis.cedar.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.schema.SchemaType.Attribute;
import dev.portcullis.cedar.schema.SchemaType.EntityRefType;
import dev.portcullis.cedar.schema.SchemaType.ExtensionType;
import dev.portcullis.cedar.schema.SchemaType.RecordType;
import dev.portcullis.cedar.schema.SchemaType.SetType;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The meaning of schemas: name resolution, declarations, action entities. */
class SchemaTest {
    private static EntityType type(String name) {
        return new EntityType(name);
    }

    private static SchemaType attr(Schema s, String entity, String attr) {
        return s.entityType(type(entity)).shape().attribute(attr).type();
    }

    @Test
    void commonTypesShadowEntityTypesWhichShadowBuiltins() {
        // the example of Cedar's "type name disambiguation" rules
        Schema s = Schema.parseCedar("""
                namespace Demo {
                  entity Host { ip: ipaddr, bandwidth: decimal };
                  entity String { groups: Set<__cedar::String> };
                  type ipaddr = { repr: String, isV4: Bool };
                }
                """);
        assertThat(attr(s, "Demo::Host", "ip"))
                .isEqualTo(new RecordType(
                        Map.of(
                                "repr", new Attribute(new EntityRefType(type("Demo::String")), true),
                                "isV4", new Attribute(SchemaType.BOOL, true)),
                        false));
        assertThat(attr(s, "Demo::Host", "bandwidth")).isEqualTo(new ExtensionType("decimal"));
        assertThat(attr(s, "Demo::String", "groups")).isEqualTo(new SetType(SchemaType.STRING));
    }

    @Test
    void unqualifiedNamesLookInTheNamespaceThenTheEmptyNamespace() {
        Schema s = Schema.parseCedar("""
                entity User;
                entity Team;
                namespace App {
                  entity Group;
                  entity Doc in [Group, Team] { owner: User, group: Group, other: App::Group };
                }
                """);
        EntityTypeDecl doc = s.entityType(type("App::Doc"));
        assertThat(doc.memberOfTypes()).containsExactly(type("App::Group"), type("Team"));
        assertThat(attr(s, "App::Doc", "owner")).isEqualTo(new EntityRefType(type("User")));
        assertThat(attr(s, "App::Doc", "group")).isEqualTo(new EntityRefType(type("App::Group")));
        assertThat(attr(s, "App::Doc", "other")).isEqualTo(new EntityRefType(type("App::Group")));
    }

    @Test
    void anAttributeDeclaredTwiceTakesItsLastDeclaration() {
        // as in Cedar (checked against cedar-java): no error, the last one wins
        Schema s = Schema.parseCedar("entity A = { x: Long, \"x\": String, y: Bool, x?: Bool };");
        assertThat(s.entityType(type("A")).shape().attribute("x")).isEqualTo(new Attribute(SchemaType.BOOL, false));
    }

    @Test
    void declarationsCarryEverythingTheyDeclare() {
        Schema s = Schema.parseCedar("""
                @doc("people")
                namespace P {
                  type Name = String;
                  @doc("a user")
                  entity User, Admin in [Team] = {
                    "full name": Name,
                    @doc("age in years") age?: Long,
                    when: __cedar::datetime,
                    ips: Set<ipaddr>,
                  } tags Set<String>;
                  entity Team;
                  entity Color enum ["red", "green"];
                  action read, "write" in [all] appliesTo {
                    principal: User, resource: [Team, Color], context: Ctx
                  };
                  type Ctx = { token?: String };
                  action all;
                  action audit in [P::Action::"all"];
                }
                """);
        EntityTypeDecl admin = s.entityType(type("P::Admin"));
        assertThat(admin.memberOfTypes()).containsExactly(type("P::Team"));
        assertThat(admin.shape().attribute("full name")).isEqualTo(new Attribute(SchemaType.STRING, true));
        assertThat(admin.shape().attribute("age"))
                .isEqualTo(new Attribute(SchemaType.LONG, false, Map.of("doc", "age in years")));
        assertThat(admin.shape().attribute("when").type()).isEqualTo(new ExtensionType("datetime"));
        assertThat(admin.tags()).isEqualTo(new SetType(SchemaType.STRING));
        assertThat(admin.annotations()).isEqualTo(Map.of("doc", "a user"));
        assertThat(s.entityType(type("P::Color")).enumIds()).containsExactly("red", "green");
        assertThat(s.entityType(type("P::Color")).allowsId("blue")).isFalse();
        assertThat(s.namespaceAnnotations()).isEqualTo(Map.of("P", Map.of("doc", "people")));

        EntityUid write = EntityUid.of("P::Action", "write");
        ActionDecl w = s.action(write);
        assertThat(w.memberOf()).containsExactly(EntityUid.of("P::Action", "all"));
        assertThat(w.principalTypes()).containsExactly(type("P::User"));
        assertThat(w.resourceTypes()).containsExactlyInAnyOrder(type("P::Team"), type("P::Color"));
        assertThat(s.contextType(write))
                .isEqualTo(new RecordType(Map.of("token", new Attribute(SchemaType.STRING, false)), false));
        // an action without appliesTo applies to nothing
        ActionDecl all = s.action(EntityUid.of("P::Action", "all"));
        assertThat(all.principalTypes()).isEmpty();
        assertThat(all.context()).isEqualTo(RecordType.EMPTY);
        assertThat(s.action(EntityUid.of("P::Action", "audit")).memberOf())
                .containsExactly(EntityUid.of("P::Action", "all"));
        assertThat(s.contextType(EntityUid.of("Action", "write"))).isNull();
    }

    @Test
    void actionEntitiesHaveTheirGroupsAsParents() {
        Schema s = Schema.parseCedar("action a in [g1, \"g2\"]; action g1 in g2; action g2;");
        assertThat(s.actionEntities())
                .containsExactlyInAnyOrder(
                        new Entity(
                                EntityUid.of("Action", "a"),
                                Map.of(),
                                Set.of(EntityUid.of("Action", "g1"), EntityUid.of("Action", "g2")),
                                Map.of()),
                        new Entity(
                                EntityUid.of("Action", "g1"), Map.of(), Set.of(EntityUid.of("Action", "g2")), Map.of()),
                        new Entity(EntityUid.of("Action", "g2")));
    }

    @Test
    void parentActionsMayLiveInOtherNamespaces() {
        Schema s = Schema.parseCedar("""
                namespace A { action "read" in [B::Action::"all"]; }
                namespace B { action "all"; }
                action top in [A::Action::"read"];
                """);
        assertThat(s.action(EntityUid.of("A::Action", "read")).memberOf())
                .containsExactly(EntityUid.of("B::Action", "all"));
        assertThat(s.action(EntityUid.of("Action", "top")).memberOf())
                .containsExactly(EntityUid.of("A::Action", "read"));
    }

    @Test
    void jsonFormatMeansTheSameAsTheCedarFormat() {
        Schema text = Schema.parseCedar("""
                namespace N {
                  type Ctx = { ip: ipaddr, level?: Long };
                  entity G;
                  entity U in [G] { name: String, friends: Set<U>, flag: Bool } tags Long;
                  entity E enum ["x"];
                  action g;
                  action "do" in [g] appliesTo { principal: [U], resource: [G, E], context: Ctx };
                }
                """);
        Schema json = Schema.parseJson("""
                {"N": {
                  "commonTypes": {"Ctx": {"type": "Record", "attributes": {
                      "ip": {"type": "Extension", "name": "ipaddr"},
                      "level": {"type": "Long", "required": false}}}},
                  "entityTypes": {
                    "G": {},
                    "U": {"memberOfTypes": ["G"], "tags": {"type": "Long"},
                          "shape": {"type": "Record", "attributes": {
                            "name": {"type": "String"},
                            "friends": {"type": "Set", "element": {"type": "Entity", "name": "U"}},
                            "flag": {"type": "Boolean"}}}},
                    "E": {"enum": ["x"]}},
                  "actions": {
                    "g": {},
                    "do": {"memberOf": [{"id": "g"}], "appliesTo": {"principalTypes": ["U"],
                           "resourceTypes": ["G", "E"], "context": {"type": "Ctx"}}}}}}
                """);
        assertThat(json).isEqualTo(text);
        assertThat(json.actionEntities()).hasSize(2);
    }

    @Test
    void commentsAndEmptyInputsAreAllowed() {
        assertThat(Schema.parseCedar("// nothing here\n").entityTypes()).isEmpty();
        assertThat(Schema.parseJson("{}").entityTypes()).isEmpty();
        Schema s = Schema.parseCedar("entity A; // trailing\n");
        assertThat(s.entityTypeNames()).isEqualTo(Set.of(type("A")));
        assertThat(List.copyOf(s.entityTypes()).get(0).shape()).isEqualTo(RecordType.EMPTY);
    }
}
