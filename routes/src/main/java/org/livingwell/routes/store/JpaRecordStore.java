package org.livingwell.routes.store;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.livingwell.routes.store.RecordRejectedException;
import org.livingwell.routes.store.RecordStore;

/** The record kept in this process's HAPI JPA server: transactions go straight to its system DAO. */
public class JpaRecordStore implements RecordStore {

    private final IFhirSystemDao<Bundle, Meta> systemDao;

    public JpaRecordStore(IFhirSystemDao<Bundle, Meta> systemDao) {
        this.systemDao = systemDao;
    }

    @Override
    public Bundle apply(Bundle transaction) {
        try {
            return systemDao.transaction(new SystemRequestDetails(), transaction);
        } catch (BaseServerResponseException error) {
            throw RecordRejectedException.sort(error);
        }
    }
}
