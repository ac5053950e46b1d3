package dev.redline.pdp.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.audit.AuditReader;
import dev.redline.pdp.server.audit.AuditSettings;
import dev.redline.pdp.server.audit.chain.AuditKey;
import dev.redline.pdp.server.audit.chain.AuditLogException;
import dev.redline.pdp.server.audit.chain.AuditVerifier;
import dev.redline.pdp.server.audit.chain.VerificationReport;
import dev.redline.pdp.server.bundle.BundleLimits;
import dev.redline.pdp.server.bundle.BundleReader;
import dev.redline.pdp.server.bundle.SignaturePolicy;
import dev.redline.pdp.server.config.Durations;
import dev.redline.pdp.server.decision.PolicyDecider;
import dev.redline.pdp.server.engine.EngineLimits;
import dev.redline.pdp.server.engine.JitSafeJdk;
import dev.redline.pdp.server.engine.LoadedPolicy;
import dev.redline.pdp.server.engine.PolicyEngine;
import dev.redline.pdp.server.policy.ActivationException;
import dev.redline.pdp.server.policy.BundleValidation;
import dev.redline.pdp.server.replay.DecisionSource;
import dev.redline.pdp.server.replay.ReplayCriteria;
import dev.redline.pdp.server.replay.ReplayReport;
import dev.redline.pdp.server.replay.Replayer;
import dev.redline.pdp.server.replay.ReportHtml;
import dev.redline.pdp.server.replay.ReportJson;
import dev.redline.pdp.server.replay.ReportTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pdp replay --bundle CANDIDATE}: asks a candidate bundle the questions the decision log
 * holds and reports what it would have answered differently. Exit codes: 0 no red line opened (or
 * {@code --allow-opening}); 1 a decision logged as deny would be allowed; 2 nothing could be
 * replayed (candidate refused, log unverifiable or unreadable).
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-evaluate logged decisions on a candidate bundle and compare with what was answered.",
                "Reads a log directory (--audit-dir, also a running PDP's: read only, durable records only) or a"
                        + " running PDP's admin API (--address, an admin or reader token).",
                "Exit code 0: no deny→allow change (or --allow-opening); 1: a deny→allow change; 2: cannot replay."})
final class ReplayCommand implements Callable<Integer> {
    static final int OPENS_RED_LINE = 1;
    static final int CANNOT_REPLAY = 2;

    @Option(names = "--bundle", required = true, paramLabel = "FILE",
            description = "The candidate bundle (opa build -t wasm ...), validated as a push validates it.")
    Path bundle;

    @Option(names = "--audit-dir", paramLabel = "DIR",
            description = "Read this log directory (the server's --audit-dir) instead of the admin API.")
    Path auditDir;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "The key the log was sealed with (default DIR/" + AuditSettings.DEFAULT_KEY_FILE_NAME + ").")
    Path keyFile;

    @Option(names = "--unverified", description = "Replay a log directory that does not verify (or without its key).")
    boolean unverified;

    @Mixin
    AuditClientOptions client;

    @Option(names = "--since", paramLabel = "TIME", description = "Only decisions at or after this ISO-8601 time.")
    Instant since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only decisions before this ISO-8601 time.")
    Instant until;

    @Option(names = "--last", paramLabel = "DURATION", description = "Only decisions of the last DURATION, e.g. 24h"
            + " (instead of --since).")
    String last;

    @Option(names = "--path", paramLabel = "ENTRYPOINT", description = "Only decisions on this entrypoint, e.g."
            + " contract/decision.")
    String path;

    @Option(names = "--limit", paramLabel = "N", description = "Only the newest N records of the log (default 0: all).")
    int limit;

    @Option(names = "--examples", paramLabel = "N", description = "Example decision ids per kind of change (default 5).")
    int examples = 5;

    @Option(names = "--instances", paramLabel = "N", description = "Candidate instances evaluating in parallel"
            + " (default: CPU count - 1, at least 1).")
    Integer instances;

    @Option(names = "--eval-timeout", paramLabel = "DURATION",
            description = "Longest evaluation of one record (default 5s).")
    String evalTimeout = "5s";

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean asJson;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write the report as a self-contained HTML page.")
    Path html;

    @Option(names = "--allow-opening", description = "Exit 0 even when a decision logged as deny would be allowed.")
    boolean allowOpening;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            JitSafeJdk.requireSafe();
        } catch (JitSafeJdk.UnsafeJdkException e) {
            return cannot(err, e.getMessage());
        }
        if (last != null && since != null) {
            return cannot(err, "give --since or --last, not both");
        }
        ReplayCriteria criteria;
        try {
            Optional<Instant> from = last != null ? Optional.of(Instant.now().minus(Durations.parse(last)))
                    : Optional.ofNullable(since);
            criteria = new ReplayCriteria(from, Optional.ofNullable(until), Optional.ofNullable(path), limit);
        } catch (IllegalArgumentException e) {
            return cannot(err, e.getMessage());
        }
        ObjectMapper json = new ObjectMapper();
        Optional<DecisionSource> source = source(json, err);
        if (source.isEmpty()) {
            return CANNOT_REPLAY;
        }
        byte[] archive;
        try {
            archive = Files.readAllBytes(bundle);
        } catch (NoSuchFileException e) {
            return cannot(err, "bundle file " + bundle + " does not exist");
        }
        EngineLimits defaults = EngineLimits.defaults();
        EngineLimits limits = new EngineLimits(instances != null ? instances : defaults.instances(),
                Durations.parse(evalTimeout), Durations.parse(evalTimeout), Integer.MAX_VALUE, defaults.maxMemoryBytes());
        ReplayReport report;
        try (PolicyEngine engine = new PolicyEngine(limits, json)) {
            BundleValidation validation = new BundleValidation(
                    new BundleReader(json, BundleLimits.defaults(), SignaturePolicy.none()), engine);
            try (LoadedPolicy candidate = validation.load(bundle.getFileName().toString(), archive)) {
                long start = System.nanoTime();
                report = new Replayer(new PolicyDecider(engine, json), json).replay(candidate, source.get(), criteria,
                        limits.instances(), examples);
                long elapsedMillis = Math.max(1, (System.nanoTime() - start) / 1_000_000);
                // on stderr: the report itself stays the same from run to run
                err.printf("pdp replay: %d records evaluated in %d ms on %d instances (%d records/s)%n",
                        report.evaluated(), elapsedMillis, limits.instances(), report.evaluated() * 1000 / elapsedMillis);
            } catch (ActivationException e) {
                return cannot(err, e.getMessage());
            } catch (IOException e) {
                return cannot(err, "the decision log cannot be read: " + e.getMessage());
            }
        }
        if (asJson) {
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(ReportJson.of(report, json)));
        } else {
            out.print(ReportTable.of(report));
        }
        if (html != null) {
            Files.writeString(html, ReportHtml.of(report), StandardCharsets.UTF_8);
        }
        out.flush();
        if (report.opensRedLine() && !allowOpening) {
            err.println("pdp replay: " + report.of(dev.redline.pdp.server.replay.ChangeKind.DENY_TO_ALLOW).count()
                    + " decision(s) logged as deny would be allowed by " + bundle.getFileName()
                    + " (pass --allow-opening to accept that)");
            err.flush();
            return OPENS_RED_LINE;
        }
        return 0;
    }

    /** The log to read: a directory (verified first, unless told not to), or the admin API. */
    private Optional<DecisionSource> source(ObjectMapper json, PrintWriter err) throws IOException {
        if (auditDir == null) {
            return Optional.of(new AdminDecisionSource(client, json));
        }
        if (!Files.isDirectory(auditDir)) {
            cannot(err, auditDir + " is not a directory");
            return Optional.empty();
        }
        AuditReader reader = new AuditReader(auditDir, (segment, fileBytes) -> fileBytes);
        if (!unverified) {
            AuditKey key;
            try {
                key = AuditKey.read(keyFile != null ? keyFile : auditDir.resolve(AuditSettings.DEFAULT_KEY_FILE_NAME));
            } catch (AuditLogException e) {
                cannot(err, e.getMessage() + " (pass the log's key with --key-file, or --unverified)");
                return Optional.empty();
            }
            VerificationReport verified = new AuditVerifier(key).verify(auditDir);
            if (verified.problem().isPresent()) {
                cannot(err, "the decision log in " + auditDir + " does not verify: "
                        + verified.problem().get().message() + " (pass --unverified to replay it anyway)");
                return Optional.empty();
            }
            // a live log grows while we read: replay only what was verified
            long verifiedUpTo = verified.lastSeq();
            DecisionSource all = DecisionSource.of(reader);
            return Optional.of((criteria, sink) -> all.forEach(criteria, d -> d.seq() > verifiedUpTo || sink.test(d)));
        }
        // read only, no lock taken: complete lines only (an unterminated one is still being written)
        return Optional.of(DecisionSource.of(reader));
    }

    private static int cannot(PrintWriter err, String message) {
        err.println("pdp replay: " + message);
        err.flush();
        return CANNOT_REPLAY;
    }
}
