package org.livingwell.routes.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Resource;

/**
 * The record kept in a remote FHIR R4 server (for example an existing FHIR server cluster): searches are
 * GETs and each transaction is POSTed to its base URL. There is no transaction around several requests;
 * versioned updates ({@code If-Match}) keep concurrent writers from losing each other's changes.
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

    @Override
    public List<Resource> search(String searchUrl) {
        try {
            Bundle found = client.search().byUrl(searchUrl).returnBundle(Bundle.class).execute();
            return found.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                    .filter(resource -> searchUrl.startsWith(resource.fhirType() + "?")).toList();
        } catch (BaseServerResponseException error) {
            throw RecordRejectedException.sort(error);
        }
    }

    @Override
    public void removeTags(String reference, List<Coding> tags) {
        Meta meta = new Meta();
        tags.forEach(tag -> meta.addTag(tag.copy()));
        try {
            client.meta().delete().onResource(new IdType(reference)).meta(meta).execute();
        } catch (BaseServerResponseException error) {
            throw RecordRejectedException.sort(error);
        }
    }
}
