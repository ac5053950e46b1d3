package dev.redline.pdp.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.redline.pdp.server.PdpServer;
import dev.redline.pdp.server.audit.AuditSettings;
import dev.redline.pdp.server.audit.chain.SyncMode;
import dev.redline.pdp.server.config.ConfigFile;
import dev.redline.pdp.server.config.PdpConfig;
import dev.redline.pdp.server.lifecycle.Drain;
import dev.redline.pdp.server.tls.TlsReloadEvents;
import dev.redline.pdp.server.tls.TlsSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pdp serve}: starts the PDP and serves until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the PDP on the built-in contract bundle, or on --bundle FILE.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config file; flags override it.")
    Path config;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Address to listen on (default 127.0.0.1).")
    String bind;

    @Option(names = "--port", description = "Port to listen on (default " + PdpConfig.DEFAULT_PORT + "; 0 picks one).")
    Integer port;

    @Option(names = "--bundle", paramLabel = "FILE", description = "OPA Wasm bundle (opa build -t wasm) to serve instead of the built-in contract.")
    Path bundle;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Bundle store and admin tokens (default ./pdp-data).")
    Path dataDir;

    @Option(names = "--admin-port", description = "Port of the policy admin API (default: --port + 1).")
    Integer adminPort;

    @Option(names = "--metrics-port", description = "Serve Prometheus metrics at /metrics on this port, bound like --bind (default: off; 0 picks one).")
    Integer metricsPort;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION", description = "On SIGTERM, how long calls in flight may"
            + " take to finish before they are cut and the PDP exits non-zero (default 10s).")
    String shutdownGrace;

    @Option(names = "--allow-readable-secrets", description = "Start, with a warning, even when the admin tokens file or"
            + " the decision-log key is readable by group or others (default: refuse).")
    Boolean allowReadableSecrets;

    @Option(names = "--admin-tokens", paramLabel = "FILE", description = "Admin tokens, lines NAME ROLE TOKEN (default <data-dir>/admin.tokens, created if missing).")
    Path adminTokens;

    @Option(names = "--keep-bundles", paramLabel = "N", description = "Bundles kept in the store (default 10).")
    Integer keepBundles;

    @Option(names = "--max-bundle-bytes", paramLabel = "BYTES", description = "Largest bundle archive, compressed, pushed or polled (default 64 MiB).")
    Long maxBundleBytes;

    @Option(names = "--max-bundle-expanded-bytes", paramLabel = "BYTES", description = "Largest total size of a bundle's files once decompressed (default 256 MiB).")
    Long maxBundleExpandedBytes;

    @Option(names = "--max-bundle-file-bytes", paramLabel = "BYTES", description = "Largest single file in a bundle once decompressed (default 128 MiB).")
    Long maxBundleFileBytes;

    @Option(names = "--max-bundle-files", paramLabel = "N", description = "Most files in a bundle (default 10000).")
    Integer maxBundleFiles;

    @Option(names = "--verification-key", paramLabel = "ID:ALG:FILE", description = "A key bundle signatures may use, e.g. ci:RS256:ci.pub.pem (repeatable).")
    java.util.List<String> verificationKeys;

    @Option(names = "--require-signatures", description = "Refuse bundles that are not signed with a configured key.")
    Boolean requireSignatures;

    @Option(names = "--bundle-url", paramLabel = "URL", description = "Poll this HTTP(S) URL for bundles (OPA bundle service protocol).")
    java.net.URI bundleUrl;

    @Option(names = "--poll-min-delay", paramLabel = "DURATION", description = "Shortest wait between polls (default 10s).")
    String pollMinDelay;

    @Option(names = "--poll-max-delay", paramLabel = "DURATION", description = "Longest wait between polls (default 30s).")
    String pollMaxDelay;

    @Option(names = "--bundle-url-token-file", paramLabel = "FILE", description = "Bearer token sent to the bundle server.")
    Path bundleUrlTokenFile;

    @Option(names = "--instances", description = "Policy instances evaluating in parallel, each on its own decision thread (default: CPU count - 1, at least 1).")
    Integer instances;

    @Option(names = "--eval-timeout", paramLabel = "DURATION", description = "Longest evaluation, e.g. 200ms (default 200ms).")
    String evalTimeout;

    @Option(names = "--queue-timeout", paramLabel = "DURATION", description = "Longest wait for a free policy instance (default 1s).")
    String queueTimeout;

    @Option(names = "--max-input-bytes", paramLabel = "BYTES", description = "Largest input document as JSON (default 1 MiB).")
    Integer maxInputBytes;

    @Option(names = "--max-memory-bytes", paramLabel = "BYTES", description = "Wasm memory cap per instance (default 256 MiB).")
    Long maxMemoryBytes;

    @Option(names = "--max-batch", paramLabel = "N", description = "Most requests in one DecideBatch (default 128).")
    Integer maxBatch;

    @Option(names = "--max-batch-bytes", paramLabel = "BYTES",
            description = "Most bytes one DecideBatch's requests may hold together (default 4 MiB).")
    Integer maxBatchBytes;

    @Option(names = "--max-client-concurrency", paramLabel = "N", description = "Most decisions one client (principal,"
            + " else address) may have in flight, a batch counting its items; 0 for no limit (default 64).")
    Integer maxClientConcurrency;

    @Option(names = "--audit-dir", paramLabel = "DIR", description = "Decision log directory (default ./pdp-data/audit).")
    Path auditDir;

    @Option(names = "--no-audit", description = "For benchmarking only: turn the decision log off, so decisions are"
            + " answered unlogged (no evidence of them, no fail-closed on a broken log).")
    boolean noAudit;

    @Option(names = "--audit-key-file", paramLabel = "FILE", description = "HMAC key sealing log segments (default <audit-dir>/audit.key, generated on first start).")
    Path auditKeyFile;

    @Option(names = "--audit-segment-bytes", paramLabel = "BYTES", description = "Seal a log segment at this size (default 64 MiB).")
    Long auditSegmentBytes;

    @Option(names = "--audit-segment-age", paramLabel = "DURATION", description = "Seal a log segment this long after its first record (default 1h).")
    String auditSegmentAge;

    @Option(names = "--audit-retain-bytes", paramLabel = "BYTES", description = "Delete the oldest sealed segments while the log is larger (default 0: keep all).")
    Long auditRetainBytes;

    @Option(names = "--audit-retain-age", paramLabel = "DURATION", description = "Delete sealed segments older than this, e.g. 365d (default 0s: keep all).")
    String auditRetainAge;

    @Option(names = "--gate", description = "Every activating push first passes the impact gate (as with pdp bundle"
            + " push --gate).")
    Boolean gate;

    @Option(names = "--gate-window", paramLabel = "DURATION", description = "How far back the impact gate replays"
            + " logged decisions (default 24h).")
    String gateWindow;

    @Option(names = "--gate-max-decisions", paramLabel = "N", description = "The newest N logged decisions of the"
            + " window at most (default 100000).")
    Integer gateMaxDecisions;

    @Option(names = "--shadow-sample-rate", paramLabel = "RATE", description = "The share of answered decisions"
            + " also asked of a shadowed bundle (pdp bundle shadow), 0 to 1 (default 1).")
    Double shadowSampleRate;

    @Option(names = "--shadow-threads", paramLabel = "N", description = "Decisions shadowed at once, at most; more"
            + " are dropped and counted, never queued (default 1).")
    Integer shadowThreads;

    @Option(names = "--audit-mask", paramLabel = "POINTER", description = "Remove this JSON pointer from logged decisions, e.g. /input/subject/id (repeatable).")
    List<String> auditMask;

    @Option(names = "--audit-kafka-bootstrap-servers", paramLabel = "HOST:PORT,...", description = "Ship every"
            + " record of the decision log to the Kafka cluster at these bootstrap servers (default: local disk only).")
    String auditKafkaBootstrapServers;

    @Option(names = "--audit-kafka-topic", paramLabel = "TOPIC", description = "The topic to ship to (with --audit-kafka-bootstrap-servers).")
    String auditKafkaTopic;

    @Option(names = "--audit-kafka-mode", paramLabel = "MODE", description = "local (default): answer once the record is"
            + " durable on local disk, ship after; replicated: answer only once Kafka acknowledged it too.")
    String auditKafkaMode;

    @Option(names = "--audit-kafka-timeout", paramLabel = "DURATION", description = "replicated mode: longest wait for"
            + " Kafka's acknowledgement before the decision is refused UNAVAILABLE (default 2s).")
    String auditKafkaTimeout;

    @Option(names = "--warmup-timeout", paramLabel = "DURATION", description = "Warm a revision's policy up for at"
            + " most this long before it decides, and at start the decision port for as long again before it opens"
            + " (health turns SERVING after both); 0s skips both (default 30s).")
    String warmupTimeout;

    @Option(names = "--decision-log-sync", paramLabel = "fsync|write", description = "When a decision counts as"
            + " logged: fsync (default) once its record is forced to disk; write once it is written to the file,"
            + " forced every --decision-log-sync-interval (survives kill -9, an OS crash can lose the last interval).")
    String decisionLogSync;

    @Option(names = "--decision-log-sync-interval", paramLabel = "DURATION", description = "With --decision-log-sync"
            + " write, force written records to disk this often (default 100ms).")
    String decisionLogSyncInterval;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain (leaf first): with --tls-key, the decision port (and the admin port, unless it has its own) serves TLS 1.3/1.2.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM PKCS#8 private key of --tls-cert.")
    Path tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "FILE", description = "PEM CA certificates client certificates must chain to (mTLS); client auth then defaults to require.")
    Path tlsClientCa;

    @Option(names = "--tls-client-auth", paramLabel = "MODE", description = "none, optional or require a client certificate (default: require with --tls-client-ca, else none).")
    String tlsClientAuth;

    @Option(names = "--admin-tls-cert", paramLabel = "FILE", description = "The admin port's own certificate chain (default: --tls-cert).")
    Path adminTlsCert;

    @Option(names = "--admin-tls-key", paramLabel = "FILE", description = "The admin port's own private key (default: --tls-key).")
    Path adminTlsKey;

    @Option(names = "--admin-tls-client-ca", paramLabel = "FILE", description = "The admin port's own client CA (default: --tls-client-ca).")
    Path adminTlsClientCa;

    @Option(names = "--admin-tls-client-auth", paramLabel = "MODE", description = "The admin port's client auth: none, optional or require (default: as the decision port).")
    String adminTlsClientAuth;

    @Option(names = "--allow-plaintext-admin", description = "Start even though admin tokens would cross the network in plaintext (admin port beyond loopback without TLS), e.g. behind a TLS-terminating sidecar.")
    Boolean allowPlaintextAdmin;

    @Option(names = "--tls-reload-interval", paramLabel = "DURATION", description = "How often the TLS files are checked for changes (default 10s).")
    String tlsReloadInterval;

    @Option(names = "--jwt-jwks", paramLabel = "FILE", description = "Verify bearer JWTs on the decision port with this JSON Web Key Set; a token's sub is the caller's principal.")
    Path jwtJwks;

    @Option(names = "--jwt-issuer", paramLabel = "ISS", description = "The iss a bearer JWT must carry.")
    String jwtIssuer;

    @Option(names = "--jwt-audience", paramLabel = "AUD", description = "An aud a bearer JWT must include.")
    String jwtAudience;

    @Override
    public Integer call() throws Exception {
        PdpConfig settings = resolve();
        PdpServer server;
        try {
            server = PdpServer.builder(settings).tlsReloadEvents(new TlsReloadEvents() {
                @Override
                public void reloaded(String port) {
                    log("info", "TLS files reloaded", Map.of("port", port));
                }

                @Override
                public void reloadFailed(String port, String reason) {
                    log("error", "TLS files changed but cannot be used: still serving the previous certificate",
                            Map.of("port", port, "error", reason));
                }
            }).start();
        } catch (PdpServer.StartupException e) {
            log("error", "pdp failed to start", Map.of("error", e.getMessage(), "jdk", Runtime.version().toString()));
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "pdp-shutdown"));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("address", server.address().getHostString() + ":" + server.port());
        fields.put("admin_address", server.address().getHostString() + ":" + server.adminPort());
        server.metricsPort().ifPresent(port -> fields.put("metrics_address", server.address().getHostString() + ":" + port));
        server.activeBundle().ifPresentOrElse(
                bundle -> fields.put("bundle", Map.of("name", bundle.name(), "revision", bundle.revision(),
                        "digest", bundle.digest())),
                () -> fields.put("bundle", Map.of("state", "none yet: waiting for the first poll")));
        server.pollState().ifPresent(poll -> fields.put("poll_url", poll.url()));
        fields.put("data_dir", settings.policy().dataDir().toAbsolutePath().toString());
        fields.put("admin_tokens", settings.effectiveAdminTokens().toAbsolutePath().toString());
        fields.put("tls", settings.security().tls().<Object>map(ServeCommand::describe).orElse("off"));
        fields.put("admin_tls", settings.security().effectiveAdminTls().<Object>map(ServeCommand::describe).orElse("off"));
        fields.put("instances", settings.limits().instances());
        fields.put("eval_timeout_ms", settings.limits().evalTimeout().toMillis());
        server.activeWarmup().ifPresent(warmup -> fields.put("warmup", Map.of("ms", warmup.took().toMillis(),
                "evaluations", warmup.evaluations(), "settled", warmup.settled())));
        server.frontDoorWarmup().ifPresent(warmup -> fields.put("front_door_warmup", Map.of("ms", warmup.took().toMillis(),
                "calls", warmup.evaluations(), "settled", warmup.settled())));
        fields.put("jdk", server.jdk());
        server.audit().ifPresentOrElse(audit -> {
            Map<String, Object> auditFields = new LinkedHashMap<>();
            auditFields.put("dir", audit.dir().toAbsolutePath().toString());
            auditFields.put("key_file", audit.key().file().toAbsolutePath().toString());
            auditFields.put("key_id", audit.key().id());
            AuditSettings kept = settings.effectiveAudit();
            auditFields.put("sync", kept.sync() == SyncMode.WRITE
                    ? "write (forced every " + kept.syncInterval().toMillis() + " ms)" : kept.sync().configName());
            server.shipping().ifPresent(shipper -> auditFields.put("kafka", Map.of(
                    "bootstrap_servers", settings.shipping().get().bootstrapServers(),
                    "topic", settings.shipping().get().topic(), "mode", settings.shipping().get().mode().word(),
                    "chain_id", shipper.chainId())));
            fields.put("audit", auditFields);
        }, () -> fields.put("audit", "off"));
        if (server.audit().isEmpty()) {
            log("warn", "the decision log is off", Map.of("advice", "decisions are answered unlogged; --no-audit"
                    + " (audit: false) is meant for benchmarking only"));
        }
        server.audit().filter(audit -> audit.key().generated()).ifPresent(audit -> log("warn",
                "generated a new decision-log key", Map.of("key_file", audit.key().file().toAbsolutePath().toString(),
                        "advice", "keep a copy apart from the log; whoever can rewrite the log and read this key can"
                                + " forge sealed segments")));
        server.secretFileWarnings().forEach(warning -> log("warn", "a secret file is readable by others", Map.of(
                "warning", warning, "advice", "chmod 600 it: whoever reads it can administer the PDP or forge sealed segments")));
        server.audit().flatMap(audit -> audit.openingRepair()).ifPresent(repair -> log("warn",
                "repaired the decision log", Map.of("repair", repair)));
        server.audit().flatMap(audit -> audit.uncleanEnd()).ifPresent(end -> log("warn",
                "the previous run did not stop cleanly", Map.of("decision_log", end, "advice", "every decision it"
                        + " answered is in the log; stop the PDP with SIGTERM so it drains")));
        log("info", "pdp serving", fields);
        server.awaitTermination();
        return 0;
    }

    /**
     * On SIGTERM (or SIGINT): drains, then ends the process with 0 when every call let in was answered
     * and the log stopped cleanly, 1 otherwise. A watchdog ends it with 1 when the grace period runs
     * out whatever the drain is waiting for. The JVM would otherwise exit 143 after the hooks, so the
     * status is set with halt, the only exit a shutdown hook may make.
     */
    private static void stop(PdpServer server) {
        Duration grace = server.shutdownGrace();
        log("info", "pdp draining", Map.of("shutdown_grace_ms", grace.toMillis()));
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(Math.max(1, grace.toMillis()));
            } catch (InterruptedException e) {
                return;
            }
            log("error", "pdp stopped without draining", Map.of("reason", "the shutdown grace of " + grace.toMillis()
                    + " ms ran out; calls still in flight were cut without an answer"));
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }, "pdp-shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Drain.Outcome outcome = server.drain();
        watchdog.interrupt();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("drained", outcome.drained());
        fields.put("calls_cut", outcome.callsCut());
        fields.put("took_ms", outcome.took().toMillis());
        log(outcome.drained() ? "info" : "error", outcome.drained() ? "pdp stopped" : "pdp stopped without draining",
                fields);
        System.out.flush();
        Runtime.getRuntime().halt(outcome.drained() ? 0 : 1);
    }

    PdpConfig resolve() throws ConfigFile.InvalidConfigException {
        PdpConfig fromFile = config == null ? PdpConfig.defaults() : ConfigFile.read(config).applyTo(PdpConfig.defaults());
        return ConfigFile.fromKeys(givenFlags(), "flags").applyTo(fromFile);
    }

    /**
     * The flags given, as the config keys they stand for ({@code --max-batch} is {@code max-batch}),
     * so flags and the file are bound, checked and applied the same way.
     */
    private Map<String, Object> givenFlags() {
        Map<String, Object> keys = new LinkedHashMap<>();
        for (OptionSpec option : spec.options()) {
            Object value = option.getValue();
            String flag = option.longestName();
            if (value == null || option.usageHelp() || option.versionHelp() || flag.equals("--config")) {
                continue;
            }
            switch (flag) {
                case "--no-audit" -> {
                    if (Boolean.TRUE.equals(value)) {
                        keys.put("audit", false);
                    }
                }
                case "--verification-key" -> keys.put("verification-keys", value);
                default -> keys.put(flag.substring(2), value instanceof Path || value instanceof URI ? value.toString() : value);
            }
        }
        return keys;
    }

    private static Map<String, Object> describe(TlsSettings tls) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("cert", tls.certFile().toAbsolutePath().toString());
        fields.put("client_auth", tls.clientAuth().configValue());
        tls.clientCaFile().ifPresent(ca -> fields.put("client_ca", ca.toAbsolutePath().toString()));
        return fields;
    }

    /** One JSON object per line, so log shippers need no parsing rules. */
    static void log(String level, String message, Map<String, ?> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("level", level);
        line.put("msg", message);
        line.putAll(fields);
        try {
            System.out.println(new ObjectMapper().writeValueAsString(line));
        } catch (Exception e) {
            System.out.println(line);
        }
    }
}
