package dev.redline.pdp.server.metrics;

import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Counts the calls on the decision port that ended in an error, by method and gRPC status. One
 * stateless tracer per method is made once and handed to each of its calls, and its series are
 * bound per status code, so counting a call allocates nothing here.
 */
final class CallStatusMetrics extends ServerStreamTracer.Factory {
    static final int MAX_METHODS = 32;

    private final BoundedLabels<MethodTracer> methods;

    CallStatusMetrics(PrometheusRegistry registry) {
        Counter errors = Counter.builder().name("pdp_grpc_errors_total")
                .help("Calls on the decision port that ended with a status other than OK, by full method name and"
                        + " status code. Items of a DecideBatch that fail are not calls and are not counted here.")
                .labelNames("method", "code").register(registry);
        this.methods = new BoundedLabels<>(MAX_METHODS, method -> new MethodTracer(errors, method));
    }

    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        return methods.of(fullMethodName);
    }

    private static final class MethodTracer extends ServerStreamTracer {
        private final CounterDataPoint[] byCode;

        MethodTracer(Counter errors, String method) {
            Status.Code[] codes = Status.Code.values();
            byCode = new CounterDataPoint[codes.length];
            for (Status.Code code : codes) {
                byCode[code.ordinal()] = errors.labelValues(method, code.name());
            }
        }

        @Override
        public void streamClosed(Status status) {
            if (!status.isOk()) {
                byCode[status.getCode().ordinal()].inc();
            }
        }
    }
}
