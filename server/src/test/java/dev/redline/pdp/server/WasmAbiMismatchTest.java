package dev.redline.pdp.server;

import dev.redline.pdp.server.harness.AdminCalls;
import dev.redline.pdp.server.harness.ContractCase;
import dev.redline.pdp.server.harness.OpaBundles;
import dev.redline.pdp.server.harness.PolicyWasm;
import dev.redline.pdp.server.harness.RunningPdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * opa-java-wasm loads OPA Wasm ABI 1.3 only. A policy.wasm of another ABI fails the build
 * (policies/tools/CheckWasmAbi.java, run by policies/build.sh) and is refused at load time by
 * the server, each with a message naming the ABI found, the one required and the fix.
 */
class WasmAbiMismatchTest {
    private static final String REQUIRED_ABI = "1.3";

    @TempDir
    static Path work;

    private static byte[] abi12Bundle;

    @BeforeAll
    static void buildABundleDeclaringAbi12() throws Exception {
        Path built = OpaBundles.build(work.resolve("abi"),
                Map.of("abi.rego", "package abi\n\ndecision := {\"allow\": true}\n"), "abi/decision");
        abi12Bundle = PolicyWasm.withAbiMinor(Files.readAllBytes(built), 2);
    }

    @Test
    void aPushedBundleOfAnotherAbiMinorIsRefusedNamingBothAbisAndTheActiveBundleKeepsDeciding(@TempDir Path dataDir)
            throws Exception {
        try (RunningPdp pdp = RunningPdp.start(PdpConfig.defaults().withDataDir(dataDir));
                AdminCalls admin = AdminCalls.forPdp(pdp.server, dataDir)) {
            String before = pdp.server.activeBundle().orElseThrow().digest();

            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> admin.push("abi-1.2.tar.gz", abi12Bundle, true));

            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("policy.wasm has OPA Wasm ABI 1.2; this PDP"
                    + " (opa-java-wasm) evaluates ABI 1.3 only. Rebuild the bundle with the opa release pinned in"
                    + " pom.xml (opa.version)"), e.getStatus().getDescription());
            assertEquals(before, pdp.server.activeBundle().orElseThrow().digest());
            assertTrue(pdp.decisions().decide(DecideRequest.newBuilder()
                    .setInput(ContractCase.named("allowed-logistics").input()).build()).getAllow());
        }
    }

    @Test
    void theBuildCheckFailsOnABundleOfAnotherAbiMinorNamingFoundRequiredAndTheFix() throws Exception {
        Path bundle = Files.write(work.resolve("abi-1.2.tar.gz"), abi12Bundle);

        Result result = runBuildCheck(bundle);

        assertEquals(1, result.exitCode());
        assertEquals("policy.wasm has OPA Wasm ABI 1.2, but the PDP's Wasm runtime (opa-java-wasm) loads ABI 1.3"
                + " only. opa v1.22.2 produced it: set opa.version in pom.xml to an OPA release whose Wasm output"
                + " has ABI 1.3 and rebuild.\n", result.stderr());
    }

    @Test
    void theBuildCheckPassesTheBuiltInBundle() throws Exception {
        Path bundle = work.resolve("contract.tar.gz");
        try (InputStream builtIn = getClass().getResourceAsStream("/bundles/contract.tar.gz")) {
            Files.copy(builtIn, bundle);
        }

        Result result = runBuildCheck(bundle);

        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("policy.wasm has OPA Wasm ABI 1.3, the one opa-java-wasm loads\n", result.stdout());
    }

    private record Result(int exitCode, String stdout, String stderr) {}

    /** Runs the check exactly as policies/build.sh does: a single Java source file on this JDK. */
    private static Result runBuildCheck(Path bundle) throws Exception {
        Path policies = Path.of(System.getProperty("pdp.policies.src")).getParent();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path stdout = Files.createTempFile(work, "out", ".txt");
        Path stderr = Files.createTempFile(work, "err", ".txt");
        Process process = new ProcessBuilder(List.of(java.toString(),
                policies.resolve("tools/CheckWasmAbi.java").toString(), bundle.toString(), REQUIRED_ABI, "v1.22.2"))
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        int exitCode = process.waitFor();
        return new Result(exitCode, Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
