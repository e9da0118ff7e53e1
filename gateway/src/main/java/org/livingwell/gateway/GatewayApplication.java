package org.livingwell.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration;
import org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The Living Well Gateway: one process hosting the HAPI FHIR JPA server (the shared record), the
 * Artemis broker between receipt and persistence, and the Camel routes of every source feed.
 */
@SpringBootApplication(exclude = {
        // HAPI builds its own entity manager factory (FhirServerConfig); Boot's would be a second one.
        HibernateJpaAutoConfiguration.class,
        // HAPI brings the Elasticsearch client, Quartz and Thymeleaf; we use none of them through Spring.
        ElasticsearchRestClientAutoConfiguration.class,
        QuartzAutoConfiguration.class,
        ThymeleafAutoConfiguration.class})
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
