package dev.portcullis.cedar.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.ast.SlotId;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.validation.ValidationError.Kind;
import dev.portcullis.cedar.value.EntityUid;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Templates are checked with their slots ranging over the entity types; links like static policies. */
class ValidatorTemplatesTest {
    private final Validator validator = new Validator(Schema.parseCedar(ValidatorOracleTest.SCHEMA));

    private static final String TEMPLATE = "@id(\"t\")\n"
            + "permit(principal in ?principal, action == Action::\"read\", resource == ?resource)"
            + " when { resource.owner == principal };";

    @Test
    void validTemplateAndLinkValidate() {
        PolicySet ps = PolicySet.parse(TEMPLATE)
                .withIdsFromAnnotations()
                .link("t", "l1", Map.of(SlotId.PRINCIPAL, uid("Group::\"staff\""), SlotId.RESOURCE, uid("Doc::\"d\"")));
        ValidationResult r = validator.validate(ps);
        assertThat(r.errors()).isEmpty();
    }

    @Test
    void templateBodyIsTypeChecked() {
        ValidationResult r = validator.validate(PolicySet.parse(
                "permit(principal == ?principal, action == Action::\"read\", resource) when { principal.agee > 1 };"));
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.ATTRIBUTE_NOT_FOUND);
            assertThat(e.message()).contains("did you mean `age`?");
        });
    }

    @Test
    void linkWithUndeclaredEntityTypeIsAnError() {
        PolicySet ps = PolicySet.parse(TEMPLATE)
                .withIdsFromAnnotations()
                .link("t", "bad", Map.of(SlotId.PRINCIPAL, uid("Grop::\"staff\""), SlotId.RESOURCE, uid("Doc::\"d\"")));
        ValidationResult r = validator.validate(ps);
        assertThat(r.errorsOf("t")).isEmpty();
        assertThat(r.errorsOf("bad")).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.UNRECOGNIZED_ENTITY_TYPE);
            assertThat(e.message()).startsWith("policy `bad`").contains("did you mean `Group`?");
        });
    }

    @Test
    void linkThatCanNeverMatchIsAnError() {
        PolicySet ps = PolicySet.parse(TEMPLATE)
                .withIdsFromAnnotations()
                .link("t", "wrong", Map.of(SlotId.PRINCIPAL, uid("Doc::\"x\""), SlotId.RESOURCE, uid("Doc::\"d\"")));
        ValidationResult r = validator.validate(ps);
        assertThat(r.errorsOf("wrong")).singleElement().satisfies(e -> assertThat(e.kind())
                .isEqualTo(Kind.INVALID_ACTION_APPLICATION));
    }

    @Test
    void impossibleConditionIsOnlyAWarning() {
        ValidationResult r = validator.validate(PolicySet.parse(
                "permit(principal, action == Action::\"read\", resource) when { principal is Group };"));
        assertThat(r.isValid()).isTrue();
        assertThat(r.warnings()).singleElement().satisfies(w -> assertThat(w.kind())
                .isEqualTo(ValidationWarning.Kind.IMPOSSIBLE_POLICY));
    }

    @Test
    void mixedScriptTextIsAWarning() {
        // "pаypal" with a Cyrillic а (U+0430), and an attribute name written as a string.
        ValidationResult r = validator.validate(PolicySet.parse(
                "permit(principal, action == Action::\"read\", resource) when { principal.name == \"p\u0430ypal\" };"));
        assertThat(r.isValid()).isTrue();
        assertThat(r.warnings()).anySatisfy(w -> {
            assertThat(w.kind()).isEqualTo(ValidationWarning.Kind.CONFUSABLE_TEXT);
            assertThat(w.message()).contains("mixes scripts");
        });
    }

    @Test
    void bidiCharactersInAStringAreAWarning() {
        ValidationResult r = validator.validate(PolicySet.parse(
                "permit(principal, action == Action::\"read\", resource) when { principal.name == \"a\u202eb\" };"));
        assertThat(r.warnings()).anySatisfy(w -> {
            assertThat(w.kind()).isEqualTo(ValidationWarning.Kind.BIDI_CHARACTERS);
            assertThat(w.message()).contains("\\u{202e}").doesNotContain("\u202e");
        });
    }

    private static EntityUid uid(String s) {
        return dev.portcullis.cedar.parser.PolicyParser.parseEntityUid(s);
    }
}
