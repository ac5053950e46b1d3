package dev.redline.pdp.deploy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.server.cli.PdpCommand;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The chart's arguments are the ones {@code pdp serve} takes: every flag it renders, with every
 * feature on, is read by the server's own command line.
 */
class ServeFlagsTest {
    /**
     * Flags the chart renders that other branches are adding to {@code pdp serve}. Once serve has
     * one, it leaves this list and is checked like the rest; today serve has them all.
     */
    private static final Set<String> NOT_YET_IN_SERVE = Set.of();

    private static List<String> args;

    @BeforeAll
    static void renderEveryFeature() {
        args = Helm.pinned().template("-f", Helm.examplesDir().resolve("production.yaml").toString(),
                "--set", "pdp.maxInputBytes=65536", "--set", "pdp.auditSegmentBytes=1048576",
                "--set", "pdp.auditSegmentAge=10m", "--set", "pdp.auditRetainBytes=1073741824",
                "--set", "pdp.auditMask[0]=/input/subject/id").args();
    }

    private static CommandLine serve() {
        return PdpCommand.commandLine().getSubcommands().get("serve");
    }

    private static Set<String> flagNames(List<String> arguments) {
        return arguments.stream().filter(a -> a.startsWith("--")).map(a -> a.split("=", 2)[0])
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theContainerRunsServe() {
        assertEquals("serve", args.get(0));
    }

    @Test
    void everyRenderedFlagIsAnOptionOfServe() {
        Set<String> unknown = new TreeSet<>(flagNames(args));
        unknown.removeAll(NOT_YET_IN_SERVE);
        unknown.removeAll(serve().getCommandSpec().optionsMap().keySet());
        assertEquals(Set.of(), unknown, "flags the chart renders that pdp serve does not have");
    }

    @Test
    void theRenderedArgumentsParseAsServeArguments() {
        List<String> known = args.stream().filter(a -> !NOT_YET_IN_SERVE.contains(a.split("=", 2)[0])).toList();
        assertDoesNotThrow(() -> PdpCommand.commandLine().parseArgs(known.toArray(String[]::new)));
    }

    @Test
    void theFlagsAwaitedFromOtherBranchesAreNotInServeYet() {
        Set<String> arrived = new TreeSet<>(NOT_YET_IN_SERVE);
        arrived.retainAll(serve().getCommandSpec().optionsMap().keySet());
        assertTrue(arrived.isEmpty(), "pdp serve has " + arrived + " now: remove them from NOT_YET_IN_SERVE so the"
                + " chart's use of them is checked, and check their names in templates/_helpers.tpl");
    }

    @Test
    void everyFeatureIsRendered() {
        Set<String> expected = new TreeSet<>(NOT_YET_IN_SERVE);
        expected.addAll(Set.of("--bundle-url", "--bundle-url-token-file", "--verification-key", "--require-signatures",
                "--audit-key-file", "--admin-tokens", "--audit-mask", "--audit-retain-age",
                "--audit-kafka-bootstrap-servers", "--audit-kafka-topic", "--audit-kafka-mode", "--audit-kafka-timeout",
                "--shutdown-grace"));
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(flagNames(args));
        assertEquals(Set.of(), missing, "the production example with every option should render these flags");
    }
}
