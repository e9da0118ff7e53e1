package org.livingwell.routes.store;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Resource;

/**
 * Where the shared record is kept, as the routes see it: searches, transaction Bundles, and a
 * transaction boundary around several of them. Feeds do not call it directly: {@link RecordWriter}
 * applies their {@link RecordChange}s through it.
 *
 * <p>Implementations apply a Bundle atomically (all entries or none). They signal a problem with the
 * content (the store refused it; retrying will not help) by throwing {@link RecordRejectedException}, a
 * concurrent change of the same data (a version conflict, two creates of one identifier) by throwing
 * {@link RecordConflictException}; any other exception means the store could not be reached or failed
 * for a reason of its own, and the same work may succeed if retried later.
 */
public interface RecordStore {

    /** Applies a FHIR transaction Bundle and returns the transaction-response Bundle. */
    Bundle apply(Bundle transaction);

    /** The resources matching a FHIR search, e.g. {@code Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9990000018}. */
    List<Resource> search(String searchUrl);

    /**
     * The resources matching a search, handed over a page at a time (a search that may find thousands). A store that
     * cannot page hands everything over as one page.
     */
    default void forEachPage(String searchUrl, int pageSize, Consumer<List<Resource>> page) {
        page.accept(search(searchUrl));
    }

    /**
     * Takes tags off a stored resource ({@code $meta-delete}): an update cannot, as FHIR servers carry a resource's tags
     * forward to its next version.
     *
     * @param reference e.g. {@code Patient/12}
     */
    void removeTags(String reference, List<Coding> tags);

    /**
     * Runs the work (searches, transactions, and anything else on the same database, such as the message
     * log) in one database transaction where the store can; a store that cannot just runs it.
     */
    default <T> T inTransaction(Supplier<T> work) {
        return work.get();
    }
}
