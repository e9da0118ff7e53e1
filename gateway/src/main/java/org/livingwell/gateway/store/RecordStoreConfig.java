package org.livingwell.gateway.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.livingwell.gateway.GatewayProperties;
import org.livingwell.gateway.profiles.LivingWellValidation;
import org.livingwell.routes.store.JpaRecordStore;
import org.livingwell.routes.store.ProfileValidatingRecordStore;
import org.livingwell.routes.store.RecordStore;
import org.livingwell.routes.store.RemoteFhirRecordStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
    public RecordStore recordStore(GatewayProperties gateway, IFhirSystemDao<Bundle, Meta> systemDao,
            FhirContext fhirContext, LivingWellValidation validation) {
        RecordStore store = storeFor(gateway.store().remoteUrl(), systemDao, fhirContext);
        return transaction -> new ProfileValidatingRecordStore(store, validation.validator()).apply(transaction);
    }

    private static RecordStore storeFor(String remoteUrl, IFhirSystemDao<Bundle, Meta> systemDao, FhirContext fhirContext) {
        if (remoteUrl == null || remoteUrl.isBlank()) {
            return new JpaRecordStore(systemDao);
        }
        log.info("Routes write the record to the remote FHIR server at {}", remoteUrl);
        return new RemoteFhirRecordStore(fhirContext, remoteUrl);
    }
}
