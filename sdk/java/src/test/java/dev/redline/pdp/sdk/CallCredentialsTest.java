package dev.redline.pdp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redline.pdp.server.PdpServer;
import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Call credentials reach the PDP; a PDP that refuses the caller is a deny, not an error. */
class CallCredentialsTest {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @TempDir
    static Path dataDir;

    private static PdpServer pdp;

    /** The real PDP behind an interceptor that admits only {@code Bearer s3cret}. */
    @BeforeAll
    static void start() throws Exception {
        ServerInterceptor bearerOnly = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                if (!"Bearer s3cret".equals(headers.get(AUTHORIZATION))) {
                    call.close(Status.UNAUTHENTICATED.withDescription("bearer token required"), new Metadata());
                    return new ServerCall.Listener<>() {};
                }
                return next.startCall(call, headers);
            }
        };
        pdp = RealPdp.start(dataDir, bearerOnly);
    }

    @AfterAll
    static void stop() {
        pdp.close();
    }

    static CallCredentials bearer(String token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(AUTHORIZATION, "Bearer " + token);
                applier.apply(headers);
            }
        };
    }

    private static PdpClient client(CallCredentials credentials) {
        return PdpClient.builder().target("127.0.0.1:" + pdp.port()).plaintext()
                .defaultDeadline(Duration.ofSeconds(10)).callCredentials(credentials).build();
    }

    @Test
    void theCredentialsAreSentWithEveryCall() {
        try (PdpClient client = client(bearer("s3cret"))) {
            assertTrue(client.decide(SpecExamples.logistics()).allowed());
            assertTrue(client.decideAsync(SpecExamples.logistics()).join().allowed());
        }
    }

    @Test
    void aPdpRefusingTheCallerIsAPdpErrorDenyNamingUnauthenticated() {
        try (PdpClient client = client(bearer("wrong"))) {
            Decision decision = client.decide(SpecExamples.logistics());

            assertFalse(decision.allowed());
            assertEquals(List.of("PDP_ERROR"), decision.violationCodes());
            assertEquals("the PDP answered UNAUTHENTICATED: bearer token required; denied",
                    decision.violations().get(0).message());
        }
    }
}
