package org.livingwell.routes.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.IQuery;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Resource;

/**
 * The record kept in a remote FHIR R4 server (for example an existing FHIR server cluster): searches are
 * GETs and each transaction is POSTed to its base URL. There is no transaction around several requests;
 * versioned updates ({@code If-Match}) keep concurrent writers from losing each other's changes.
 *
 * <p>A search reads every page the server offers (its {@code next} links): a server pages at a size of its own
 * choosing, and a match missed on a later page would be taken for a resource not yet in the record.
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
        List<Resource> found = new ArrayList<>();
        pages(client.search().byUrl(searchUrl), searchUrl, found::addAll);
        return found;
    }

    @Override
    public void forEachPage(String searchUrl, int pageSize, Consumer<List<Resource>> page) {
        pages(client.search().byUrl(searchUrl).count(pageSize), searchUrl, page);
    }

    /** Runs the search and hands over its matches a page at a time, following the server's next links to the end. */
    private void pages(IQuery<?> query, String searchUrl, Consumer<List<Resource>> page) {
        try {
            Bundle bundle = query.returnBundle(Bundle.class).execute();
            while (true) {
                // Only the matches: not resources a server includes (_include) nor an OperationOutcome about the search.
                page.accept(bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                        .filter(resource -> resource != null && searchUrl.startsWith(resource.fhirType() + "?")).toList());
                if (bundle.getLink(IBaseBundle.LINK_NEXT) == null) {
                    return;
                }
                bundle = client.loadPage().next(bundle).execute();
            }
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
