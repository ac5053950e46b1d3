package dev.redline.pdp.bench;

import dev.redline.pdp.api.v1.DecideRequest;
import dev.redline.pdp.api.v1.DecideResponse;
import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import dev.redline.pdp.sdk.ContractInput;
import dev.redline.pdp.sdk.Decision;
import dev.redline.pdp.sdk.PdpClient;
import dev.redline.pdp.server.PdpServer;
import dev.redline.pdp.server.config.PdpConfig;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the SDK adds to a call: {@code PdpClient.decide(ContractInput)} against the raw generated
 * blocking stub sending the same request. The difference is the SDK's overhead (a stub with a
 * deadline per call, the request, the response mapped to a {@link Decision}).
 *
 * <ul>
 *   <li>{@code inProcess*}: over grpc-inprocess to a service that answers with the PDP's own
 *       response for the case, captured at setup: no network and no policy, so the SDK's few
 *       microseconds are not lost in the noise of a real call;
 *   <li>{@code loopback*}: to a real {@link PdpServer} on a loopback port in the same JVM, end to
 *       end as a Java caller sees it.
 * </ul>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
public class SdkBenchmark {
    @Param({"allowed-logistics", "denied-autonomous-targeting"})
    public String contractCase;

    private Path dataDir;
    private PdpServer pdp;
    private ManagedChannel loopbackChannel;
    private PdpClient loopbackClient;
    private DecisionServiceGrpc.DecisionServiceBlockingStub loopbackStub;
    private Server cannedServer;
    private ManagedChannel inProcessChannel;
    private PdpClient inProcessClient;
    private DecisionServiceGrpc.DecisionServiceBlockingStub inProcessStub;
    private ContractInput input;
    private DecideRequest request;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        input = ContractCases.contractInput(contractCase);
        request = DecideRequest.newBuilder().setPath(ContractCases.CONTRACT_PATH).setInput(input.toStruct()).build();

        dataDir = Files.createTempDirectory("pdp-bench-");
        pdp = PdpServer.builder(PdpConfig.defaults().withPort(0).withAdminPort(0).withDataDir(dataDir)).start();
        loopbackChannel = ManagedChannelBuilder.forTarget("127.0.0.1:" + pdp.port()).usePlaintext().build();
        // A long deadline: a call's cost does not depend on it, and a cold first call on a busy
        // core must not become a fail-closed PDP_TIMEOUT that the benchmark would then time.
        loopbackClient = PdpClient.builder().channel(loopbackChannel).defaultDeadline(Duration.ofSeconds(10)).build();
        loopbackStub = DecisionServiceGrpc.newBlockingStub(loopbackChannel);
        for (int i = 0; i < 100; i++) { // connect and wake the server before checking
            loopbackRawStubDecide();
            loopbackSdkDecide();
        }

        DecideResponse canned = loopbackRawStubDecide();
        String name = "pdp-bench-" + System.nanoTime();
        cannedServer = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new DecisionServiceGrpc.DecisionServiceImplBase() {
                    @Override
                    public void decide(DecideRequest ignored, StreamObserver<DecideResponse> answer) {
                        answer.onNext(canned);
                        answer.onCompleted();
                    }
                })
                .build().start();
        inProcessChannel = InProcessChannelBuilder.forName(name).directExecutor().build();
        inProcessClient = PdpClient.builder().channel(inProcessChannel).defaultDeadline(Duration.ofSeconds(10)).build();
        inProcessStub = DecisionServiceGrpc.newBlockingStub(inProcessChannel);

        boolean expected = ContractCases.expectedAllow(contractCase);
        check("loopback SDK", loopbackSdkDecide(), expected);
        check("in-process SDK", inProcessSdkDecide(), expected);
        if (loopbackRawStubDecide().getAllow() != expected || inProcessRawStubDecide().getAllow() != expected) {
            throw new IllegalStateException(contractCase + ": the raw stub did not answer allow=" + expected);
        }
    }

    private void check(String what, Decision decision, boolean expected) {
        if (decision.isFailClosed() || decision.allowed() != expected) {
            throw new IllegalStateException(contractCase + ": expected allow=" + expected + ", the " + what
                    + " answered " + decision);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, InterruptedException {
        inProcessChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        cannedServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        loopbackChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        pdp.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Benchmark
    public Decision inProcessSdkDecide() {
        return inProcessClient.decide(input);
    }

    @Benchmark
    public DecideResponse inProcessRawStubDecide() {
        return inProcessStub.decide(request);
    }

    @Benchmark
    public Decision loopbackSdkDecide() {
        return loopbackClient.decide(input);
    }

    @Benchmark
    public DecideResponse loopbackRawStubDecide() {
        return loopbackStub.decide(request);
    }
}
