package org.livingwell.routes.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The record kept in this process's HAPI JPA server: searches and transactions go straight to its DAOs,
 * inside one Spring transaction of the JPA server's own transaction manager.
 */
public class JpaRecordStore implements RecordStore {

    private final IFhirSystemDao<Bundle, Meta> systemDao;
    private final DaoRegistry daos;
    private final MatchUrlService matchUrls;
    private final TransactionTemplate transactions;
    private final FhirContext fhirContext;

    public JpaRecordStore(IFhirSystemDao<Bundle, Meta> systemDao, DaoRegistry daos, MatchUrlService matchUrls,
            PlatformTransactionManager transactionManager) {
        this.systemDao = systemDao;
        this.daos = daos;
        this.matchUrls = matchUrls;
        this.transactions = new TransactionTemplate(transactionManager);
        this.fhirContext = systemDao.getContext();
    }

    /** Inside {@link #inTransaction} the FHIR transaction joins the database transaction already open. */
    @Override
    public Bundle apply(Bundle transaction) {
        try {
            return TransactionSynchronizationManager.isActualTransactionActive()
                    ? systemDao.transactionNested(new SystemRequestDetails(), transaction)
                    : systemDao.transaction(new SystemRequestDetails(), transaction);
        } catch (BaseServerResponseException error) {
            throw RecordRejectedException.sort(error);
        }
    }

    @Override
    public List<Resource> search(String searchUrl) {
        String type = searchUrl.substring(0, searchUrl.indexOf('?'));
        IFhirResourceDao<?> dao = daos.getResourceDao(type);
        SearchParameterMap map = matchUrls.translateMatchUrl(searchUrl, fhirContext.getResourceDefinition(type));
        // Synchronous: no Search entity is stored for a look-up the feed makes on every message.
        map.setLoadSynchronous(true);
        try {
            List<IBaseResource> found = dao.search(map, new SystemRequestDetails()).getAllResources();
            return found.stream().map(Resource.class::cast).toList();
        } catch (BaseServerResponseException error) {
            throw RecordRejectedException.sort(error);
        }
    }

    /**
     * An ordinary (asynchronous) HAPI search, read a page at a time as partners page through results: HAPI keeps the
     * matching ids, not the resources, so a large result is never in memory at once.
     */
    @Override
    public void forEachPage(String searchUrl, int pageSize, Consumer<List<Resource>> page) {
        String type = searchUrl.substring(0, searchUrl.indexOf('?'));
        SearchParameterMap map = matchUrls.translateMatchUrl(searchUrl, fhirContext.getResourceDefinition(type));
        // A fixed order: HAPI loads a large result in chunks as it is read, and chunks of an unordered query are not
        // promised to be pieces of one sequence.
        map.setSort(new SortSpec("_id"));
        try {
            IBundleProvider results = daos.getResourceDao(type).search(map, new SystemRequestDetails());
            // A page may hold fewer than asked for (HAPI fetches at most its maximum page size at a time): go on
            // from where it ended, until a page is empty.
            for (int from = 0; ; ) {
                List<IBaseResource> resources = results.getResources(from, from + pageSize);
                if (resources.isEmpty()) {
                    return;
                }
                page.accept(resources.stream().map(Resource.class::cast).toList());
                from += resources.size();
            }
        } catch (BaseServerResponseException error) {
            throw RecordRejectedException.sort(error);
        }
    }

    @Override
    public void removeTags(String reference, List<Coding> tags) {
        IdType id = new IdType(reference);
        Meta meta = new Meta();
        tags.forEach(tag -> meta.addTag(tag.copy()));
        try {
            daos.getResourceDao(id.getResourceType()).metaDeleteOperation(id, meta, new SystemRequestDetails());
        } catch (BaseServerResponseException error) {
            throw RecordRejectedException.sort(error);
        }
    }

    /** One database transaction; a unique-key or lock clash at commit is someone else's write of the same data. */
    @Override
    public <T> T inTransaction(Supplier<T> work) {
        try {
            return transactions.execute(status -> work.get());
        } catch (DataIntegrityViolationException | ConcurrencyFailureException clash) {
            throw new RecordConflictException("a concurrent write of the same data: " + clash.getMessage(), clash);
        }
    }
}
