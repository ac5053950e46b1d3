package dev.redline.pdp.server.cli;

import dev.redline.pdp.server.audit.chain.AuditKey;
import dev.redline.pdp.server.audit.chain.AuditLogException;
import dev.redline.pdp.server.audit.AuditSettings;
import dev.redline.pdp.server.audit.chain.AuditVerifier;
import dev.redline.pdp.server.audit.chain.VerificationReport;
import dev.redline.pdp.server.audit.shipping.TopicReadException;
import dev.redline.pdp.server.audit.shipping.TopicVerifier;
import dev.redline.pdp.server.audit.shipping.TopicVerifier.ChainReport;
import dev.redline.pdp.server.config.Durations;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pdp audit verify DIR}, or {@code --kafka BROKERS --topic T}: checks a log directory, or
 * every chain shipped to a topic, and names the first thing wrong. Exit codes: 0 intact, 1
 * tampering found, 2 the log cannot be checked (no such directory, no key, topic unreadable).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check the whole decision log in DIR: every record's hash, link and seq, every segment digest's"
                + " HMAC and link. Names the first record that was edited, deleted, inserted, reordered or truncated,"
                + " or a missing segment or altered digest.",
                "With --kafka and --topic, check every replica's chain shipped to the topic the same way, and say per"
                + " chain where it ends.",
                "Exit code 0: intact; 1: tampering found; 2: the log cannot be checked."})
final class AuditVerifyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", arity = "0..1", description = "The log directory (the server's --audit-dir).")
    Path dir;

    @Option(names = "--key-file", paramLabel = "FILE", description = "The key the log's digests were sealed with"
            + " (default DIR/" + AuditSettings.DEFAULT_KEY_FILE_NAME + "). With --kafka: required, once per key the"
            + " replicas use; each chain is checked with the key its digests name.")
    List<Path> keyFiles = new ArrayList<>();

    @Option(names = "--kafka", paramLabel = "BROKERS", description = "Verify from Kafka: the bootstrap servers,"
            + " host:port,...")
    String kafka;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "With --kafka: the topic the replicas ship to.")
    String topic;

    @Option(names = "--kafka-timeout", paramLabel = "DURATION", description = "With --kafka: longest wait for the"
            + " topic to answer (default 30s).")
    String kafkaTimeout = "30s";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (kafka != null || topic != null) {
            return verifyTopic();
        }
        if (dir == null) {
            err.println("pdp audit verify: name the log directory DIR, or --kafka BROKERS --topic TOPIC");
            return 2;
        }
        if (keyFiles.size() > 1) {
            err.println("pdp audit verify: a log directory is sealed with one key; pass --key-file once");
            return 2;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isDirectory(dir)) {
            err.println("pdp audit verify: " + dir + " is not a directory");
            return 2;
        }
        AuditKey key;
        try {
            key = AuditKey.read(keyFiles.isEmpty() ? dir.resolve(AuditSettings.DEFAULT_KEY_FILE_NAME) : keyFiles.get(0));
        } catch (AuditLogException e) {
            err.println("pdp audit verify: " + e.getMessage() + " (pass the log's key with --key-file)");
            return 2;
        }
        VerificationReport report = new AuditVerifier(key).verify(dir);
        report.notes().forEach(note -> out.println("note: " + note));
        if (report.problem().isPresent()) {
            out.println("FAILED: " + report.problem().get().message());
            out.println(intactBefore(report));
            return 1;
        }
        out.println("ok: " + summary(report));
        return 0;
    }

    private int verifyTopic() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (kafka == null || topic == null || dir != null) {
            err.println("pdp audit verify: verifying from Kafka takes both --kafka BROKERS and --topic TOPIC, and no DIR");
            return 2;
        }
        if (keyFiles.isEmpty()) {
            err.println("pdp audit verify: with --kafka pass each replica's key with --key-file (the digests are sealed"
                    + " with it)");
            return 2;
        }
        List<AuditKey> keys = new ArrayList<>();
        for (Path file : keyFiles) {
            try {
                keys.add(AuditKey.read(file));
            } catch (AuditLogException e) {
                err.println("pdp audit verify: " + e.getMessage());
                return 2;
            }
        }
        List<ChainReport> chains;
        try {
            chains = new TopicVerifier(keys).verify(kafka, topic, Durations.parse(kafkaTimeout));
        } catch (TopicReadException e) {
            err.println("pdp audit verify: " + e.getMessage());
            return 2;
        }
        if (chains.isEmpty()) {
            out.println("ok: topic " + topic + " holds no chain");
            return 0;
        }
        int failed = 0;
        for (ChainReport chain : chains) {
            String name = "chain " + chain.chain();
            chain.report().notes().forEach(note -> out.println(name + ": note: " + note));
            if (chain.redelivered() > 0) {
                out.println(name + ": note: " + chain.redelivered() + " messages were exact repeats of records already"
                        + " read (sent again after a restart of the shipper) and were counted once");
            }
            if (chain.report().problem().isPresent()) {
                failed++;
                out.println(name + ": FAILED: " + chain.report().problem().get().message()
                        + chain.where().map(w -> " [" + w + "]").orElse(""));
                out.println(name + ": " + intactBefore(chain.report()));
            } else {
                out.println(name + ": ok: " + summary(chain.report()));
            }
        }
        out.println((failed == 0 ? "ok: " : "FAILED: ") + chains.size() + (chains.size() == 1 ? " chain" : " chains")
                + " in topic " + topic + (failed == 0 ? ", all intact" : ", " + failed + " with tampering"));
        return failed == 0 ? 0 : 1;
    }

    private static String intactBefore(VerificationReport report) {
        return report.records() == 1 ? "(the record before it is intact)"
                : "(the " + report.records() + " records before it are intact)";
    }

    private static String summary(VerificationReport report) {
        return report.segments() + (report.segments() == 1 ? " segment, " : " segments, ")
                + report.records() + (report.records() == 1 ? " record" : " records")
                + (report.records() > 0 ? " (seq " + report.firstSeq() + " to " + report.lastSeq() + ")" : "")
                + ", chain ends in hash " + report.lastHash();
    }
}
