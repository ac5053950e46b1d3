package dev.redline.pdp.server.cli;

import com.google.protobuf.util.JsonFormat;
import dev.redline.pdp.api.v1.DecisionRecord;
import dev.redline.pdp.api.v1.GetDecisionRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pdp audit get ID}: prints one decision record as JSON. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = "Print the record of one decision (by the decision_id it was answered with) as JSON.")
final class AuditGetCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DECISION_ID", description = "The decision id.")
    String decisionId;

    @Mixin
    AuditClientOptions client;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ManagedChannel channel = client.channel();
        try {
            DecisionRecord record = client.stub(channel)
                    .getDecision(GetDecisionRequest.newBuilder().setDecisionId(decisionId).build());
            spec.commandLine().getOut().println(JsonFormat.printer().omittingInsignificantWhitespace().print(record));
            return 0;
        } catch (StatusRuntimeException e) {
            spec.commandLine().getErr().println("pdp audit get: " + StatusLine.of(e));
            return 1;
        } finally {
            AuditClientOptions.close(channel);
        }
    }
}
