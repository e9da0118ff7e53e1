package org.livingwell.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import java.time.Duration;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.MetadataResource;

/** Validates FHIR R4 resources against core FHIR and the Living Well profiles, entirely offline. */
public final class LivingWellValidator {

    private final FhirContext fhirContext;
    private final LivingWellPackage profiles;
    private final ValidationSupportChain validationSupport;
    private final FhirValidator validator;

    /**
     * Loads the package, generates its snapshots and builds the validation support chain: a few seconds,
     * so build one per process and share it (it is thread-safe). Pass the gateway's own R4 context.
     */
    public LivingWellValidator(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
        this.profiles = LivingWellPackage.load(fhirContext);

        // ConceptMaps play no part in validation: PrePopulatedValidationSupport passes over them.
        PrePopulatedValidationSupport livingWell = new PrePopulatedValidationSupport(fhirContext);
        profiles.conformanceResources().forEach(livingWell::addResource);
        livingWell.lock();

        // No terminology server is reachable. Code systems we hold (ours, FHIR's, UCUM, languages...) are checked
        // for real; any other system (SNOMED CT, LOINC, dm+d) gets a warning "unknown, not checked", not an error.
        // HAPI 8.8 already behaves so without this module; it is here so the choice is written down and survives
        // a change of default. Membership of an enumerated ValueSet such as lw-smi-diagnosis is decided by the
        // in-memory module earlier in the chain, so a code outside a required binding still fails.
        UnknownCodeSystemWarningValidationSupport unknownCodeSystems = new UnknownCodeSystemWarningValidationSupport(fhirContext);
        unknownCodeSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);

        // Caching is built into the chain since HAPI FHIR 8 (CachingValidationSupport is deprecated for removal).
        // Our definitions arrive with snapshots; the generator stays for any that reach the chain without one.
        this.validationSupport = new ValidationSupportChain(
                new DefaultProfileValidationSupport(fhirContext),
                livingWell,
                new SnapshotGeneratingValidationSupport(fhirContext),
                new InMemoryTerminologyServerValidationSupport(fhirContext),
                new CommonCodeSystemsTerminologyService(fhirContext),
                unknownCodeSystems);

        // HAPI's FhirInstanceValidator, but reusing org.hl7.fhir.core's validator between calls: see the class.
        this.validator = fhirContext.newValidator();
        validator.registerValidatorModule(new PooledFhirInstanceValidator(validationSupport));
    }

    /** Our StructureDefinitions (with snapshots), ValueSets, CodeSystems and ConceptMaps, e.g. to load into a JPA server. */
    public List<MetadataResource> conformanceResources() {
        return profiles.conformanceResources();
    }

    /** The package itself, for the ImplementationGuide and profile lookups. */
    public LivingWellPackage profiles() {
        return profiles;
    }

    /** The validation support chain, e.g. for a RequestValidatingInterceptor's own FhirInstanceValidator. */
    public IValidationSupport validationSupport() {
        return validationSupport;
    }

    /** The configured validator, for callers that need HAPI's own API (e.g. a RequestValidatingInterceptor). */
    public FhirValidator fhirValidator() {
        return validator;
    }

    /** Validates against core FHIR and every profile the resource declares in meta.profile. */
    public ValidationResult validate(IBaseResource resource) {
        return validator.validateWithResult(resource);
    }

    /**
     * Validates against our profile for the resource's type (Patient against LWPatient...) whether or not
     * meta.profile declares it, plus whatever meta.profile does declare. The resource is not modified.
     * A type we do not profile is validated as {@link #validate} would.
     */
    public ValidationResult validateAgainstProfile(IBaseResource resource) {
        return profiles.profileFor(fhirContext.getResourceType(resource))
                .map(profile -> validator.validateWithResult(resource, new ValidationOptions().addProfile(profile)))
                .orElseGet(() -> validate(resource));
    }

    /**
     * Validates the package's examples, one or more per profile, so the validator's own first-use work (loading
     * core ValueSets, converting definitions, compiling FHIRPath) happens now rather than on the first real request.
     * Takes a few seconds once; returns how long it took. Results are discarded: the build tests the examples.
     */
    public Duration warmUp() {
        long start = System.nanoTime();
        profiles.examples().forEach(validator::validateWithResult);
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
