package dev.redline.pdp.testkit.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * Real Kafka brokers in KRaft mode, each a child JVM running {@code kafka.Kafka} from the test
 * classpath, on loopback ports, with its log directory under the test's directory.
 *
 * <p>Child JVMs rather than Kafka's in-process test kit, because a test needs to kill a broker with
 * SIGKILL (no shutdown, no flush) and start it again on the same log directory, exactly as an
 * operator's broker dies; a broker inside the test JVM cannot die that way. Every node is both
 * broker and controller, so one node is a whole cluster and three form a quorum that survives
 * losing one.
 */
public final class KafkaCluster implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final List<Node> nodes;

    private KafkaCluster(List<Node> nodes) {
        this.nodes = nodes;
    }

    /** Formats and starts {@code size} nodes under {@code dir}; returns once all of them serve. */
    public static KafkaCluster start(Path dir, int size) throws IOException {
        String clusterId = Uuid.randomUuid().toString();
        List<int[]> ports = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports.add(new int[] {freePort(), freePort()});
        }
        String voters = java.util.stream.IntStream.range(0, size)
                .mapToObj(i -> i + "@127.0.0.1:" + ports.get(i)[1]).collect(Collectors.joining(","));
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Node node = new Node(i, dir.resolve("node-" + i), ports.get(i)[0], ports.get(i)[1]);
            node.writeProperties(voters, size);
            node.format(clusterId);
            nodes.add(node);
        }
        KafkaCluster cluster = new KafkaCluster(nodes);
        try {
            nodes.forEach(Node::launch);
            cluster.awaitBrokers(size);
        } catch (RuntimeException | IOException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The bootstrap list of every node: {@code 127.0.0.1:p1,127.0.0.1:p2,...}. */
    public String bootstrapServers() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port).collect(Collectors.joining(","));
    }

    public int size() {
        return nodes.size();
    }

    public Node node(int id) {
        return nodes.get(id);
    }

    /** Creates a topic with one partition replicated to every node (at most 3). */
    public void createTopic(String name) {
        short replicas = (short) Math.min(3, nodes.size());
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, 1, replicas))).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("creating topic " + name + " failed", e);
        }
    }

    /** Waits until {@code count} brokers are registered and answer. */
    public void awaitBrokers(int count) throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            for (Node node : nodes) {
                if (node.process != null && !node.process.isAlive() && node.expectedAlive) {
                    throw new IllegalStateException("kafka node " + node.id + " exited with "
                            + node.process.exitValue() + "; its log:\n" + node.logTail());
                }
            }
            try (Admin admin = admin()) {
                int registered = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
                if (registered >= count) {
                    return;
                }
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        throw new IllegalStateException("the kafka cluster did not have " + count + " brokers within " + START_TIMEOUT
                + "; node 0's log:\n" + nodes.get(0).logTail(), last);
    }

    /** An admin client of this cluster; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    /** Kills every node with SIGKILL; their directories stay for the test's {@code @TempDir} to delete. */
    @Override
    public void close() {
        nodes.forEach(Node::kill);
    }

    /** One broker-and-controller JVM. */
    public static final class Node {
        private final int id;
        private final Path dir;
        private final int port;
        private final int controllerPort;
        private Process process;
        private boolean expectedAlive;

        private Node(int id, Path dir, int port, int controllerPort) {
            this.id = id;
            this.dir = dir;
            this.port = port;
            this.controllerPort = controllerPort;
        }

        public int id() {
            return id;
        }

        public int port() {
            return port;
        }

        private Path properties() {
            return dir.resolve("server.properties");
        }

        private Path log() {
            return dir.resolve("kafka.out");
        }

        private void writeProperties(String voters, int size) throws IOException {
            Files.createDirectories(dir.resolve("data"));
            int replicas = Math.min(3, size);
            String text = String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=" + id,
                    "controller.quorum.voters=" + voters,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "log.dirs=" + dir.resolve("data"),
                    "num.partitions=1",
                    "default.replication.factor=" + replicas,
                    "min.insync.replicas=" + Math.max(1, replicas - 1),
                    "offsets.topic.replication.factor=" + replicas,
                    "offsets.topic.num.partitions=1",
                    "transaction.state.log.replication.factor=" + replicas,
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=" + replicas,
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=false",
                    "num.network.threads=2",
                    "num.io.threads=2",
                    "background.threads=2",
                    "log.cleaner.enable=false",
                    "") ;
            Files.writeString(properties(), text, StandardCharsets.UTF_8);
        }

        private void format(String clusterId) throws IOException {
            Process format = new ProcessBuilder(javaCommand("kafka.tools.StorageTool", "format",
                    "--cluster-id", clusterId, "--config", properties().toString(), "--ignore-formatted"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("format.out").toFile()).start();
            try {
                if (!format.waitFor(60, TimeUnit.SECONDS)) {
                    format.destroyForcibly();
                    throw new IllegalStateException("formatting kafka node " + id + " took over 60 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (format.exitValue() != 0) {
                throw new IllegalStateException("formatting kafka node " + id + " failed: "
                        + Files.readString(dir.resolve("format.out")));
            }
        }

        private List<String> javaCommand(String mainClass, String... args) {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                    "-Djava.net.preferIPv4Stack=true",
                    "-cp", System.getProperty("java.class.path"), mainClass));
            command.addAll(List.of(args));
            return command;
        }

        private void launch() {
            if (process != null && process.isAlive()) {
                throw new IllegalStateException("kafka node " + id + " is already running");
            }
            try {
                process = new ProcessBuilder(javaCommand("kafka.Kafka", properties().toString()))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
                expectedAlive = true;
            } catch (IOException e) {
                throw new UncheckedIOException("starting kafka node " + id + " failed", e);
            }
        }

        /** Starts this node again on the same log directory and ports (after {@link #stop} or {@link #kill}). */
        public void restart() {
            launch();
        }

        /** SIGTERM: a controlled shutdown; waits until the JVM has exited. */
        public void stop() {
            end(false);
        }

        /** SIGKILL: the broker gets no chance to flush or hand over leadership. */
        public void kill() {
            end(true);
        }

        public boolean alive() {
            return process != null && process.isAlive();
        }

        private void end(boolean forcibly) {
            expectedAlive = false;
            if (process == null) {
                return;
            }
            if (forcibly) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String logTail() {
            try {
                List<String> lines = Files.exists(log()) ? Files.readAllLines(log()) : List.of();
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
