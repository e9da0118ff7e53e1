package org.livingwell.gateway.store;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.livingwell.gateway.GatewayProperties;
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

    @Bean
    public RecordStore recordStore(GatewayProperties gateway, IFhirSystemDao<Bundle, Meta> systemDao,
            FhirContext fhirContext) {
        String remoteUrl = gateway.getStore().getRemoteUrl();
        if (remoteUrl == null || remoteUrl.isBlank()) {
            return new JpaRecordStore(systemDao);
        }
        log.info("Routes write the record to the remote FHIR server at {}", remoteUrl);
        return new RemoteFhirRecordStore(fhirContext, remoteUrl);
    }
}
