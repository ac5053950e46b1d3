package dev.redline.pdp.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.redline.pdp.server.api.DecisionGrpcService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's package structure, as the architecture drawing in README.md shows it: front doors (gRPC, admin,
 * CLI) call services, services call the engine and the stores, and nothing points back up. Each
 * rule names the packages it holds apart, so a failure says which import broke the layering.
 */
class PackageDependenciesTest {
    private static final String ROOT = "dev.redline.pdp.server";
    private static final String[] FRONT_DOORS = {ROOT + ".api..", ROOT + ".admin..", ROOT + ".cli.."};
    private static final String[] SERVICES = {
        ROOT + ".decision..", ROOT + ".policy..", ROOT + ".pull..", ROOT + ".audit..", ROOT + ".replay..",
        ROOT + ".shadow..", ROOT + ".lifecycle.."
    };

    private static JavaClasses server;

    @BeforeAll
    static void importServerClasses() {
        server = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    }

    @Test
    void thePackagesFormNoCycle() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(server);
    }

    @Test
    void theDecisionLogDoesNotEvaluatePolicy() {
        noClasses().that().resideInAPackage(ROOT + ".audit..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".engine..").check(server);
    }

    @Test
    void theGrpcFrontDoorDoesNotReachTheEngine() {
        noClasses().that().resideInAPackage(ROOT + ".api..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".engine..").check(server);
    }

    @Test
    void theGrpcDecisionAdapterDoesNotTouchTheDecisionLog() {
        noClasses().that().belongToAnyOf(DecisionGrpcService.class)
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".audit..").check(server);
    }

    @Test
    void servicesDoNotCallFrontDoors() {
        noClasses().that().resideInAnyPackage(SERVICES)
                .should().dependOnClassesThat().resideInAnyPackage(FRONT_DOORS).check(server);
    }

    @Test
    void theEngineDependsOnNoServiceAndNoFrontDoor() {
        noClasses().that().resideInAPackage(ROOT + ".engine..")
                .should().dependOnClassesThat().resideInAnyPackage(SERVICES)
                .orShould().dependOnClassesThat().resideInAnyPackage(FRONT_DOORS).check(server);
    }
}
