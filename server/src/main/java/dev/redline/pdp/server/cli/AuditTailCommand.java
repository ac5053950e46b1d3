package dev.redline.pdp.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.util.JsonFormat;
import dev.redline.pdp.api.v1.DecisionRecord;
import dev.redline.pdp.api.v1.ListDecisionsRequest;
import dev.redline.pdp.api.v1.ListDecisionsRequest.Outcome;
import dev.redline.pdp.server.audit.shipping.TopicReadException;
import dev.redline.pdp.server.audit.shipping.TopicTail;
import dev.redline.pdp.server.config.Durations;
import dev.redline.pdp.server.protobuf.ProtoTime;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pdp audit tail}: prints the newest decisions, one JSON object per line, and optionally
 * follows; from a running PDP's admin port, or with {@code --kafka} from the topic the replicas
 * ship to.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Print the newest recorded decisions, one JSON object per line, oldest of them first.")
final class AuditTailCommand implements Callable<Integer> {
    /**
     * How far back each --follow poll looks before the newest time printed: records are stamped
     * when decided and chained moments later, so a record may carry a slightly earlier time than
     * one already printed. Seqs decide what is new.
     */
    private static final Duration FOLLOW_OVERLAP = Duration.ofSeconds(5);

    @Option(names = {"-n", "--lines"}, paramLabel = "N", description = "How many decisions (default 10).")
    int lines = 10;

    static final class OutcomeFilter {
        @Option(names = "--allowed", description = "Only allowed decisions.")
        boolean allowed;

        @Option(names = "--denied", description = "Only denied decisions.")
        boolean denied;
    }

    @ArgGroup(exclusive = true)
    OutcomeFilter outcome;

    @Option(names = "--violation", paramLabel = "CODE", description = "Only decisions with this violation code.")
    String violation;

    @Option(names = "--subject", paramLabel = "ID", description = "Only decisions whose input has this subject.id.")
    String subject;

    @Option(names = "--since", paramLabel = "TIME", description = "Only decisions at or after this ISO-8601 time.")
    Instant since;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new decisions until stopped.")
    boolean follow;

    @Option(names = "--interval", paramLabel = "DURATION", description = "How often --follow asks (default 1s).")
    String interval = "1s";

    @Option(names = "--kafka", paramLabel = "BROKERS", description = "Read from Kafka instead of a PDP: the bootstrap"
            + " servers, host:port,... Records are printed as stored, with their chain first.")
    String kafka;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "With --kafka: the topic the replicas ship to.")
    String topic;

    @Mixin
    AuditClientOptions client;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (kafka != null || topic != null) {
            return tailTopic();
        }
        PrintWriter out = spec.commandLine().getOut();
        JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();
        Duration pause = Durations.parse(interval);
        ManagedChannel channel = client.channel();
        try {
            List<DecisionRecord> newest = new ArrayList<>();
            client.stub(channel).listDecisions(filters(since).setNewestFirst(true).setLimit(lines).build())
                    .forEachRemaining(newest::add);
            Collections.reverse(newest);
            long lastSeq = 0;
            Instant lastTime = since == null ? Instant.EPOCH : since;
            for (DecisionRecord record : newest) {
                out.println(printer.print(record));
                lastSeq = Math.max(lastSeq, record.getSeq());
                lastTime = max(lastTime, time(record));
            }
            out.flush();
            while (follow) {
                Thread.sleep(pause.toMillis());
                Instant from = max(since == null ? Instant.EPOCH : since, lastTime.minus(FOLLOW_OVERLAP));
                Iterator<DecisionRecord> fresh = client.stub(channel).listDecisions(filters(from).build());
                while (fresh.hasNext()) {
                    DecisionRecord record = fresh.next();
                    if (record.getSeq() > lastSeq) {
                        out.println(printer.print(record));
                        lastSeq = record.getSeq();
                        lastTime = max(lastTime, time(record));
                    }
                }
                out.flush();
            }
            return 0;
        } catch (StatusRuntimeException e) {
            spec.commandLine().getErr().println("pdp audit tail: " + StatusLine.of(e));
            return 1;
        } finally {
            AuditClientOptions.close(channel);
        }
    }

    private int tailTopic() {
        PrintWriter out = spec.commandLine().getOut();
        if (kafka == null || topic == null) {
            spec.commandLine().getErr().println("pdp audit tail: reading from Kafka takes both --kafka BROKERS and"
                    + " --topic TOPIC");
            return 2;
        }
        try {
            TopicTail.tail(kafka, topic, lines, this::matches, Duration.ofSeconds(client.timeoutSeconds), () -> follow,
                    record -> {
                        out.println(record);
                        out.flush();
                    });
            return 0;
        } catch (TopicReadException e) {
            spec.commandLine().getErr().println("pdp audit tail: " + e.getMessage());
            return 1;
        }
    }

    /** The same filters as the admin port's query, applied to a record as stored. */
    private boolean matches(JsonNode record) {
        if (outcome != null && record.path("allow").asBoolean(false) != outcome.allowed) {
            return false;
        }
        if (violation != null && !contains(record.path("violations"), violation)) {
            return false;
        }
        if (subject != null && !subject.equals(record.path("input").path("subject").path("id").asText(null))) {
            return false;
        }
        if (since != null) {
            try {
                return !Instant.parse(record.path("time").asText()).isBefore(since);
            } catch (java.time.format.DateTimeParseException e) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(JsonNode codes, String code) {
        for (JsonNode c : codes) {
            if (code.equals(c.asText())) {
                return true;
            }
        }
        return false;
    }

    private ListDecisionsRequest.Builder filters(Instant from) {
        ListDecisionsRequest.Builder request = ListDecisionsRequest.newBuilder();
        if (from != null) {
            request.setSince(ProtoTime.timestamp(from));
        }
        if (outcome != null) {
            request.setOutcome(outcome.allowed ? Outcome.OUTCOME_ALLOWED : Outcome.OUTCOME_DENIED);
        }
        if (violation != null) {
            request.setViolationCode(violation);
        }
        if (subject != null) {
            request.setSubjectId(subject);
        }
        return request;
    }

    private static Instant time(DecisionRecord record) {
        return Instant.ofEpochSecond(record.getTime().getSeconds(), record.getTime().getNanos());
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
