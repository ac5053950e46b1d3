package dev.redline.pdp.server.lifecycle;

import dev.redline.pdp.server.audit.chain.AuditLog;
import io.grpc.Server;
import io.grpc.protobuf.services.HealthStatusManager;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How a PDP stops, in this order, within one grace period:
 * <ol>
 *   <li>health says NOT_SERVING, for the server and for every service, so load balancers and
 *       Kubernetes stop sending calls;</li>
 *   <li>new calls are refused {@code UNAVAILABLE} ({@link CallGate#DRAINING}), and the bundle poller
 *       stops;</li>
 *   <li>calls in flight finish: each is answered only once its record is durable, as always;</li>
 *   <li>the ports close, and the decision log writes what is queued and a {@code stopped} record
 *       as its last, so the next start knows the run ended cleanly;</li>
 *   <li>the engine and the other resources are released.</li>
 * </ol>
 * When the grace period runs out first, calls still in flight are cut without an answer and the log
 * is closed without the stopped record: nothing that is not durable is acknowledged, and the next
 * start says the run did not stop cleanly.
 */
public final class Drain {
    private static final Logger LOG = Logger.getLogger(Drain.class.getName());

    /**
     * @param drained every call let in was answered (or failed) and the stopped record is durable
     * @param callsCut calls still in flight when the grace period ran out (cut without an answer)
     * @param took how long the drain took
     */
    public record Outcome(boolean drained, int callsCut, Duration took) {}

    private final HealthStatusManager health;
    private final CallGate gate;
    private final List<AutoCloseable> stopFirst;
    private final List<Server> servers;
    private final Optional<AuditLog> log;
    private final List<AutoCloseable> releaseLast;
    private Outcome outcome;

    /**
     * @param stopFirst what stops taking work as the gate closes (the bundle poller)
     * @param servers the gRPC servers whose calls pass {@code gate}
     * @param releaseLast what is released once the log is closed, in order
     */
    public Drain(HealthStatusManager health, CallGate gate, List<AutoCloseable> stopFirst, List<Server> servers,
            Optional<AuditLog> log, List<AutoCloseable> releaseLast) {
        this.health = health;
        this.gate = gate;
        this.stopFirst = List.copyOf(stopFirst);
        this.servers = List.copyOf(servers);
        this.log = log;
        this.releaseLast = List.copyOf(releaseLast);
    }

    /** Whether the drain has begun: health says NOT_SERVING and new calls are refused. */
    public boolean begun() {
        return gate.isClosed();
    }

    /** Drains within {@code grace}; a second call waits for the first and returns its outcome. */
    public synchronized Outcome run(Duration grace) {
        if (outcome != null) {
            return outcome;
        }
        long start = System.nanoTime();
        long deadline = start + grace.toNanos();
        health.enterTerminalState();
        gate.close();
        stopFirst.forEach(Drain::closeQuietly);

        boolean idle;
        try {
            idle = gate.awaitIdle(left(deadline));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            idle = false;
        }
        int cut = idle ? 0 : gate.inFlight();
        // only calls the gate refuses, health watches and reflection are left: none needs to finish
        servers.forEach(Server::shutdownNow);
        for (Server server : servers) {
            try {
                server.awaitTermination(left(deadline).toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        boolean stopped = true;
        if (log.isPresent()) {
            if (idle) {
                stopped = log.get().stop(left(deadline));
            } else {
                log.get().close();
            }
        }
        releaseLast.forEach(Drain::closeQuietly);
        outcome = new Outcome(idle && stopped, cut, Duration.ofNanos(System.nanoTime() - start));
        return outcome;
    }

    private static Duration left(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "closing " + resource + " failed while stopping", e);
        }
    }
}
