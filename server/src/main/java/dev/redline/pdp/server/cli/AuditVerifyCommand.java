package dev.redline.pdp.server.cli;

import dev.redline.pdp.server.audit.chain.AuditKey;
import dev.redline.pdp.server.audit.chain.AuditLogException;
import dev.redline.pdp.server.audit.AuditSettings;
import dev.redline.pdp.server.audit.chain.AuditVerifier;
import dev.redline.pdp.server.audit.chain.VerificationReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pdp audit verify DIR}: checks a log directory and names the first thing wrong. Exit codes:
 * 0 intact, 1 tampering found, 2 the log cannot be checked (no such directory, no key).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check the whole decision log in DIR: every record's hash, link and seq, every segment digest's"
                + " HMAC and link. Names the first record that was edited, deleted, inserted, reordered or truncated,"
                + " or a missing segment or altered digest.",
                "Exit code 0: intact; 1: tampering found; 2: the log cannot be checked."})
final class AuditVerifyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The log directory (the server's --audit-dir).")
    Path dir;

    @Option(names = "--key-file", paramLabel = "FILE", description = "The key the log's digests were sealed with"
            + " (default DIR/" + AuditSettings.DEFAULT_KEY_FILE_NAME + ").")
    Path keyFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(dir)) {
            err.println("pdp audit verify: " + dir + " is not a directory");
            return 2;
        }
        AuditKey key;
        try {
            key = AuditKey.read(keyFile != null ? keyFile : dir.resolve(AuditSettings.DEFAULT_KEY_FILE_NAME));
        } catch (AuditLogException e) {
            err.println("pdp audit verify: " + e.getMessage() + " (pass the log's key with --key-file)");
            return 2;
        }
        VerificationReport report = new AuditVerifier(key).verify(dir);
        report.notes().forEach(note -> out.println("note: " + note));
        if (report.problem().isPresent()) {
            out.println("FAILED: " + report.problem().get().message());
            out.println(report.records() == 1 ? "(the record before it is intact)"
                    : "(the " + report.records() + " records before it are intact)");
            return 1;
        }
        out.println("ok: " + report.segments() + (report.segments() == 1 ? " segment, " : " segments, ")
                + report.records() + (report.records() == 1 ? " record" : " records")
                + (report.records() > 0 ? " (seq " + report.firstSeq() + " to " + report.lastSeq() + ")" : "")
                + ", chain ends in hash " + report.lastHash());
        return 0;
    }
}
