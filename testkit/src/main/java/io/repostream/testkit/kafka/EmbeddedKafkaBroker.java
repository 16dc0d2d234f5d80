package io.repostream.testkit.kafka;

import io.repostream.schemas.topics.Topic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker in this JVM: KRaft mode, one node acting as broker and controller, bound to
 * loopback. Transactions work (the internal topics have replication factor 1), so exactly-once
 * sinks and {@code read_committed} consumers behave as in production.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
 *     kafka.createTopics(Topics.all());
 *     Map<String, Object> props = kafka.producerProps();
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe: start, stop and restart are serialised; the client helpers open their own
 * clients. Starting a broker makes Kafka's {@code Exit} throw instead of ending the JVM (see {@link
 * KafkaExitGuard}).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    /** A port found free can be taken by another process before Kafka binds it: try again. */
    private static final int BIND_ATTEMPTS = 3;

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path logDir;
    private final boolean ownsLogDir;
    private final String saslUser;
    private final String saslPassword;
    private final Map<String, String> overrides;
    private BrokerConfig config;
    private KafkaRaftServer server;
    private Duration lastStartupTime = Duration.ZERO;

    private EmbeddedKafkaBroker(
            Path logDir,
            boolean ownsLogDir,
            String saslUser,
            String saslPassword,
            Map<String, String> overrides) {
        this.logDir = logDir;
        this.ownsLogDir = ownsLogDir;
        this.saslUser = saslUser;
        this.saslPassword = saslPassword;
        this.overrides = Map.copyOf(overrides);
    }

    /** Starts a broker on a fresh temporary directory, which {@link #close()} deletes. */
    public static EmbeddedKafkaBroker start() {
        try {
            return startOn(Files.createTempDirectory("repostream-kafka-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary Kafka log directory", e);
        }
    }

    /**
     * Starts a broker on a fresh temporary directory with some broker settings of the test's own,
     * e.g. {@code log.retention.check.interval.ms} so that time-based retention runs within a test
     * (the broker checks every 5 minutes by default).
     */
    public static EmbeddedKafkaBroker startWith(Map<String, String> brokerSettings) {
        try {
            return startOn(
                    Files.createTempDirectory("repostream-kafka-"),
                    true,
                    null,
                    null,
                    brokerSettings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary Kafka log directory", e);
        }
    }

    /**
     * Starts a broker on {@code logDir}, formatting it first unless it already holds a formatted
     * KRaft node. {@link #close()} leaves the directory in place.
     */
    public static EmbeddedKafkaBroker start(Path logDir) {
        return startOn(logDir, false, null, null);
    }

    /**
     * Starts a broker that, besides its plaintext listener, has a {@code SASL_PLAINTEXT} listener
     * ({@link #saslBootstrapServers()}) accepting the PLAIN mechanism for this one user: for
     * testing that clients take their credentials from configuration. Temporary log directory.
     */
    public static EmbeddedKafkaBroker startWithSaslPlain(String user, String password) {
        if (user == null || user.isBlank() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("a SASL user and password are required");
        }
        try {
            return startOn(Files.createTempDirectory("repostream-kafka-"), true, user, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary Kafka log directory", e);
        }
    }

    private static EmbeddedKafkaBroker startOn(Path logDir, boolean ownsLogDir) {
        return startOn(logDir, ownsLogDir, null, null);
    }

    private static EmbeddedKafkaBroker startOn(
            Path logDir, boolean ownsLogDir, String saslUser, String saslPassword) {
        return startOn(logDir, ownsLogDir, saslUser, saslPassword, Map.of());
    }

    private static EmbeddedKafkaBroker startOn(
            Path logDir,
            boolean ownsLogDir,
            String saslUser,
            String saslPassword,
            Map<String, String> overrides) {
        EmbeddedKafkaBroker broker =
                new EmbeddedKafkaBroker(logDir, ownsLogDir, saslUser, saslPassword, overrides);
        try {
            broker.firstStart();
            return broker;
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** {@code 127.0.0.1:port} of the client listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    /**
     * {@code 127.0.0.1:port} of the {@code SASL_PLAINTEXT} listener of a broker started with {@link
     * #startWithSaslPlain}; clients there need {@code security.protocol=SASL_PLAINTEXT}, {@code
     * sasl.mechanism=PLAIN} and a {@code PlainLoginModule} JAAS config.
     */
    public String saslBootstrapServers() {
        return config.saslBootstrapServers();
    }

    /**
     * A Kafka {@code client.properties} file with what a client of {@link #saslBootstrapServers()}
     * needs ({@code security.protocol}, {@code sasl.mechanism}, a {@code PlainLoginModule} JAAS
     * config) for the given password (the broker's own, or a wrong one to test refusals).
     *
     * @return {@code file}
     */
    public Path writeSaslClientProperties(Path file, String password) {
        if (config.sasl() == null) {
            throw new IllegalStateException("this broker has no SASL listener");
        }
        String text =
                "security.protocol=SASL_PLAINTEXT\n"
                        + "sasl.mechanism=PLAIN\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                        + " required username=\""
                        + config.sasl().user()
                        + "\" password=\""
                        + password
                        + "\";\n";
        try {
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** How long the last start or restart took until the broker answered an admin request. */
    public synchronized Duration lastStartupTime() {
        return lastStartupTime;
    }

    /** The directory holding the broker's data and metadata logs. */
    public Path logDir() {
        return logDir;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Shuts the broker down cleanly, keeping its data; {@link #restart()} brings it back. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        long started = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            server = null;
        }
        LOG.info("Kafka broker {} stopped in {} ms", bootstrapServers(), millisSince(started));
    }

    /**
     * Stops the broker if it runs and starts it again on the same log directory and the same ports,
     * so clients reconnect to the address they already have.
     */
    public synchronized void restart() {
        stop();
        startServer();
    }

    /** Stops the broker and deletes the log directory if {@link #start()} created it. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            if (ownsLogDir) {
                try {
                    Utils.delete(logDir.toFile());
                } catch (IOException e) {
                    LOG.warn("could not delete Kafka log directory {}", logDir, e);
                }
            }
        }
    }

    /**
     * Creates each topic with its own partition count and configs and replication factor 1, and
     * waits until the broker leads every partition. Topics that already exist are left alone.
     */
    public void createTopics(Collection<? extends Topic<?, ?>> topics) {
        try (Admin admin = Admin.create(adminProps())) {
            TopicCreator.createTopics(admin, topics);
        }
    }

    /** Creates one topic with replication factor 1 unless it exists, and waits for it. */
    public void createTopic(String name, int partitions) {
        try (Admin admin = Admin.create(adminProps())) {
            TopicCreator.createTopic(admin, name, partitions);
        }
    }

    /**
     * Reads {@code topic} from the beginning, {@code read_committed}, until at least {@code
     * atLeast} records arrived, and returns all records read by then.
     *
     * @throws AssertionError listing the records seen when fewer arrive within {@code timeout}
     */
    public <V> List<ConsumerRecord<String, V>> consume(
            Topic<String, V> topic, int atLeast, Duration timeout) {
        Map<String, Object> props = consumerProps("unused");
        // The reader assigns partitions itself: no group, nothing to commit.
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return TopicReader.readAtLeast(props, topic, atLeast, timeout);
    }

    /**
     * Producer settings as the services use them ({@code acks=all}, idempotent), with String
     * serializers as defaults that serializers passed to the constructor override.
     */
    public Map<String, Object> producerProps() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return props;
    }

    /**
     * Consumer settings for group {@code group}: from the earliest offset, {@code read_committed}
     * (what every downstream consumer of a transactional topic uses), String deserializers as
     * defaults.
     */
    public Map<String, Object> consumerProps(String group) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return props;
    }

    /** Admin client settings for this broker. */
    public Map<String, Object> adminProps() {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, "repostream-testkit-admin");
        return props;
    }

    private synchronized void firstStart() {
        KafkaExitGuard.install();
        KRaftStorage.formatIfNeeded(logDir, BrokerConfig.NODE_ID, BrokerConfig.CONTROLLER_LISTENER);
        for (int attempt = 1; ; attempt++) {
            config = BrokerConfig.onFreePorts(logDir, saslUser, saslPassword, overrides);
            try {
                startServer();
                return;
            } catch (RuntimeException e) {
                if (attempt >= BIND_ATTEMPTS || !causedByBindFailure(e)) {
                    throw e;
                }
                LOG.info("port taken while starting Kafka on {}, trying other ports", logDir);
            }
        }
    }

    private void startServer() {
        long started = System.nanoTime();
        KafkaRaftServer starting = new KafkaRaftServer(config.kafkaConfig(), Time.SYSTEM);
        try {
            starting.startup();
            awaitReady();
        } catch (RuntimeException e) {
            starting.shutdown();
            starting.awaitShutdown();
            throw e;
        }
        server = starting;
        lastStartupTime = Duration.ofNanos(System.nanoTime() - started);
        LOG.info(
                "Kafka broker {} (KRaft, log dir {}) up in {} ms",
                bootstrapServers(),
                logDir,
                lastStartupTime.toMillis());
    }

    /** The broker is usable once it has registered with its controller and is unfenced. */
    private void awaitReady() {
        try (Admin admin = Admin.create(adminProps())) {
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "Kafka broker " + bootstrapServers() + " not ready", e);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "Kafka broker " + bootstrapServers() + " has no live node");
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Kafka", e);
        }
    }

    private static boolean causedByBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException
                    || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }
}
