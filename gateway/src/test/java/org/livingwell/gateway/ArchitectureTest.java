package org.livingwell.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering the README promises: {@code gateway -> routes -> fhir-profiles}, and translators and
 * mappers in plain Java, so they can be unit-tested and benchmarked without Camel or Spring.
 */
class ArchitectureTest {

    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // The routes' test jar (test clients, fixtures) is on this classpath too; only main code counts.
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("org.livingwell");
    }

    @Test
    void routesNeverUseTheGateway() {
        noClasses().that().resideInAPackage("org.livingwell.routes..")
                .should().dependOnClassesThat().resideInAPackage("org.livingwell.gateway..")
                .check(production);
    }

    @Test
    void profilesUseNeitherRoutesNorGateway() {
        noClasses().that().resideInAPackage("org.livingwell.profiles..")
                .should().dependOnClassesThat().resideInAnyPackage("org.livingwell.routes..", "org.livingwell.gateway..")
                .check(production);
    }

    @Test
    void translatorsAndMappersAreFreeOfCamelAndSpring() {
        noClasses().that().resideInAPackage("org.livingwell.routes..")
                .and().haveSimpleNameEndingWith("Translator")
                .or().haveSimpleNameEndingWith("Mapper")
                .or().resideInAnyPackage("org.livingwell.routes.identity..", "org.livingwell.routes.codes..", "org.livingwell.routes.trust.hl7..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "org.springframework..")
                .check(production);
    }
}
