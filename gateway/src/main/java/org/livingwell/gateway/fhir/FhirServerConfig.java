package org.livingwell.gateway.fhir;

import java.util.List;
import java.util.Properties;

import javax.sql.DataSource;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.IDaoRegistry;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.config.util.ResourceCountCacheUtil;
import ca.uhn.fhir.jpa.dao.FulltextSearchSvcImpl;
import ca.uhn.fhir.jpa.dao.IFulltextSearchSvc;
import ca.uhn.fhir.jpa.dao.search.HSearchSortHelperImpl;
import ca.uhn.fhir.jpa.dao.search.IHSearchSortHelper;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;
import ca.uhn.fhir.jpa.provider.DaoRegistryResourceSupportedSvc;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.search.IStaleSearchDeletingSvc;
import ca.uhn.fhir.jpa.search.StaleSearchDeletingSvcImpl;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.jpa.util.ResourceCountCache;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.IResourceSupportedSvc;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.IServerInterceptor;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jakarta.persistence.EntityManagerFactory;
import org.livingwell.gateway.GatewayProperties;
import org.livingwell.gateway.profiles.LivingWellCapabilityStatementProvider;
import org.livingwell.gateway.profiles.LivingWellValidation;
import org.livingwell.gateway.profiles.PartnerWriteValidator;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.livingwell.gateway.audit.AuditEventProvider;
import org.livingwell.gateway.audit.FhirAuditInterceptor;
import org.livingwell.gateway.security.SmartScopeInterceptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * Wires the HAPI FHIR JPA server (FHIR R4) into the Spring context and mounts it at {@code /fhir}.
 *
 * <p>Only what the shared record needs is switched on: no subscriptions, no full-text indexing
 * (Hibernate Search off), no narratives, no scheduled reindexing of terminology; each of those costs
 * start-up time and memory (the figures are in README).
 */
@Configuration
@Import({JpaR4Config.class, JpaBatch2Config.class, Batch2JobsConfig.class, ThreadPoolFactoryConfig.class,
        // Supplies the IBrokerClient that HAPI's JPA config insists on, even with subscriptions off.
        SubscriptionChannelConfig.class})
public class FhirServerConfig {

    /** Static: it edits bean definitions, so it must exist before this configuration is instantiated. */
    @Bean
    public static ResourceTypeSelection resourceTypeSelection(Environment environment) {
        return new ResourceTypeSelection(environment);
    }

    @Bean
    public JpaStorageSettings jpaStorageSettings(GatewayProperties gateway) {
        JpaStorageSettings settings = new JpaStorageSettings();
        // No setFetchSizeDefaultMaximum: it caps how many results a search finds in all, not per page (a search
        // matching 450 resources stopped at 200, for partners paging and for the feeds); the page size is capped by
        // the paging provider (gateway.fhir.max-page-size).
        settings.setAllowExternalReferences(true);
        // HAPI reuses a search's results for 60 s by default: a partner would not see a referral or an
        // admission written meanwhile. A shared care record must answer with what it holds now.
        settings.setReuseCachedSearchResultsForMillis(null);
        settings.setAllowMultipleDelete(false);
        settings.setExpungeEnabled(false);
        // Conditional create/update on identifiers is how every feed stays idempotent.
        settings.setAutoCreatePlaceholderReferenceTargets(false);
        settings.setEnforceReferentialIntegrityOnWrite(true);
        settings.setHibernateSearchIndexFullText(false);
        settings.setHibernateSearchIndexSearchParams(false);
        settings.setStoreResourceInHSearchIndex(false);
        settings.setIndexMissingFields(JpaStorageSettings.IndexEnabledEnum.DISABLED);
        // Terminology pre-expansion runs on a timer; our ValueSets are small and expanded in memory.
        settings.setEnableTaskPreExpandValueSets(false);
        settings.setEnableTaskBulkExportJobExecution(false);
        settings.setEnableTaskResourceReindexing(false);
        settings.setMarkResourcesForReindexingUponSearchParameterChange(false);
        // Resource bodies below this size go in a plain column instead of a LOB: H2's LOB store was a visible
        // share of the trust feed's write time (thread dumps under load); our resources are a few KB.
        settings.setInlineResourceTextBelowSize(16_000);
        // Conditional creates (practices, wards) look their match URL up in memory once it has been resolved.
        settings.setMatchUrlCacheEnabled(true);
        return settings;
    }

    @Bean
    public PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    @Bean
    public SubscriptionSettings subscriptionSettings() {
        return new SubscriptionSettings();
    }

    @Bean
    public IFulltextSearchSvc fullTextSearchSvc() {
        return new FulltextSearchSvcImpl();
    }

    @Bean
    public IHSearchSortHelper hSearchSortHelper(ISearchParamRegistry searchParamRegistry) {
        return new HSearchSortHelperImpl(searchParamRegistry);
    }

    @Bean
    public IStaleSearchDeletingSvc staleSearchDeletingSvc() {
        return new StaleSearchDeletingSvcImpl();
    }

    @Bean
    public DatabaseBackedPagingProvider databaseBackedPagingProvider(GatewayProperties gateway) {
        DatabaseBackedPagingProvider paging = new DatabaseBackedPagingProvider();
        paging.setDefaultPageSize(gateway.fhir().defaultPageSize());
        paging.setMaximumPageSize(gateway.fhir().maxPageSize());
        return paging;
    }

    @Bean
    public IResourceSupportedSvc resourceSupportedSvc(IDaoRegistry daoRegistry) {
        return new DaoRegistryResourceSupportedSvc(daoRegistry);
    }

    @Bean(name = "myResourceCountsCache")
    public ResourceCountCache resourceCountsCache(IFhirSystemDao<?, ?> systemDao) {
        return ResourceCountCacheUtil.newResourceCountCache(systemDao);
    }

    @Primary
    @Bean
    public LocalContainerEntityManagerFactoryBean entityManagerFactory(DataSource dataSource,
            DataSourceProperties dataSourceProperties, ConfigurableListableBeanFactory beanFactory,
            FhirContext fhirContext, JpaStorageSettings storageSettings, H2IdLookupRewrite h2IdLookupRewrite) {
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setDataSource(dataSource);
        factory.setJpaProperties(hibernateProperties(dataSourceProperties.determineUrl(), h2IdLookupRewrite));
        return factory;
    }

    @Bean
    public H2IdLookupRewrite h2IdLookupRewrite() {
        return new H2IdLookupRewrite();
    }

    /** Hibernate settings for HAPI's schema; the dialect follows the JDBC URL. */
    private static Properties hibernateProperties(String jdbcUrl, H2IdLookupRewrite h2IdLookupRewrite) {
        Properties properties = new Properties();
        properties.put("hibernate.dialect", dialectFor(jdbcUrl));
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            properties.put("hibernate.session_factory.statement_inspector", h2IdLookupRewrite);
        }
        // HAPI creates and updates its own tables; no separate migration step to run.
        properties.put("hibernate.hbm2ddl.auto", "update");
        properties.put("hibernate.search.enabled", "false");
        properties.put("hibernate.format_sql", "false");
        properties.put("hibernate.show_sql", "false");
        properties.put("hibernate.jdbc.batch_size", "20");
        properties.put("hibernate.cache.use_query_cache", "false");
        properties.put("hibernate.cache.use_second_level_cache", "false");
        properties.put("hibernate.cache.use_structured_entries", "false");
        properties.put("hibernate.cache.use_minimal_puts", "false");
        return properties;
    }

    private static String dialectFor(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return HapiFhirH2Dialect.class.getName();
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return HapiFhirPostgresDialect.class.getName();
        }
        throw new IllegalStateException("Unsupported database URL " + jdbcUrl
                + ": the gateway supports H2 (jdbc:h2:...) and PostgreSQL (jdbc:postgresql:...)");
    }

    @Primary
    @Bean
    public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }

    @Bean
    public RestfulServer fhirRestfulServer(IFhirSystemDao<?, ?> systemDao, ResourceProviderFactory resourceProviders,
            IJpaSystemProvider systemProvider, JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParamRegistry, IValidationSupport validationSupport,
            DatabaseBackedPagingProvider pagingProvider, List<IServerInterceptor> interceptors,
            LivingWellValidation livingWellValidation, SmartScopeInterceptor smartScopes, FhirAuditInterceptor audit,
            AuditEventProvider auditEvents, GatewayProperties gateway) {
        FhirContext fhirContext = systemDao.getContext();
        fhirContext.setNarrativeGenerator(new NullNarrativeGenerator());

        RestfulServer server = new RestfulServer(fhirContext);
        server.registerProviders(resourceProviders.createProviders());
        server.registerProvider(systemProvider);
        // AuditEvents are not in the JPA store (see JdbcAuditEvents): read and searched through their own provider.
        server.registerProvider(auditEvents);
        JpaCapabilityStatementProvider capabilities = new LivingWellCapabilityStatementProvider(
                server, systemDao, storageSettings, searchParamRegistry, validationSupport, fhirContext);
        capabilities.setImplementationDescription("Living Well Gateway shared record");
        server.setServerConformanceProvider(capabilities);
        server.setPagingProvider(pagingProvider);
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.setServerAddressStrategy(new IncomingRequestAddressStrategy());
        server.registerInterceptor(new ResponseHighlighterInterceptor());
        // On the RestfulServer, not the JPA interceptor service: they hold partners' requests to their scopes and
        // audit them, and leave the feeds' own writes (which never pass through here) alone.
        if (gateway.security().enabled()) {
            server.registerInterceptor(smartScopes);
            server.registerInterceptor(audit);
        }
        interceptors.forEach(server::registerInterceptor);
        server.registerInterceptor(new PartnerWriteValidator(livingWellValidation, fhirContext));
        return server;
    }

    @Bean
    public ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer server) {
        ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
