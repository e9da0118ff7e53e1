package org.livingwell.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The Living Well Gateway: one process hosting the HAPI FHIR JPA server (the shared record), the
 * Artemis broker between receipt and persistence, and the Camel routes of every source feed.
 */
@SpringBootApplication(exclude = {
        // HAPI builds its own entity manager factory (FhirServerConfig); Boot's would be a second one.
        HibernateJpaAutoConfiguration.class,
        // HAPI brings the Elasticsearch client and Quartz; we use neither (see shared/STACK.md).
        ElasticsearchRestClientAutoConfiguration.class,
        QuartzAutoConfiguration.class})
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
