package org.livingwell.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.livingwell.profiles.LivingWellPackage.CANONICAL_BASE;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.StructureDefinition.StructureDefinitionKind;
import org.hl7.fhir.r4.model.UriType;
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
        assertThat(profiles.conformanceResources()).hasSize(18).allSatisfy(r ->
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
                assertThat(id).matches("lw(-[a-z]+)+");
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
        for (String folder : List.of("StructureDefinition", "ValueSet", "CodeSystem", "examples/valid")) {
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

    private static String camelCase(String kebab) {
        StringBuilder camel = new StringBuilder();
        for (String word : kebab.split("-")) {
            camel.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return camel.toString();
    }
}
