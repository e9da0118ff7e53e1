package org.livingwell.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.livingwell.profiles.LivingWellPackage.CANONICAL_BASE;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.CodeSystemContentMode;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionDesignationComponent;
import org.hl7.fhir.r4.model.CodeSystem.PropertyType;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ConceptMap.SourceElementComponent;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Enumerations.ConceptMapEquivalence;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.StructureDefinition.StructureDefinitionKind;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LivingWellPackageTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static LivingWellPackage profiles;

    @BeforeAll
    static void load() {
        profiles = LivingWellPackage.load(FHIR);
    }

    @Test
    void everyStructureDefinitionHasASnapshotThatTookEveryDifferentialElement() {
        // HAPI's snapshot generator drops its own error messages, so a mistyped differential path would vanish silently.
        assertThat(profiles.structureDefinitions()).hasSize(9).allSatisfy(sd -> {
            assertThat(sd.getSnapshot().getElement()).as(sd.getUrl()).isNotEmpty();
            Set<String> snapshotIds = new HashSet<>();
            sd.getSnapshot().getElement().forEach(e -> snapshotIds.add(e.getId()));
            assertThat(sd.getDifferential().getElement()).as(sd.getUrl())
                    .extracting(ElementDefinition::getId)
                    .allMatch(snapshotIds::contains);
        });
    }

    @Test
    void everyCanonicalIsUnderOurBase() {
        assertThat(profiles.conformanceResources()).hasSize(35).allSatisfy(r ->
                assertThat(r.getUrl()).isEqualTo(CANONICAL_BASE + "/" + r.fhirType() + "/" + r.getIdElement().getIdPart()));
        assertThat(profiles.implementationGuide().getUrl()).isEqualTo(CANONICAL_BASE + "/ImplementationGuide/livingwell");
    }

    @Test
    void everyUrlIntoOurBaseResolvesToOneOfOurResources() {
        Set<String> ours = new HashSet<>();
        profiles.conformanceResources().forEach(r -> ours.add(r.getUrl()));
        List<IBaseResource> looked = Stream.<IBaseResource>concat(profiles.conformanceResources().stream(), Stream.of(profiles.implementationGuide())).toList();
        for (IBaseResource resource : looked) {
            for (UriType uri : FHIR.newTerser().getAllPopulatedChildElementsOfType(resource, UriType.class)) {
                String url = uri.getValue().split("\\|")[0];
                if (url.startsWith(CANONICAL_BASE + "/") && !url.equals(profiles.implementationGuide().getUrl())) {
                    assertThat(ours).as("%s in %s", url, resource.getIdElement().getIdPart()).contains(url);
                }
            }
        }
    }

    @Test
    void namesFollowOnePattern() {
        for (StructureDefinition sd : profiles.structureDefinitions()) {
            assertThat(sd.getName()).isEqualTo(sd.getIdElement().getIdPart()).startsWith("LW");
            assertThat(sd.getTitle()).endsWith(" (Living Well)");
            if (sd.getKind() == StructureDefinitionKind.RESOURCE) {
                assertThat(sd.getName()).isEqualTo("LW" + sd.getType());
                assertThat(sd.getTitle()).isEqualTo(sd.getType() + " (Living Well)");
            }
        }
        for (MetadataResource r : profiles.conformanceResources()) {
            if (!(r instanceof StructureDefinition)) {
                String id = r.getIdElement().getIdPart();
                assertThat(id).matches("lw(-[a-z0-9]+)+");
                assertThat(r.getName()).isEqualTo("LW" + camelCase(id.substring("lw-".length())));
                assertThat(r.getTitle()).endsWith(" (Living Well)");
            }
        }
    }

    @Test
    void implementationGuideListsEveryFileAndNothingElse() {
        Set<String> listed = new HashSet<>();
        profiles.implementationGuide().getDefinition().getResource().forEach(e -> listed.add(e.getReference().getReference()));
        Set<String> onDisk = new HashSet<>();
        for (String folder : List.of("StructureDefinition", "ValueSet", "CodeSystem", "ConceptMap", "examples/valid")) {
            for (Path file : PackageFiles.json(folder)) {
                IBaseResource r = PackageFiles.parse(FHIR, file);
                onDisk.add(r.fhirType() + "/" + r.getIdElement().getIdPart());
            }
        }
        assertThat(listed).isEqualTo(onDisk);
    }

    @Test
    void everyResourceProfileHasAValidExampleThatDeclaresIt() {
        Set<String> declared = new HashSet<>();
        profiles.examples().forEach(e -> e.getMeta().getProfile().forEach(p -> declared.add(p.getValue())));
        assertThat(declared).containsExactlyInAnyOrderElementsOf(profiles.structureDefinitions().stream()
                .filter(sd -> sd.getKind() == StructureDefinitionKind.RESOURCE)
                .map(StructureDefinition::getUrl)
                .toList());
    }

    @Test
    void examplesCarryOnlyTestRangeNhsNumbers() {
        for (String folder : List.of("examples/valid", "examples/invalid")) {
            for (Path file : PackageFiles.json(folder)) {
                for (Identifier id : FHIR.newTerser().getAllPopulatedChildElementsOfType(PackageFiles.parse(FHIR, file), Identifier.class)) {
                    if ("https://fhir.nhs.uk/Id/nhs-number".equals(id.getSystem())) {
                        assertThat(id.getValue()).as(file.getFileName().toString()).startsWith("999");
                    }
                }
            }
        }
    }

    @Test
    void profileForPicksOurProfileByResourceType() {
        assertThat(profiles.profileFor("Patient")).contains(CANONICAL_BASE + "/StructureDefinition/LWPatient");
        assertThat(profiles.profileFor("EpisodeOfCare")).contains(CANONICAL_BASE + "/StructureDefinition/LWEpisodeOfCare");
        assertThat(profiles.profileFor("Observation")).isEmpty();
        assertThat(profiles.profileFor("Extension")).isEmpty();
    }

    @Test
    void resourceProfilesNamesTheSameProfilesWithoutLoadingThePackage() {
        java.util.Map<String, String> expected = new java.util.TreeMap<>();
        for (String type : FHIR.getResourceTypes()) {
            profiles.profileFor(type).ifPresent(url -> expected.put(type, url));
        }
        assertThat(LivingWellPackage.resourceProfiles(FHIR)).isEqualTo(expected).containsKey("Patient");
    }

    @Test
    void everyCodeSystemIsCompleteCountedAndHasAValueSetOfTheWholeSystem() {
        Map<String, ValueSet> valueSets = new HashMap<>();
        profiles.conformanceResources().stream().filter(ValueSet.class::isInstance).map(ValueSet.class::cast)
                .forEach(vs -> valueSets.put(vs.getUrl(), vs));
        assertThat(codeSystems()).hasSize(12).allSatisfy(cs -> {
            String id = cs.getIdElement().getIdPart();
            assertThat(cs.getCaseSensitive()).as(id).isTrue();
            assertThat(cs.getContent()).as(id).isEqualTo(CodeSystemContentMode.COMPLETE);
            assertThat(cs.getCount()).as(id).isEqualTo(cs.getConcept().size());
            assertThat(cs.getVersion()).as(id).isEqualTo("0.1.0");
            assertThat(cs.getPublisher()).as(id).isEqualTo("Living Well Network Alliance");
            assertThat(cs.getConcept()).as(id).extracting(ConceptDefinitionComponent::getCode)
                    .doesNotHaveDuplicates()
                    .allMatch(code -> code.matches("[a-z0-9]+(-[a-z0-9]+)*"), "lower-case kebab-case");
            assertThat(cs.getConcept()).as(id).allSatisfy(c -> {
                assertThat(c.getDisplay()).as(c.getCode()).isNotBlank();
                assertThat(c.getDefinition()).as(c.getCode()).isNotBlank();
            });
            // Every property a concept carries is declared once, with the type its values have.
            Map<String, PropertyType> declared = new HashMap<>();
            cs.getProperty().forEach(p -> assertThat(declared.put(p.getCode(), p.getType())).as("%s property %s", id, p.getCode()).isNull());
            cs.getConcept().forEach(c -> c.getProperty().forEach(p -> {
                assertThat(declared).as("%s %s", id, c.getCode()).containsKey(p.getCode());
                assertThat(p.getValue().fhirType()).as("%s %s %s", id, c.getCode(), p.getCode())
                        .isEqualTo(declared.get(p.getCode()).toCode());
            }));
            ValueSet valueSet = valueSets.get(cs.getValueSet());
            assertThat(cs.getValueSet()).as(id).isEqualTo(CANONICAL_BASE + "/ValueSet/" + id);
            assertThat(valueSet).as(id).isNotNull();
            assertThat(valueSet.getName()).isEqualTo(cs.getName());
            assertThat(valueSet.getCompose().getExclude()).as(id).isEmpty();
            assertThat(valueSet.getCompose().getInclude()).as(id).singleElement().satisfies(include -> {
                assertThat(include.getSystem()).isEqualTo(cs.getUrl());
                assertThat(include.getConcept()).as("the whole CodeSystem, no enumeration").isEmpty();
                assertThat(include.getFilter()).isEmpty();
            });
        });
    }

    @Test
    void displaysAndSynonymsEachNameOneConceptWhenMatchedLooselyAsTheFeedsDo() {
        // Feeds normalise what a partner sends (case, spaces, hyphens, punctuation) and look it up among the
        // displays and synonyms: two concepts must never share a key, or a value would match either.
        for (CodeSystem cs : codeSystems()) {
            Map<String, String> conceptByKey = new HashMap<>();
            for (ConceptDefinitionComponent c : cs.getConcept()) {
                List<String> names = new ArrayList<>(List.of(c.getDisplay()));
                for (ConceptDefinitionDesignationComponent d : c.getDesignation()) {
                    assertThat(d.getUse().getSystem() + "|" + d.getUse().getCode() + "|" + d.getUse().getDisplay())
                            .as("%s %s designation use", cs.getIdElement().getIdPart(), c.getCode())
                            .isEqualTo("http://snomed.info/sct|900000000000013009|Synonym");
                    assertThat(d.getValue()).isNotBlank();
                    names.add(d.getValue());
                }
                for (String name : names) {
                    String other = conceptByKey.putIfAbsent(looseKey(name), c.getCode());
                    assertThat(other == null || other.equals(c.getCode()))
                            .as("'%s' in %s names both %s and %s", name, cs.getIdElement().getIdPart(), other, c.getCode())
                            .isTrue();
                }
            }
        }
    }

    @Test
    void cldCodeSystemsHoldTheReleaseOneLists() {
        assertThat(codes("lw-cld-event-type")).containsExactly("request", "assessment", "service", "review");
        assertThat(codes("lw-cld-delivery-mechanism")).containsExactly(
                "direct-payment", "cassr-managed-personal-budget", "cassr-commissioned-support", "self-funder-metering-only");
        assertThat(codes("lw-cld-service-type")).hasSize(9).contains("long-term-community", "short-term-st-max", "carer-direct");
        assertThat(codes("lw-cld-service-component")).hasSize(25).contains("home-support", "short-term-residential", "carer-respite");
        assertThat(codes("lw-cld-event-outcome")).hasSize(19).contains("provision-of-service", "nfa-deceased");
        assertThat(codes("lw-cld-cost-frequency")).hasSize(10).contains("weekly", "four-weekly", "one-off", "per-session");
        // The 19 census categories and CLD's two 'no data' values.
        assertThat(codes("lw-census-2021-ethnicity")).hasSize(21).contains("white-roma", "other-arab", "refused", "not-known");
        assertThat(codeSystem("lw-match-status").getConcept()).singleElement().satisfies(c -> {
            assertThat(c.getCode()).isEqualTo("unmatched");
            assertThat(c.getDisplay()).isEqualTo("Not yet matched to an NHS number");
        });
    }

    @Test
    void everyEventOutcomeSaysWhetherItClosesTheCase() {
        CodeSystem outcomes = codeSystem("lw-cld-event-outcome");
        assertThat(outcomes.getProperty()).singleElement().satisfies(p -> {
            assertThat(p.getCode()).isEqualTo("closes");
            assertThat(p.getType()).isEqualTo(PropertyType.BOOLEAN);
        });
        Map<String, Boolean> closes = new HashMap<>();
        for (ConceptDefinitionComponent c : outcomes.getConcept()) {
            assertThat(c.getProperty()).as(c.getCode()).singleElement()
                    .satisfies(p -> closes.put(c.getDisplay(), ((BooleanType) p.getValue()).booleanValue()));
        }
        assertThat(closes).allSatisfy((display, closing) -> {
            if (display.startsWith("NFA")) {
                assertThat(closing).as(display).isTrue();
            } else if (display.startsWith("Progress to")) {
                assertThat(closing).as(display).isFalse();
            }
        });
        assertThat(closes).containsEntry("Service ended as planned", true)
                .containsEntry("Provision of service", false)
                .containsEntry("No change in package", false)
                .containsEntry("Admitted to hospital", false);
    }

    @Test
    void costFrequencyPeriodsAreDurationsThePersonalBudgetTakes() {
        Map<String, String> periods = new HashMap<>();
        for (ConceptDefinitionComponent c : codeSystem("lw-cld-cost-frequency").getConcept()) {
            c.getProperty().stream().filter(p -> p.getCode().equals("period"))
                    .forEach(p -> periods.put(c.getCode(), p.getValue().primitiveValue()));
        }
        // "<value> <UCUM unit>", the unit from FHIR's units-of-time, which LWPersonalBudget.frequency is bound to.
        assertThat(periods.values()).allMatch(p -> p.matches("[1-9][0-9]* (s|min|h|d|wk|mo|a)"));
        assertThat(periods).containsEntry("weekly", "1 wk").containsEntry("fortnightly", "2 wk")
                .containsEntry("four-weekly", "4 wk").containsEntry("monthly", "1 mo").containsEntry("quarterly", "3 mo")
                .containsEntry("annually", "1 a").containsEntry("daily", "1 d").containsEntry("hourly", "1 h")
                .doesNotContainKeys("one-off", "per-session");
    }

    @Test
    void censusConceptMapMapsEveryCategoryOnceAndNamesWhatItCannotMap() {
        ConceptMap map = (ConceptMap) profiles.conformanceResources().stream()
                .filter(r -> r.getIdElement().getIdPart().equals("lw-census-2021-to-ethnic-category")).findFirst().orElseThrow();
        CodeSystem census = codeSystem("lw-census-2021-ethnicity");
        assertThat(map.getSourceCanonicalType().getValue()).isEqualTo(census.getValueSet());
        assertThat(map.getGroup()).singleElement().satisfies(group -> {
            assertThat(group.getSource()).isEqualTo(census.getUrl());
            assertThat(group.getTarget()).isEqualTo("https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland");
            assertThat(group.getElement()).extracting(SourceElementComponent::getCode)
                    .containsExactlyElementsOf(codes("lw-census-2021-ethnicity"));
            Set<String> unmatched = new HashSet<>();
            for (SourceElementComponent element : group.getElement()) {
                assertThat(element.getDisplay()).isEqualTo(census.getConcept().stream()
                        .filter(c -> c.getCode().equals(element.getCode())).findFirst().orElseThrow().getDisplay());
                assertThat(element.getTarget()).as(element.getCode()).singleElement().satisfies(target -> {
                    if (target.getEquivalence() == ConceptMapEquivalence.UNMATCHED) {
                        unmatched.add(element.getCode());
                        assertThat(target.hasCode()).as(element.getCode()).isFalse();
                        assertThat(target.getComment()).as("why %s has no code", element.getCode()).isNotBlank();
                    } else {
                        assertThat(target.getCode()).as(element.getCode())
                                .isIn("A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "Z", "99");
                        assertThat(target.getEquivalence()).as(element.getCode())
                                .isIn(ConceptMapEquivalence.EQUIVALENT, ConceptMapEquivalence.WIDER);
                        if (target.getEquivalence() != ConceptMapEquivalence.EQUIVALENT) {
                            assertThat(target.getComment()).as(element.getCode()).isNotBlank();
                        }
                    }
                });
            }
            assertThat(unmatched).containsExactlyInAnyOrder("white-gypsy-irish-traveller", "white-roma", "other-arab");
        });
    }

    private static List<CodeSystem> codeSystems() {
        return profiles.conformanceResources().stream().filter(CodeSystem.class::isInstance).map(CodeSystem.class::cast).toList();
    }

    private static CodeSystem codeSystem(String id) {
        return codeSystems().stream().filter(cs -> cs.getIdElement().getIdPart().equals(id)).findFirst().orElseThrow();
    }

    private static List<String> codes(String codeSystemId) {
        return codeSystem(codeSystemId).getConcept().stream().map(ConceptDefinitionComponent::getCode).toList();
    }

    /** How feeds compare a partner's value with a display or synonym: letters and digits only, any case. */
    private static String looseKey(String text) {
        return text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    private static String camelCase(String kebab) {
        StringBuilder camel = new StringBuilder();
        for (String word : kebab.split("-")) {
            camel.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return camel.toString();
    }
}
