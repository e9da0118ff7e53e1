package org.livingwell.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.ImplementationGuide;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.StructureDefinition.StructureDefinitionKind;
import org.hl7.fhir.r4.model.StructureDefinition.TypeDerivationRule;

/** The Living Well implementation guide read from the classpath: profiles, extensions, ValueSets, CodeSystems, ConceptMaps. */
public final class LivingWellPackage {

    public static final String CANONICAL_BASE = "https://fhir.livingwell.example";
    public static final String IMPLEMENTATION_GUIDE_PATH = "livingwell/ImplementationGuide/livingwell.json";

    private final ImplementationGuide implementationGuide;
    private final List<MetadataResource> conformanceResources;
    private final List<IBaseResource> examples;

    private LivingWellPackage(ImplementationGuide implementationGuide, List<MetadataResource> conformanceResources,
            List<IBaseResource> examples) {
        this.implementationGuide = implementationGuide;
        this.conformanceResources = List.copyOf(conformanceResources);
        this.examples = List.copyOf(examples);
    }

    /**
     * Reads every resource the ImplementationGuide lists and gives each StructureDefinition a snapshot.
     * Takes a few seconds (core definitions are loaded and every profile expanded): call once per process.
     */
    public static LivingWellPackage load(FhirContext fhirContext) {
        if (fhirContext.getVersion().getVersion() != FhirVersionEnum.R4) {
            throw new IllegalArgumentException("Living Well profiles are FHIR R4; got a " + fhirContext.getVersion().getVersion() + " FhirContext");
        }
        // A parser of our own: the caller's context may be shared with a server whose parser settings we must not depend on.
        IParser parser = fhirContext.newJsonParser();
        ImplementationGuide guide = (ImplementationGuide) read(parser, IMPLEMENTATION_GUIDE_PATH);
        List<MetadataResource> definitions = new ArrayList<>();
        List<IBaseResource> examples = new ArrayList<>();
        for (ImplementationGuide.ImplementationGuideDefinitionResourceComponent entry : guide.getDefinition().getResource()) {
            String reference = entry.getReference().getReference();
            if (entry.hasExampleCanonicalType()) {
                examples.add(read(parser, reference, "livingwell/examples/valid/" + reference.replace('/', '-') + ".json"));
            } else {
                definitions.add((MetadataResource) read(parser, reference, "livingwell/" + reference + ".json"));
            }
        }
        return new LivingWellPackage(guide, withSnapshots(fhirContext, definitions), examples);
    }

    /**
     * Resource type to the canonical URL of our profile for it ("Patient" to .../LWPatient), read from the
     * differentials alone: milliseconds, where {@link #load} takes seconds. For callers that only need to
     * name the profiles (a CapabilityStatement).
     */
    public static Map<String, String> resourceProfiles(FhirContext fhirContext) {
        IParser parser = fhirContext.newJsonParser();
        ImplementationGuide guide = (ImplementationGuide) read(parser, IMPLEMENTATION_GUIDE_PATH);
        Map<String, String> profiles = new TreeMap<>();
        for (ImplementationGuide.ImplementationGuideDefinitionResourceComponent entry : guide.getDefinition().getResource()) {
            String reference = entry.getReference().getReference();
            if (!entry.hasExampleCanonicalType() && reference.startsWith("StructureDefinition/")) {
                StructureDefinition sd = (StructureDefinition) read(parser, reference, "livingwell/" + reference + ".json");
                if (sd.getKind() == StructureDefinitionKind.RESOURCE) {
                    profiles.putIfAbsent(sd.getType(), sd.getUrl());
                }
            }
        }
        return profiles;
    }

    /** The ImplementationGuide resource that lists the package. */
    public ImplementationGuide implementationGuide() {
        return implementationGuide;
    }

    /** StructureDefinitions (with snapshot and differential), ValueSets, CodeSystems and ConceptMaps, in ImplementationGuide order. */
    public List<MetadataResource> conformanceResources() {
        return conformanceResources;
    }

    /** Valid example instances, each declaring the profile it illustrates. Shared: copy one before changing it. */
    public List<IBaseResource> examples() {
        return examples;
    }

    /** Our StructureDefinitions: resource profiles and extensions. */
    public List<StructureDefinition> structureDefinitions() {
        return conformanceResources.stream()
                .filter(StructureDefinition.class::isInstance)
                .map(StructureDefinition.class::cast)
                .toList();
    }

    /** Canonical URL of our profile for a resource type ("Patient" gives .../LWPatient), if we profile that type. */
    public Optional<String> profileFor(String resourceType) {
        return structureDefinitions().stream()
                .filter(sd -> sd.getKind() == StructureDefinitionKind.RESOURCE && resourceType.equals(sd.getType()))
                .map(StructureDefinition::getUrl)
                .findFirst();
    }

    private static List<MetadataResource> withSnapshots(FhirContext fhirContext, List<MetadataResource> differentialOnly) {
        List<MetadataResource> resources = new ArrayList<>(differentialOnly);
        PrePopulatedValidationSupport differentials = new PrePopulatedValidationSupport(fhirContext);
        resources.forEach(differentials::addResource);
        // Caching off: each snapshot is put back into `differentials` as it is made, and a cache would go on
        // serving the differential-only version to the profiles generated after it.
        ValidationSupportChain generator = new ValidationSupportChain(
                ValidationSupportChain.CacheConfiguration.disabled(),
                new DefaultProfileValidationSupport(fhirContext),
                differentials,
                new SnapshotGeneratingValidationSupport(fhirContext));
        ValidationSupportContext context = new ValidationSupportContext(generator);

        // Extensions first, so a profile that uses one finds its snapshot already made.
        List<StructureDefinition> order = resources.stream()
                .filter(StructureDefinition.class::isInstance)
                .map(StructureDefinition.class::cast)
                .sorted(Comparator.comparing((StructureDefinition sd) -> !"Extension".equals(sd.getType())))
                .toList();
        for (StructureDefinition sd : order) {
            if (sd.getDerivation() != TypeDerivationRule.CONSTRAINT || sd.hasSnapshot()) {
                continue;
            }
            StructureDefinition withSnapshot = (StructureDefinition)
                    generator.generateSnapshot(context, sd, sd.getUrl(), CANONICAL_BASE, sd.getName());
            if (withSnapshot == null || !withSnapshot.hasSnapshot()) {
                throw new IllegalStateException("No snapshot generated for " + sd.getUrl());
            }
            // Replaces the URL lookup, so later profiles that reference this one see the snapshot.
            differentials.addStructureDefinition(withSnapshot);
            resources.set(resources.indexOf(sd), withSnapshot);
        }
        return resources;
    }

    private static IBaseResource read(IParser parser, String path) {
        try (InputStream in = LivingWellPackage.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Not on the classpath: " + path);
            }
            return parser.parseResource(in);
        } catch (IOException e) {
            throw new UncheckedIOException(path, e);
        }
    }

    /** Reads a listed resource and checks that the file holds what the ImplementationGuide says it does. */
    private static IBaseResource read(IParser parser, String reference, String path) {
        IBaseResource resource = read(parser, path);
        String found = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        if (!reference.equals(found)) {
            throw new IllegalStateException(IMPLEMENTATION_GUIDE_PATH + " lists " + reference + " but " + path + " holds " + found);
        }
        return resource;
    }
}
