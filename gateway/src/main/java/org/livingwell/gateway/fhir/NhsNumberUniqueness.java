package org.livingwell.gateway.fhir;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import ca.uhn.fhir.util.HapiExtensions;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.SearchParameter;
import org.livingwell.routes.identity.NhsNumber;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * One NHS number is one Patient, in the database itself: a search parameter {@code nhs-number} (the Patient's NHS
 * number identifier) and a HAPI unique combo search parameter over it, which gives every stored Patient's NHS number
 * a row in a unique index. A write that would give a second Patient a number another has, by a feed or a partner,
 * fails with a conflict (409), however many race. Put in place before the feeds and the API start (after every bean is
 * made, before the context starts its lifecycle), at every start; an unchanged definition is not written again.
 *
 * <p>Patients stored before this existed get their index rows when reindexed ({@code $reindex}); until then they
 * are not covered.
 */
@Component
public class NhsNumberUniqueness implements SmartInitializingSingleton {

    static final String TOKEN_ID = "lw-patient-nhs-number";
    static final String UNIQUE_ID = "lw-patient-nhs-number-unique";
    private static final String BASE = "https://fhir.livingwell.example/SearchParameter/";

    private final DaoRegistry daoRegistry;
    private final ISearchParamRegistry searchParamRegistry;

    public NhsNumberUniqueness(DaoRegistry daoRegistry, ISearchParamRegistry searchParamRegistry) {
        this.daoRegistry = daoRegistry;
        this.searchParamRegistry = searchParamRegistry;
    }

    @Override
    public void afterSingletonsInstantiated() {
        SearchParameter token = new SearchParameter();
        token.setId(TOKEN_ID);
        token.setUrl(BASE + TOKEN_ID).setName("LWPatientNhsNumber").setStatus(PublicationStatus.ACTIVE)
                .setDescription("The Patient's NHS number (identifier system " + NhsNumber.SYSTEM + ")")
                .setCode("nhs-number").setType(SearchParamType.TOKEN)
                .setExpression("Patient.identifier.where(system='" + NhsNumber.SYSTEM + "')")
                .addBase("Patient");

        SearchParameter unique = new SearchParameter();
        unique.setId(UNIQUE_ID);
        unique.addExtension(HapiExtensions.EXT_SP_UNIQUE, new BooleanType(true));
        unique.setUrl(BASE + UNIQUE_ID).setName("LWPatientNhsNumberUnique").setStatus(PublicationStatus.ACTIVE)
                .setDescription("At most one Patient per NHS number")
                .setCode("nhs-number-unique").setType(SearchParamType.COMPOSITE).setExpression("Patient")
                .addBase("Patient");
        unique.addComponent().setDefinition("SearchParameter/" + TOKEN_ID).setExpression("Patient");

        IFhirResourceDao<SearchParameter> dao = daoRegistry.getResourceDao(SearchParameter.class);
        dao.update(token, new SystemRequestDetails());
        dao.update(unique, new SystemRequestDetails());
        searchParamRegistry.forceRefresh();
    }
}
