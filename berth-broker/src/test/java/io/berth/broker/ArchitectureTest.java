package io.berth.broker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The package dependencies go one way: transport, protocol, session, routing, store. */
class ArchitectureTest {
    private static final JavaClasses BROKER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.berth.broker");

    @Test
    void store_dependsOnNothingAboveIt() {
        noClasses()
                .that()
                .resideInAPackage("io.berth.broker.store..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.berth.broker.session..",
                        "io.berth.broker.protocol..",
                        "io.berth.broker.transport..",
                        "io.berth.broker.routing..",
                        "io.berth.broker.cli..",
                        "io.berth.broker.admin..")
                .check(BROKER);
    }

    @Test
    void cluster_isKnownOnlyToTheWiring_andKnowsNoMqttNetwork() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.berth.broker.session..",
                        "io.berth.broker.store..",
                        "io.berth.broker.routing..",
                        "io.berth.broker.protocol..",
                        "io.berth.broker.transport..",
                        "io.berth.broker.config..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.berth.broker.cluster..", "org.apache.ratis..")
                .check(BROKER);
        noClasses()
                .that()
                .resideInAPackage("io.berth.broker.cluster..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.berth.broker.protocol..",
                        "io.berth.broker.transport..",
                        "io.berth.broker.admin..",
                        "io.berth.broker.cli..")
                .check(BROKER);
    }

    @Test
    void routing_doesNotKnowSessionsOrTheNetwork() {
        noClasses()
                .that()
                .resideInAPackage("io.berth.broker.routing..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.berth.broker.session..", "io.berth.broker.protocol..", "io.berth.broker.transport..")
                .check(BROKER);
    }

    @Test
    void sessions_doNotKnowTheNetwork() {
        noClasses()
                .that()
                .resideInAPackage("io.berth.broker.session..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.berth.broker.protocol..",
                        "io.berth.broker.transport..",
                        "io.netty.channel..",
                        "io.berth.broker.cli..",
                        "io.berth.broker.admin..")
                .check(BROKER);
    }

    @Test
    void protocol_doesNotTouchTheStore() {
        noClasses()
                .that()
                .resideInAPackage("io.berth.broker.protocol..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.berth.broker.store..", "org.rocksdb..")
                .check(BROKER);
    }

    @Test
    void auth_knowsNeitherSessionsNorTheNetwork() {
        noClasses()
                .that()
                .resideInAPackage("io.berth.broker.auth..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.berth.broker.session..",
                        "io.berth.broker.protocol..",
                        "io.berth.broker.transport..",
                        "io.berth.broker.store..",
                        "io.netty.channel..")
                .check(BROKER);
    }
}
