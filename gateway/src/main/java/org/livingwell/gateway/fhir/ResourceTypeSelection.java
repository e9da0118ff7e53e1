package org.livingwell.gateway.fhir;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ca.uhn.fhir.context.FhirContext;
import org.livingwell.gateway.GatewayProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Keeps the JPA server to the resource types of the shared record ({@code gateway.fhir.resource-types}).
 *
 * <p>HAPI defines a DAO and a resource provider bean for each of the ~146 R4 resource types and
 * creates every DAO at start-up; that is about a quarter of the gateway's start-up time. Removing the
 * bean definitions of types the record does not hold leaves a server that answers 404 "unknown
 * resource type" for them and lists only the kept ones in its CapabilityStatement.
 */
public class ResourceTypeSelection implements BeanDefinitionRegistryPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(ResourceTypeSelection.class);

    /** HAPI's generated bean names: myPatientDaoR4, myPatientRpR4. */
    private static final Pattern DAO_OR_PROVIDER = Pattern.compile("my([A-Z][A-Za-z]+)(?:Dao|Rp)R4");

    /** HAPI needs these to run at all (conformance resources, terminology, search parameters). */
    static final List<String> INFRASTRUCTURE_TYPES = List.of("StructureDefinition", "ValueSet", "CodeSystem",
            "ConceptMap", "SearchParameter", "Subscription", "OperationDefinition", "NamingSystem",
            "ImplementationGuide", "Bundle", "Binary");

    private final Environment environment;

    public ResourceTypeSelection(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        // Runs before @ConfigurationProperties beans exist, so it binds the settings itself.
        List<String> configured = Binder.get(environment).bind("gateway", GatewayProperties.class)
                .map(gateway -> gateway.fhir().resourceTypes()).orElse(null);
        if (configured == null || configured.isEmpty()) {
            return; // every R4 type
        }
        Set<String> kept = new TreeSet<>(configured);
        kept.addAll(INFRASTRUCTURE_TYPES);
        Set<String> resourceTypes = FhirContext.forR4Cached().getResourceTypes();
        int removed = 0;
        for (String beanName : registry.getBeanDefinitionNames()) {
            Matcher name = DAO_OR_PROVIDER.matcher(beanName);
            // mySystemDaoR4 matches the pattern too, but "System" is not a resource type.
            if (name.matches() && resourceTypes.contains(name.group(1)) && !kept.contains(name.group(1))) {
                registry.removeBeanDefinition(beanName);
                removed++;
            }
        }
        log.info("FHIR server limited to {} resource types ({} DAO/provider beans left out): {}",
                kept.size(), removed, kept);
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    }
}
