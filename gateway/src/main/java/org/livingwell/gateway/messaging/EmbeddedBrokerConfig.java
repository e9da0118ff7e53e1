package org.livingwell.gateway.messaging;

import java.time.Duration;

import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * Sizes the embedded Artemis broker for this gateway instead of letting it take half the heap, and
 * keeps its journal synchronous for sends, so that a message the sender has been ACKed for is on disk.
 * (With {@code spring.artemis.mode=native} an external broker is used and this has no effect.)
 */
@Configuration
public class EmbeddedBrokerConfig {

    /** Memory the broker may hold messages in before paging them to disk. */
    private static final DataSize GLOBAL_MAX_SIZE = DataSize.ofMegabytes(64);
    private static final DataSize JOURNAL_FILE_SIZE = DataSize.ofMegabytes(10);
    private static final Duration JOURNAL_LOCK_TIMEOUT = Duration.ofSeconds(10);

    @Bean
    public ArtemisConfigurationCustomizer gatewayBrokerSizing() {
        return configuration -> {
            configuration.setGlobalMaxSize(GLOBAL_MAX_SIZE.toBytes());
            configuration.setJournalFileSize((int) JOURNAL_FILE_SIZE.toBytes());
            configuration.setJournalMinFiles(2);
            configuration.setJournalPoolFiles(4);
            // "ACK means durable" rests on this: the listener's persistent, non-transacted send waits for the disk.
            configuration.setJournalSyncNonTransactional(true);
            // The store consumers' transaction commits need not wait for it (a third of their time did): a
            // commit lost in a crash only delivers the message again, and the message log, committed with
            // the record before, answers it as a duplicate.
            configuration.setJournalSyncTransactional(false);
            configuration.setJMXManagementEnabled(false);
            // A second gateway on the same data directory must fail at start-up, not wait for ever.
            configuration.setJournalLockAcquisitionTimeout(JOURNAL_LOCK_TIMEOUT.toMillis());
            // Page to disk rather than block senders when a backlog builds up (database down for hours).
            // A message is rolled back to the broker whenever the gateway stops while the store is down;
            // Artemis would drop it after 10 such rollbacks, so never give up on a message here (the
            // routes send unusable messages to the dead-letter queue themselves).
            configuration.addAddressSetting("#", new AddressSettings()
                    .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                    .setMaxDeliveryAttempts(-1)
                    .setRedeliveryDelay(1000));
        };
    }
}
