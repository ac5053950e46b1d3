package dev.redline.pdp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.server.PdpServer;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the PDP cannot decide, the SDK denies, and never runs the guarded action. */
class FailClosedTest {

    /** The PDP was started and stopped: nothing listens on its port any more. */
    @Nested
    class WhenThePdpIsDown {
        @TempDir
        Path dataDir;

        private PdpClient client() throws Exception {
            return PdpClient.builder().target("127.0.0.1:" + RealPdp.portOfAStoppedPdp(dataDir)).plaintext().build();
        }

        @Test
        void decideDeniesWithPdpUnavailable() throws Exception {
            try (PdpClient client = client()) {
                Decision decision = client.decide(SpecExamples.logistics(), "req-down");

                assertFalse(decision.allowed());
                assertEquals(1, decision.violations().size());
                Violation violation = decision.violations().get(0);
                assertEquals("PDP_UNAVAILABLE", violation.code());
                assertEquals("pdp/fail-closed", violation.clause());
                assertTrue(violation.message().startsWith("the PDP is unreachable (UNAVAILABLE"), violation.message());
                assertEquals(List.of(), decision.obligations());
                assertEquals("req-down", decision.requestId());
                assertEquals("", decision.decisionId());
                assertEquals("", decision.bundleRevision());
                assertTrue(decision.isFailClosed());
            }
        }

        @Test
        void connectReportsThatItCouldNotConnect() throws Exception {
            try (PdpClient client = client()) {
                assertFalse(client.connect(Duration.ofMillis(300)));
            }
        }

        @Test
        void decideAsyncCompletesNormallyWithPdpUnavailable() throws Exception {
            try (PdpClient client = client()) {
                Decision decision = client.decideAsync(SpecExamples.logistics()).join();

                assertFalse(decision.allowed());
                assertEquals(List.of("PDP_UNAVAILABLE"), decision.violationCodes());
            }
        }

        @Test
        void enforceDoesNotRunTheActionAndThrowsPdpUnavailable() throws Exception {
            AtomicBoolean ran = new AtomicBoolean();
            try (PdpClient client = client()) {
                PolicyDeniedException denied = assertThrows(PolicyDeniedException.class,
                        () -> client.enforce(SpecExamples.logistics(), () -> ran.getAndSet(true)));

                assertFalse(ran.get());
                assertEquals(List.of("PDP_UNAVAILABLE"), denied.decision().violationCodes());
            }
        }
    }

    /**
     * The real PDP behind an interceptor that holds every call until the test has its answer (at
     * most 10 s): far beyond the client's 200 ms deadline, without the test depending on timing.
     */
    @Nested
    class WhenThePdpAnswersTooSlowly {
        @TempDir
        Path dataDir;

        private final CountDownLatch release = new CountDownLatch(1);
        private PdpServer sluggish;

        private PdpClient impatientClient() throws Exception {
            ServerInterceptor holdEachCall = new ServerInterceptor() {
                @Override
                public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                        ServerCallHandler<Q, R> next) {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return next.startCall(call, headers);
                }
            };
            sluggish = RealPdp.start(dataDir, holdEachCall);
            return PdpClient.builder().target("127.0.0.1:" + sluggish.port()).plaintext()
                    .defaultDeadline(Duration.ofMillis(200)).build();
        }

        @AfterEach
        void stop() {
            release.countDown();
            if (sluggish != null) {
                sluggish.close();
            }
        }

        @Test
        void decideDeniesWithPdpTimeout() throws Exception {
            try (PdpClient client = impatientClient()) {
                Decision decision = client.decide(SpecExamples.logistics());

                assertFalse(decision.allowed());
                assertEquals(1, decision.violations().size());
                Violation violation = decision.violations().get(0);
                assertEquals("PDP_TIMEOUT", violation.code());
                assertEquals("pdp/fail-closed", violation.clause());
                assertTrue(violation.message().startsWith("the PDP did not answer in time (DEADLINE_EXCEEDED"),
                        violation.message());
                assertTrue(decision.isFailClosed());
            }
        }

        @Test
        void decideAsyncCompletesNormallyWithPdpTimeout() throws Exception {
            try (PdpClient client = impatientClient()) {
                Decision decision = client.decideAsync(SpecExamples.logistics()).join();

                assertEquals(List.of("PDP_TIMEOUT"), decision.violationCodes());
            }
        }

        @Test
        void enforceDoesNotRunTheActionAndThrowsPdpTimeout() throws Exception {
            AtomicBoolean ran = new AtomicBoolean();
            try (PdpClient client = impatientClient()) {
                PolicyDeniedException denied = assertThrows(PolicyDeniedException.class,
                        () -> client.enforce(SpecExamples.logistics(), () -> ran.getAndSet(true)));

                assertFalse(ran.get());
                assertEquals(List.of("PDP_TIMEOUT"), denied.decision().violationCodes());
            }
        }
    }
}
