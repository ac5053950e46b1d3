package dev.redline.pdp.server;

import dev.redline.pdp.api.v1.DecisionServiceGrpc;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * gRPC health is SERVING only while every condition holds — e.g. "the decision log is writable"
 * and "a bundle is active". Each part of the server flips its own condition; none can mark the
 * server SERVING while another part says it cannot serve.
 */
final class ServingConditions {
    /** A policy bundle is active, so there is something to decide with. */
    static final String BUNDLE_ACTIVE = "bundle active";

    /** Decisions can be recorded, so they can be answered. */
    static final String DECISION_LOG_WRITABLE = "decision log writable";

    private final HealthStatusManager health;
    private final Map<String, Boolean> conditions = new LinkedHashMap<>();

    ServingConditions(HealthStatusManager health) {
        this.health = health;
    }

    /** Sets a condition and updates health for the whole server and for the decision service. */
    synchronized void set(String condition, boolean holds) {
        conditions.put(condition, holds);
        ServingStatus status = conditions.values().stream().allMatch(Boolean::booleanValue)
                ? ServingStatus.SERVING
                : ServingStatus.NOT_SERVING;
        health.setStatus("", status);
        health.setStatus(DecisionServiceGrpc.SERVICE_NAME, status);
    }
}
