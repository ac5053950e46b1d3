package dev.redline.pdp.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.server.PdpServer;
import dev.redline.pdp.server.config.PdpConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet example's load driver against two real PDPs on loopback ports. */
class FleetLoadTest {
    @TempDir
    static Path dataDirs;

    private static PdpServer first;
    private static PdpServer second;

    @BeforeAll
    static void start() throws IOException {
        first = start(dataDirs.resolve("first"));
        second = start(dataDirs.resolve("second"));
    }

    private static PdpServer start(Path dataDir) throws IOException {
        return PdpServer.builder(PdpConfig.defaults().withPort(0).withAdminPort(0).withDataDir(dataDir)).start();
    }

    @AfterAll
    static void stop() {
        first.close();
        second.close();
    }

    private static List<String> targets() {
        return List.of("127.0.0.1:" + first.port(), "127.0.0.1:" + second.port());
    }

    private static String revision() {
        return first.activeBundle().orElseThrow().revision();
    }

    @Test
    void everyReplicaGetsDecisionsAndEachIsCountedApart() throws InterruptedException {
        FleetLoad load = new FleetLoad(targets(), 2, null);
        load.run(Duration.ofSeconds(2));
        for (FleetLoad.Replica replica : load.replicas()) {
            assertTrue(replica.decided() > 0, replica.target + " answered");
            assertTrue(replica.allowed.sum() > 0 && replica.denied.sum() > 0, "the sample mix has allows and denies");
            assertEquals(0, replica.failedClosed.sum(), replica.target + " failed closed after answering");
        }
    }

    @Test
    void convergenceIsReportedPerReplicaOnceEachAnswersWithTheRevision() throws InterruptedException {
        FleetLoad load = new FleetLoad(targets(), 1, revision());
        load.run(Duration.ofSeconds(60));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertTrue(load.reportConvergence(new PrintStream(printed, true, StandardCharsets.UTF_8)), printed.toString());
        for (FleetLoad.Replica replica : load.replicas()) {
            assertTrue(replica.convergedAt.get() >= 0, replica.target);
            assertEquals(0, replica.backslid.sum());
        }
        assertEquals(2, printed.toString().lines().filter(l -> l.contains(" on " + revision() + " after ")).count());
    }

    @Test
    void aRevisionNoReplicaServesIsReportedAsNotConverged() throws InterruptedException {
        FleetLoad load = new FleetLoad(targets(), 1, "sha256:not-deployed");
        load.run(Duration.ofSeconds(1));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertFalse(load.reportConvergence(new PrintStream(printed, true, StandardCharsets.UTF_8)));
        assertEquals(2, printed.toString().lines().filter(l -> l.contains("never answered with sha256:not-deployed")).count());
    }

    @Test
    void aReplicaThatIsDownNeverAnswersAndIsNotCountedAsDeciding() throws IOException, InterruptedException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        FleetLoad load = new FleetLoad(List.of("127.0.0.1:" + closedPort), 1, null);
        load.run(Duration.ofSeconds(1));
        FleetLoad.Replica down = load.replicas().get(0);
        assertEquals(0, down.decided());
        assertTrue(down.notReady.sum() > 0, "its fail-closed answers are counted as before its first answer");
    }
}
