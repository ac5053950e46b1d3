package dev.redline.pdp.examples;

import dev.redline.pdp.sdk.ContractInput;
import dev.redline.pdp.sdk.Decision;
import dev.redline.pdp.sdk.PdpClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load through the SDK on several PDPs at once, for examples/fleet/run.sh: each replica gets its
 * own client and closed-loop callers sending the sample requests of {@link GuardedModelServer}.
 *
 * <pre>
 * FleetLoad load SECONDS CALLERS TARGET...            per-replica throughput
 * FleetLoad converge REVISION SECONDS CALLERS TARGET... load until every replica answers with REVISION
 * </pre>
 *
 * With {@code ANSWERED_IDS_FILE} set, the id of every decision answered is appended to that file
 * as {@code TARGET DECISION_ID} lines.
 *
 * <p>Exits 1 when a decision failed closed once its replica had answered (fail-closed answers before
 * a replica's first decision mean it is still starting or has no bundle yet, and are counted
 * apart), or when a replica did not converge in time or answered with an older bundle after it
 * had answered with the new one.
 */
public final class FleetLoad {

    /** The counts of one replica, updated by its callers. */
    static final class Replica {
        final String target;
        final LongAdder allowed = new LongAdder();
        final LongAdder denied = new LongAdder();
        final LongAdder failedClosed = new LongAdder();
        /** Fail-closed answers before the replica's first decision: still starting, or no bundle yet. */
        final LongAdder notReady = new LongAdder();
        volatile boolean answered;
        /** Nanos since the run started at which the first decision came with the awaited revision; -1 before. */
        final AtomicLong convergedAt = new AtomicLong(-1);
        /** Decisions on another revision after the replica had converged. */
        final LongAdder backslid = new LongAdder();
        /** The id of every decision answered, so that run.sh can find each in the replica's log. */
        final Queue<String> answeredIds = new ConcurrentLinkedQueue<>();

        Replica(String target) {
            this.target = target;
        }

        long decided() {
            return allowed.sum() + denied.sum();
        }
    }

    private final List<Replica> replicas;
    private final int callers;
    private final String awaitedRevision;

    FleetLoad(List<String> targets, int callers, String awaitedRevision) {
        this.replicas = targets.stream().map(Replica::new).toList();
        this.callers = callers;
        this.awaitedRevision = awaitedRevision;
    }

    List<Replica> replicas() {
        return replicas;
    }

    /**
     * Sends decisions to every replica for at most {@code limit}; with an awaited revision it stops
     * early, one second after the last replica converged (to see that none goes back).
     *
     * @return the time the load ran
     */
    Duration run(Duration limit) throws InterruptedException {
        List<ContractInput> inputs = GuardedModelServer.sampleRequests().stream()
                .map(GuardedModelServer.ModelRequest::input).toList();
        List<PdpClient> clients = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + limit.toNanos();
        AtomicLong stopAt = new AtomicLong(end);
        try {
            for (Replica replica : replicas) {
                PdpClient client = PdpClient.builder().target(replica.target).plaintext()
                        .defaultDeadline(Duration.ofSeconds(2)).build();
                clients.add(client);
                for (int c = 0; c < callers; c++) {
                    int first = c;
                    Thread caller = new Thread(() -> {
                        try {
                            for (int i = first; System.nanoTime() < stopAt.get(); i++) {
                                record(replica, client.decide(inputs.get(i % inputs.size())), start);
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }, "load-" + replica.target + "-" + c);
                    caller.start();
                    threads.add(caller);
                }
            }
            while (System.nanoTime() < stopAt.get()) {
                TimeUnit.MILLISECONDS.sleep(50);
                if (awaitedRevision != null && replicas.stream().allMatch(r -> r.convergedAt.get() >= 0)) {
                    stopAt.accumulateAndGet(System.nanoTime() + TimeUnit.SECONDS.toNanos(1), Math::min);
                }
            }
            for (Thread thread : threads) {
                thread.join();
            }
            return Duration.ofNanos(System.nanoTime() - start);
        } finally {
            clients.forEach(PdpClient::close);
        }
    }

    private void record(Replica replica, Decision decision, long start) throws InterruptedException {
        if (decision.isFailClosed()) {
            if (replica.answered) {
                replica.failedClosed.increment();
            } else {
                replica.notReady.increment();
                TimeUnit.MILLISECONDS.sleep(20);
            }
            return;
        }
        replica.answered = true;
        replica.answeredIds.add(decision.decisionId());
        (decision.allowed() ? replica.allowed : replica.denied).increment();
        if (awaitedRevision == null) {
            return;
        }
        if (awaitedRevision.equals(decision.bundleRevision())) {
            replica.convergedAt.compareAndSet(-1, System.nanoTime() - start);
        } else if (replica.convergedAt.get() >= 0) {
            replica.backslid.increment();
        }
    }

    /** Prints each replica's throughput and the fleet's; true when no decision failed closed. */
    boolean reportThroughput(Duration ran, PrintStream out) {
        double seconds = ran.toNanos() / 1e9;
        long total = 0;
        long failed = 0;
        for (Replica r : replicas) {
            out.printf(Locale.ROOT, "replica %-21s %8d decisions in %.1f s = %7.1f/s (allowed %d, denied %d, failed closed %d%s)%n",
                    r.target, r.decided(), seconds, r.decided() / seconds, r.allowed.sum(), r.denied.sum(),
                    r.failedClosed.sum(), r.notReady.sum() == 0 ? "" : ", " + r.notReady.sum() + " before its first answer");
            total += r.decided();
            failed += r.failedClosed.sum();
        }
        out.printf(Locale.ROOT, "fleet of %d %16d decisions in %.1f s = %7.1f/s (failed closed %d)%n",
                replicas.size(), total, seconds, total / seconds, failed);
        return failed == 0;
    }

    /** Appends a line {@code TARGET DECISION_ID} per answered decision to {@code file}. */
    void appendAnsweredIds(Path file) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (Replica r : replicas) {
            r.answeredIds.forEach(id -> lines.append(r.target).append(' ').append(id).append('\n'));
        }
        Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Prints when each replica first answered with the awaited revision; true when all did, for good. */
    boolean reportConvergence(PrintStream out) {
        boolean converged = true;
        for (Replica r : replicas) {
            long at = r.convergedAt.get();
            if (at < 0) {
                out.printf(Locale.ROOT, "replica %-21s never answered with %s%n", r.target, awaitedRevision);
                converged = false;
            } else {
                out.printf(Locale.ROOT, "replica %-21s on %s after %.2f s, %d decisions on an older bundle after that%n",
                        r.target, awaitedRevision, at / 1e9, r.backslid.sum());
                converged &= r.backslid.sum() == 0;
            }
        }
        return converged;
    }

    public static void main(String[] args) throws InterruptedException, IOException {
        if (args.length < 4 || !List.of("load", "converge").contains(args[0])
                || ("converge".equals(args[0]) && args.length < 5)) {
            System.err.println("usage: FleetLoad load SECONDS CALLERS TARGET... | converge REVISION SECONDS CALLERS TARGET...");
            System.exit(2);
        }
        boolean converge = "converge".equals(args[0]);
        int at = converge ? 2 : 1;
        Duration limit = Duration.ofSeconds(Long.parseLong(args[at]));
        int callers = Integer.parseInt(args[at + 1]);
        List<String> targets = List.of(args).subList(at + 2, args.length);
        FleetLoad load = new FleetLoad(targets, callers, converge ? args[1] : null);
        Duration ran = load.run(limit);
        boolean ok = load.reportThroughput(ran, System.out);
        if (converge) {
            ok &= load.reportConvergence(System.out);
        }
        String answeredFile = System.getenv("ANSWERED_IDS_FILE");
        if (answeredFile != null && !answeredFile.isEmpty()) {
            load.appendAnsweredIds(Path.of(answeredFile));
        }
        System.exit(ok ? 0 : 1);
    }
}
