package dev.redline.pdp.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pdp audit}: reads and verifies the decision log. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Read the decision log of a running PDP (tail, get) or verify a log directory (verify).",
        subcommands = {AuditTailCommand.class, AuditGetCommand.class, AuditVerifyCommand.class})
final class AuditCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }
}
