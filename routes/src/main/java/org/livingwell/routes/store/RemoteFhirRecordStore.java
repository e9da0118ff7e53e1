package org.livingwell.routes.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The record kept in a remote FHIR R4 server (for example an existing FHIR server cluster): each
 * transaction is POSTed to its base URL.
 */
public class RemoteFhirRecordStore implements RecordStore {

    private final IGenericClient client;

    public RemoteFhirRecordStore(FhirContext fhirContext, String baseUrl) {
        this.client = fhirContext.newRestfulGenericClient(baseUrl);
    }

    @Override
    public Bundle apply(Bundle transaction) {
        try {
            return client.transaction().withBundle(transaction).execute();
        } catch (BaseServerResponseException error) {
            throw RecordRejectedException.sort(error);
        }
    }
}
