package dev.redline.pdp.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code pdp}: the operator's command line. */
@Command(
        name = "pdp",
        mixinStandardHelpOptions = true,
        version = "Redline PDP 0.1.0",
        description = "Policy decision point for AI safety stacks: contract red lines, decided over gRPC.",
        subcommands = {ServeCommand.class, BundleCommand.class, AuditCommand.class, ReplayCommand.class, CommandLine.HelpCommand.class})
public final class PdpCommand {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree, with errors reported as one line naming the problem, not a stack trace. */
    public static CommandLine commandLine() {
        return new CommandLine(new PdpCommand()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("pdp: " + e.getMessage());
            return 2;
        });
    }
}
