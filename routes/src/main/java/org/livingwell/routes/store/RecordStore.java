package org.livingwell.routes.store;

import org.hl7.fhir.r4.model.Bundle;

/**
 * The shared record as the routes see it: one transaction Bundle in, its response out.
 *
 * <p>Implementations apply the whole Bundle atomically (all entries or none). They signal a
 * problem with the content (the store refused it; retrying will not help) by throwing
 * {@link RecordRejectedException}; any other exception means the store could not be reached or
 * failed for a reason of its own, and the same Bundle may succeed if retried later.
 */
public interface RecordStore {

    /** Applies a FHIR transaction Bundle and returns the transaction-response Bundle. */
    Bundle apply(Bundle transaction);
}
