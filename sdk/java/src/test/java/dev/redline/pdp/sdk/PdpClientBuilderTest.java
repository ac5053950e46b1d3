package dev.redline.pdp.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the builder accepts and refuses; none of these connect. */
class PdpClientBuilderTest {
    private final ManagedChannel channel = ManagedChannelBuilder.forTarget("localhost:9191").usePlaintext().build();

    @AfterEach
    void shutdown() {
        channel.shutdownNow();
    }

    @Test
    void theDefaultDeadlineIs500Milliseconds() {
        try (PdpClient client = PdpClient.builder().target("localhost:9191").build()) {
            assertEquals(Duration.ofMillis(500), client.deadline());
        }
    }

    @Test
    void aTargetOrAChannelIsRequired() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PdpClient.builder().build());

        assertEquals("set target(\"host:port\") or channel(...)", e.getMessage());
    }

    @Test
    void aTargetAndAChannelTogetherAreRefused() {
        assertThrows(IllegalStateException.class,
                () -> PdpClient.builder().target("localhost:9191").channel(channel).build());
    }

    @Test
    void transportSecurityForAChannelPassedInIsRefused() {
        assertThrows(IllegalStateException.class, () -> PdpClient.builder().channel(channel).plaintext().build());
    }

    @Test
    void aDeadlineThatIsNotPositiveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PdpClient.builder().defaultDeadline(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> PdpClient.builder().defaultDeadline(Duration.ofMillis(-1)));
    }
}
