package dev.redline.pdp.bench;

import dev.redline.pdp.sdk.ContractInput;
import dev.redline.pdp.sdk.ContractInput.ActionType;
import dev.redline.pdp.sdk.ContractInput.Autonomy;
import dev.redline.pdp.sdk.ContractInput.Clearance;
import dev.redline.pdp.sdk.ContractInput.Org;
import dev.redline.pdp.sdk.ContractInput.Selector;
import dev.redline.pdp.sdk.ContractInput.Target;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What model-serving code pays to describe a request before asking: building a
 * {@link ContractInput} with the typed builder (which also builds the protobuf Struct sent on
 * the wire). Average time: these calls are far below the timer's resolution for sampling.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
public class ContractInputBenchmark {
    private String subjectId = "analyst-17";

    /** The README's example: inference for logistics on a cloud deployment (one context field). */
    @Benchmark
    public ContractInput buildLogistics() {
        return ContractInput.builder()
                .subject(subjectId, Org.CUSTOMER).clearance(Clearance.NONE)
                .action(ActionType.INFERENCE)
                .deployment("govcloud-east", Target.CLOUD_API)
                .purpose("logistics")
                .build();
    }

    /** A larger request: targeting with a use_of_force block. */
    @Benchmark
    public ContractInput buildTargeting() {
        return ContractInput.builder()
                .subject(subjectId, Org.CUSTOMER).component("army").clearance(Clearance.SECRET)
                .action(ActionType.INFERENCE)
                .model("frontier-2")
                .deployment("govcloud-secret-east", Target.CLOUD_API).platform("datacenter")
                .purpose("targeting")
                .useOfForce(true, Autonomy.HUMAN_IN_THE_LOOP, Selector.HUMAN, "col-smith")
                .build();
    }
}
