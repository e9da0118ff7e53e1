package org.livingwell.gateway.profiles;

import java.util.Map;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import ca.uhn.fhir.util.FhirTerser;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.livingwell.profiles.LivingWellPackage;

/** HAPI's CapabilityStatement, plus each resource type's Living Well profile as its supportedProfile. */
public class LivingWellCapabilityStatementProvider extends JpaCapabilityStatementProvider {

    private final Map<String, String> profiles;

    public LivingWellCapabilityStatementProvider(RestfulServer server, IFhirSystemDao<?, ?> systemDao,
            JpaStorageSettings storageSettings, ISearchParamRegistry searchParamRegistry,
            IValidationSupport validationSupport, FhirContext fhirContext) {
        super(server, systemDao, storageSettings, searchParamRegistry, validationSupport);
        this.profiles = LivingWellPackage.resourceProfiles(fhirContext);
    }

    @Override
    protected void postProcessRestResource(FhirTerser terser, IBase resource, String resourceName) {
        super.postProcessRestResource(terser, resource, resourceName);
        String profile = profiles.get(resourceName);
        if (profile != null) {
            ((CapabilityStatementRestResourceComponent) resource).addSupportedProfile(profile);
        }
    }
}
