package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.OpaBundles;
import dev.redline.pdp.server.harness.RunningPdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Struct;
import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.server.cli.PdpCommand;
import dev.redline.pdp.server.config.PdpConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code pdp bundle push|list|activate|rollback|status} run as an operator runs them, against a
 * real PDP over gRPC, with bundles built by the pinned opa CLI.
 */
class BundleCliEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The admin port takes messages of at most 4 MiB: a bigger bundle passes only in chunks. */
    private static final long ONE_ADMIN_MESSAGE = 4L << 20;

    @TempDir
    static Path bundles;

    private static Path revisionA;
    private static Path revisionB;
    private static Path large;
    private static String largeBlobPrefix;

    @TempDir
    Path dataDir;

    private RunningPdp pdp;
    private StringWriter out;
    private StringWriter err;

    @BeforeAll
    static void buildBundles() throws Exception {
        revisionA = revision("A");
        revisionB = revision("B");
        large = largeBundle();
    }

    private static Path revision(String name) throws Exception {
        return OpaBundles.buildRevision(Files.createDirectories(bundles.resolve(name)),
                Map.of("rev.rego", "package rev\n\ndecision := {\"allow\": true, \"rev\": \"" + name + "\"}\n"),
                "rev-" + name, "rev/decision");
    }

    /** A data.json of 30 MB of random base64, which gzip cannot shrink much: a bundle over 20 MiB. */
    private static Path largeBundle() throws Exception {
        Path dir = Files.createDirectories(bundles.resolve("large"));
        Path src = Files.createDirectories(dir.resolve("src"));
        byte[] random = new byte[22_500_000];
        new Random(42).nextBytes(random);
        String blob = Base64.getEncoder().encodeToString(random);
        largeBlobPrefix = blob.substring(0, 16);
        Files.writeString(src.resolve("data.json"), "{\"large\": {\"blob\": \"" + blob + "\"}}");
        return OpaBundles.buildRevision(dir, Map.of("large.rego",
                "package large\n\ndecision := {\"allow\": true, \"prefix\": substring(data.large.blob, 0, 16)}\n"),
                "rev-large", "large/decision");
    }

    @BeforeEach
    void start() throws Exception {
        // One instance: each instance parses the bundle data into its own Wasm heap.
        pdp = RunningPdp.start(PdpConfig.defaults().withDataDir(dataDir).withInstances(1)
                .withEvalTimeout(Duration.ofSeconds(10)));
    }

    @AfterEach
    void stop() {
        pdp.close();
    }

    /** Runs {@code pdp bundle <args> --address <admin port> --token-file <the PDP's tokens>}. */
    private int bundle(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        List<String> command = new ArrayList<>(List.of("bundle"));
        command.addAll(List.of(args));
        command.addAll(List.of("--address", "127.0.0.1:" + pdp.server.adminPort(),
                "--token-file", dataDir.resolve("admin.tokens").toString()));
        CommandLine cli = PdpCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        return cli.execute(command.toArray(String[]::new));
    }

    private JsonNode printed() throws Exception {
        return JSON.readTree(out.toString());
    }

    private DecideResponse decide(String path) {
        return pdp.decisions().decide(DecideRequest.newBuilder().setPath(path).setInput(Struct.getDefaultInstance()).build());
    }

    @Test
    void pushOfABundleOfMoreThanTwentyMibStreamsItInChunksAndActivatesIt() throws Exception {
        long size = Files.size(large);
        assertTrue(size > 20L << 20, "premise: the bundle is over 20 MiB, got " + size);
        assertTrue(size > ONE_ADMIN_MESSAGE);

        int exit = bundle("push", large.toString(), "--activate");

        assertEquals(0, exit, err.toString());
        JsonNode pushed = printed();
        assertTrue(pushed.path("activated").asBoolean());
        assertEquals("rev-large", pushed.path("bundle").path("revision").asText());
        assertEquals(size, pushed.path("bundle").path("size_bytes").asLong());
        DecideResponse decision = decide("large/decision");
        assertEquals("rev-large", decision.getBundle().getRevision());
        assertEquals(largeBlobPrefix, decision.getResult().getStructValue().getFieldsOrThrow("prefix").getStringValue());
    }

    @Test
    void pushPrintsTheStoredBundleAndWhatWasValidated() throws Exception {
        int exit = bundle("push", revisionA.toString(), "--activate");

        assertEquals(0, exit, err.toString());
        JsonNode pushed = printed();
        assertEquals("rev-A", pushed.path("bundle").path("revision").asText());
        assertEquals("admin", pushed.path("bundle").path("pushed_by").asText());
        assertEquals("bundle.tar.gz", pushed.path("bundle").path("name").asText());
        assertTrue(pushed.path("validated").toString().contains("smoke evaluation of every entrypoint"));
        assertEquals("rev-A", decide("rev/decision").getBundle().getRevision());
    }

    @Test
    void pushOfARefusedBundleNamesTheProblemOnStandardErrorAndExitsOne() throws Exception {
        Path notABundle = Files.writeString(dataDir.resolve("notes.txt"), "not a bundle");

        int exit = bundle("push", notABundle.toString(), "--activate");

        assertEquals(1, exit);
        assertEquals("", out.toString());
        assertEquals("pdp bundle: INVALID_ARGUMENT: bundle notes.txt refused: bundle is not a valid gzipped tar"
                + " archive: Input is not in the .gz format.\n", err.toString());
    }

    @Test
    void listPrintsTheStoredBundlesNewestFirstWithTheActiveOneMarked() throws Exception {
        bundle("push", revisionA.toString(), "--activate");
        bundle("push", revisionB.toString());

        int exit = bundle("list");

        assertEquals(0, exit, err.toString());
        JsonNode listed = printed().path("bundles");
        assertEquals(3, listed.size());
        assertEquals("rev-B", listed.get(0).path("revision").asText());
        assertEquals(false, listed.get(0).path("active").asBoolean());
        assertEquals("rev-A", listed.get(1).path("revision").asText());
        assertEquals(true, listed.get(1).path("active").asBoolean());
        assertEquals("built-in:contract", listed.get(2).path("name").asText());
    }

    @Test
    void activateByDigestThenRollbackSwitchAndReturn() throws Exception {
        bundle("push", revisionA.toString(), "--activate");
        String a = printed().path("bundle").path("digest").asText();
        bundle("push", revisionB.toString());
        String b = printed().path("bundle").path("digest").asText();

        assertEquals(0, bundle("activate", b), err.toString());
        assertEquals(b, printed().path("active").path("digest").asText());
        assertEquals(a, printed().path("previous").path("digest").asText());
        assertEquals("rev-B", decide("rev/decision").getBundle().getRevision());

        assertEquals(0, bundle("rollback"), err.toString());
        assertEquals(a, printed().path("active").path("digest").asText());
        assertEquals("rev-A", decide("rev/decision").getBundle().getRevision());
    }

    @Test
    void statusPrintsTheActiveBundleAndTheLastError() throws Exception {
        bundle("push", revisionA.toString(), "--activate");
        String a = printed().path("bundle").path("digest").asText();
        bundle("activate", "sha256:" + "0".repeat(64));

        int exit = bundle("status");

        assertEquals(0, exit, err.toString());
        JsonNode status = printed();
        assertEquals(a, status.path("active").path("digest").asText());
        assertEquals("no stored bundle has digest sha256:" + "0".repeat(64), status.path("last_error").path("message").asText());
        assertEquals("activate", status.path("last_error").path("source").asText());
    }

    @Test
    void aWrongTokenIsUnauthenticatedAndExitsOne() throws Exception {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = PdpCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));

        int exit = cli.execute("bundle", "list", "--address", "127.0.0.1:" + pdp.server.adminPort(),
                "--token", "not-the-token-0123456789");

        assertEquals(1, exit);
        assertEquals("pdp bundle: UNAUTHENTICATED: the admin token is not recognized\n", err.toString());
    }
}
