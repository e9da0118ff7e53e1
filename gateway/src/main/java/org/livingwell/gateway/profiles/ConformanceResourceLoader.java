package org.livingwell.gateway.profiles;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.DaoMethodOutcome;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.r4.model.MetadataResource;
import org.livingwell.profiles.LivingWellValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Puts our StructureDefinitions (with snapshots), ValueSets and CodeSystems into the record at every
 * start, under their own ids, so partners can read them at {@code /fhir/StructureDefinition} etc. and
 * {@code $validate} against them. An unchanged resource is not written again (HAPI keeps the version);
 * a changed one gets a new version.
 */
@Component
public class ConformanceResourceLoader {

    private static final Logger log = LoggerFactory.getLogger(ConformanceResourceLoader.class);

    private final LivingWellValidation validation;
    private final DaoRegistry daoRegistry;

    public ConformanceResourceLoader(LivingWellValidation validation, DaoRegistry daoRegistry) {
        this.validation = validation;
        this.daoRegistry = daoRegistry;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void loadWhenReady() {
        validation.whenReady(this::load, "living-well-conformance-load").exceptionally(failure -> {
            log.error("Could not load the Living Well conformance resources into the record", failure);
            return null;
        });
    }

    void load(LivingWellValidator validator) {
        int changed = 0;
        for (MetadataResource resource : validator.conformanceResources()) {
            @SuppressWarnings("unchecked")
            IFhirResourceDao<MetadataResource> dao = daoRegistry.getResourceDao(resource.fhirType());
            DaoMethodOutcome outcome = dao.update(resource, new SystemRequestDetails());
            if (!outcome.isNop()) {
                changed++;
            }
        }
        log.info("Living Well conformance resources in the record: {} ({} new or changed)",
                validator.conformanceResources().size(), changed);
    }
}
