package org.livingwell.gateway.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.livingwell.gateway.GatewayProperties;
import org.livingwell.gateway.profiles.LivingWellValidation;
import org.livingwell.routes.store.JpaRecordStore;
import org.livingwell.routes.store.ProfileValidatingRecordStore;
import org.livingwell.routes.store.RecordStore;
import org.livingwell.routes.store.RecordWriter;
import org.livingwell.routes.store.RemoteFhirRecordStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** Chooses where the routes write: the in-process JPA server, or a remote FHIR server if one is set. */
@Configuration
public class RecordStoreConfig {

    private static final Logger log = LoggerFactory.getLogger(RecordStoreConfig.class);

    /**
     * The store the routes write to: every transaction is first validated against the Living Well
     * profiles (the validator is still being built during start-up, so the first transaction may wait
     * for it; messages meanwhile stay on the queue).
     */
    @Bean
    public RecordStore recordStore(GatewayProperties gateway, IFhirSystemDao<Bundle, Meta> systemDao, DaoRegistry daos,
            MatchUrlService matchUrls, PlatformTransactionManager transactionManager, FhirContext fhirContext,
            LivingWellValidation validation) {
        String remoteUrl = gateway.store().remoteUrl();
        RecordStore store;
        if (remoteUrl == null || remoteUrl.isBlank()) {
            store = new JpaRecordStore(systemDao, daos, matchUrls, transactionManager);
        } else {
            log.info("Routes write the record to the remote FHIR server at {}", remoteUrl);
            store = new RemoteFhirRecordStore(fhirContext, remoteUrl);
        }
        return new ProfileValidatingRecordStore(store, validation::validator);
    }

    /** Applies feed changes to the record: one per process, shared by every feed. */
    @Bean
    public RecordWriter recordWriter(RecordStore recordStore) {
        return new RecordWriter(recordStore);
    }
}
