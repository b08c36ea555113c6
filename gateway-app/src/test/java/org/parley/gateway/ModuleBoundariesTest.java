package org.parley.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the module shape of docs/architecture.md: presence-map is protocol-free, and the two
 * protocol modules meet only through presence-map's model records.
 */
class ModuleBoundariesTest {

    private static JavaClasses parley;

    @BeforeAll
    static void importProductionClasses() {
        parley = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.parley");
    }

    @Test
    void presenceMapDependsOnNoProtocolStackAndNoSpring() {
        noClasses().that().resideInAPackage("org.parley.presence..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.xmpp..", "org.jivesoftware..", "javax.sip..", "gov.nist..",
                        "org.springframework..", "org.dom4j..",
                        "org.parley.xmpp..", "org.parley.sip..", "org.parley.gateway..")
                .because("presence-map is the protocol-free heart of Parley")
                .check(parley);
    }

    @Test
    void xmppDoesNotDependOnSip() {
        noClasses().that().resideInAPackage("org.parley.xmpp..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.parley.sip..", "javax.sip..", "gov.nist..", "org.parley.gateway..",
                        "org.springframework..")
                .because("xmpp and sip meet only through presence-map model events")
                .allowEmptyShould(true)
                .check(parley);
    }

    @Test
    void sipDoesNotDependOnXmpp() {
        noClasses().that().resideInAPackage("org.parley.sip..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.parley.xmpp..", "org.xmpp..", "org.jivesoftware..", "org.parley.gateway..",
                        "org.springframework..")
                .because("xmpp and sip meet only through presence-map model events")
                .allowEmptyShould(true)
                .check(parley);
    }

    @Test
    void presenceMapClassesAreImported() {
        // Guards the rules above against passing vacuously because nothing was imported.
        org.assertj.core.api.Assertions.assertThat(parley.containPackage("org.parley.presence.model")).isTrue();
    }
}
