package io.repostream.testkit.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;

/**
 * The configuration of the single-node KRaft broker: combined roles, two loopback ports, and
 * internal topics sized for one node. Ports are chosen once and kept, so a restart comes back on
 * the same address.
 */
record BrokerConfig(
        Path logDir,
        int brokerPort,
        int controllerPort,
        SaslPlain sasl,
        Map<String, String> overrides) {
    static final int NODE_ID = 1;
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final String SASL_LISTENER = "SASL";
    static final String HOST = "127.0.0.1";

    /** An extra {@code SASL_PLAINTEXT} listener that accepts one PLAIN user. */
    record SaslPlain(int port, String user, String password) {}

    BrokerConfig {
        overrides = Map.copyOf(overrides);
    }

    static BrokerConfig onFreePorts(Path logDir, String saslUser, String saslPassword) {
        return onFreePorts(logDir, saslUser, saslPassword, Map.of());
    }

    /**
     * @param overrides broker settings that replace this class's own (e.g. a short {@code
     *     log.retention.check.interval.ms} for a test about retention)
     */
    static BrokerConfig onFreePorts(
            Path logDir, String saslUser, String saslPassword, Map<String, String> overrides) {
        int[] ports = distinctFreeLoopbackPorts(saslUser == null ? 2 : 3);
        return new BrokerConfig(
                logDir,
                ports[0],
                ports[1],
                saslUser == null ? null : new SaslPlain(ports[2], saslUser, saslPassword),
                overrides);
    }

    String bootstrapServers() {
        return HOST + ":" + brokerPort;
    }

    String saslBootstrapServers() {
        if (sasl == null) {
            throw new IllegalStateException("this broker has no SASL listener");
        }
        return HOST + ":" + sasl.port();
    }

    KafkaConfig kafkaConfig() {
        return KafkaConfig.fromProps(properties(), false);
    }

    Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put(
                "listeners",
                BROKER_LISTENER
                        + "://"
                        + HOST
                        + ":"
                        + brokerPort
                        + ","
                        + CONTROLLER_LISTENER
                        + "://"
                        + HOST
                        + ":"
                        + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        p.put(
                "listener.security.protocol.map",
                BROKER_LISTENER
                        + ":PLAINTEXT,"
                        + CONTROLLER_LISTENER
                        + ":PLAINTEXT,"
                        + SASL_LISTENER
                        + ":SASL_PLAINTEXT");
        if (sasl != null) {
            String endpoint = SASL_LISTENER + "://" + HOST + ":" + sasl.port();
            p.put("listeners", p.getProperty("listeners") + "," + endpoint);
            p.put("advertised.listeners", p.getProperty("advertised.listeners") + "," + endpoint);
            p.put("sasl.enabled.mechanisms", "PLAIN");
            p.put(
                    "listener.name.sasl.plain.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required user_"
                            + sasl.user()
                            + "=\""
                            + sasl.password()
                            + "\";");
        }
        p.put("log.dirs", logDir.toString());
        p.put("metadata.log.dir", logDir.toString());

        // One node: every internal topic must accept replication factor and min ISR 1, or
        // consumer groups, transactions and share groups never become available.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");

        // Tests create their topics explicitly; a typo must fail, not create a new topic.
        p.put("auto.create.topics.enable", "false");
        // Consumer groups start at once instead of waiting 3 s for more members.
        p.put("group.initial.rebalance.delay.ms", "0");

        // A small footprint on a shared 2-core machine.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        p.put("log.index.size.max.bytes", String.valueOf(1024 * 1024));
        p.putAll(overrides);
        return p;
    }

    /**
     * Free loopback ports, all different: every socket stays open until all are found, since a port
     * just released may be handed out again at once (two listeners on one port fail the start).
     */
    static int[] distinctFreeLoopbackPorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // closing a listening socket that accepted nothing cannot lose anything
                    }
                }
            }
        }
    }
}
