package io.repostream.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topic;
import io.repostream.schemas.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedKafkaBrokerTest {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBrokerTest.class);
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** One broker for the tests that do not stop it: starting one costs about a second. */
    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafkaBroker.start();
        LOG.info("shared broker started in {} ms", kafka.lastStartupTime().toMillis());
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void startsOnLoopbackAndReportsItsStartupTime() {
        assertThat(kafka.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(kafka.isRunning()).isTrue();
        assertThat(kafka.lastStartupTime()).isPositive().isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void createsEveryRepostreamTopicWithItsOwnLayoutAndToleratesExistingOnes() throws Exception {
        kafka.createTopics(Topics.all());
        kafka.createTopics(Topics.all());

        try (Admin admin = Admin.create(kafka.adminProps())) {
            Set<String> names = admin.listTopics().names().get();
            for (Topic<String, ?> topic : Topics.all()) {
                assertThat(names).contains(topic.name());
                int partitions =
                        admin.describeTopics(List.of(topic.name()))
                                .allTopicNames()
                                .get()
                                .get(topic.name())
                                .partitions()
                                .size();
                assertThat(partitions).as(topic.name()).isEqualTo(topic.defaultPartitions());
            }
        }
    }

    @Test
    void everyTopicItCreatesKeepsTheTimeEachRecordWasWritten() throws Exception {
        kafka.createTopics(Topics.all());
        kafka.createTopic("testkit.ad-hoc", 1);

        List<String> names =
                new java.util.ArrayList<>(Topics.all().stream().map(Topic::name).toList());
        names.add("testkit.ad-hoc");
        try (Admin admin = Admin.create(kafka.adminProps())) {
            for (String name : names) {
                org.apache.kafka.common.config.ConfigResource resource =
                        new org.apache.kafka.common.config.ConfigResource(
                                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, name);
                String type =
                        admin.describeConfigs(List.of(resource))
                                .all()
                                .get()
                                .get(resource)
                                .get("message.timestamp.type")
                                .value();
                assertThat(type).as(name).isEqualTo("LogAppendTime");
            }
        }
    }

    @Test
    void producedEventsCanBeConsumedThroughTheTopicSerdes() throws Exception {
        kafka.createTopics(List.of(Topics.EVENTS));
        try (KafkaProducer<String, GitHubEvent> producer = eventProducer(Map.of())) {
            producer.send(record(event("produce-1"))).get();
            producer.send(record(event("produce-2"))).get();
        }

        List<ConsumerRecord<String, GitHubEvent>> records = kafka.consume(Topics.EVENTS, 2, WAIT);

        assertThat(records).extracting(r -> r.value().eventId()).contains("produce-1", "produce-2");
        assertThat(records).extracting(ConsumerRecord::key).containsOnly("octo/widgets");
    }

    @Test
    void readCommittedSeesCommittedTransactionsButNotAbortedOnes() throws Exception {
        String topic = "testkit.transactions";
        kafka.createTopic(topic, 1);
        Map<String, Object> props = kafka.producerProps();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "testkit-tx-1");
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed"));
            producer.commitTransaction();
        }

        assertThat(readValues(topic, "read_committed")).containsExactly("committed");
        // The aborted record is in the log: only the isolation level hides it.
        assertThat(readValues(topic, "read_uncommitted")).containsExactly("aborted", "committed");
    }

    @Test
    void consumeFailsWithTheRecordsItSawWhenTooFewArrive() throws Exception {
        kafka.createTopics(List.of(Topics.EVENTS));
        try (KafkaProducer<String, GitHubEvent> producer = eventProducer(Map.of())) {
            producer.send(record(event("lonely-1"))).get();
        }

        assertThatThrownBy(() -> kafka.consume(Topics.EVENTS, 10_000, Duration.ofSeconds(1)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(
                        "expected at least 10000 committed records on github.events.v1")
                .hasMessageContaining("lonely-1");
    }

    @Test
    void consumingATopicThatWasNeverCreatedSaysSo() {
        Topic<String, GitHubEvent> missing =
                new Topic<>(
                        "testkit.never-created",
                        Topics.EVENTS.keySerde(),
                        Topics.EVENTS.valueCodec(),
                        1,
                        false,
                        0);

        assertThatThrownBy(() -> kafka.consume(missing, 1, Duration.ofSeconds(2)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("testkit.never-created does not exist");
    }

    @Test
    void writingToAnUnknownTopicFailsInsteadOfCreatingIt() throws Exception {
        Map<String, Object> props = kafka.producerProps();
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            assertThatThrownBy(
                            () -> producer.send(new ProducerRecord<>("no.such.topic", "v")).get())
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
        try (Admin admin = Admin.create(kafka.adminProps())) {
            assertThat(admin.listTopics().names().get()).doesNotContain("no.such.topic");
        }
    }

    @Test
    void dataSurvivesARestartOnTheSameAddress(@TempDir Path dir) throws Exception {
        Path logDir = dir.resolve("kafka");
        try (EmbeddedKafkaBroker own = EmbeddedKafkaBroker.start(logDir)) {
            String address = own.bootstrapServers();
            own.createTopics(List.of(Topics.EVENTS));
            try (KafkaProducer<String, GitHubEvent> producer = eventProducer(own, Map.of())) {
                producer.send(record(event("before-restart"))).get();
            }

            own.restart();

            assertThat(own.bootstrapServers()).isEqualTo(address);
            assertThat(own.consume(Topics.EVENTS, 1, WAIT))
                    .extracting(r -> r.value().eventId())
                    .containsExactly("before-restart");
            LOG.info("restart took {} ms", own.lastStartupTime().toMillis());
        }
        // start(Path) leaves the directory it was given.
        assertThat(Files.exists(logDir.resolve("meta.properties"))).isTrue();
    }

    @Test
    void aFatalBrokerFaultThrowsInsteadOfEndingTheTestJvm() {
        // Without the guard this would halt the surefire fork and fail the whole build.
        assertThatThrownBy(() -> org.apache.kafka.common.utils.Exit.halt(1, "simulated fault"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("simulated fault");
    }

    @Test
    void closeDeletesTheTemporaryLogDirectoryItCreated() {
        Path logDir;
        try (EmbeddedKafkaBroker own = EmbeddedKafkaBroker.start()) {
            logDir = own.logDir();
            assertThat(logDir).isDirectory();
            own.stop();
            assertThat(own.isRunning()).isFalse();
        }
        assertThat(logDir).doesNotExist();
    }

    private static List<String> readValues(String topic, String isolation) {
        Map<String, Object> props = kafka.consumerProps("testkit-" + isolation);
        props.put("isolation.level", isolation);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            List<String> values = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            // read until the end of the log is reached, whatever the isolation level shows
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                if (!consumer.assignment().isEmpty()
                        && consumer.assignment().stream()
                                .allMatch(
                                        tp ->
                                                consumer.position(tp)
                                                        >= consumer.endOffsets(List.of(tp))
                                                                .get(tp))) {
                    break;
                }
            }
            return values;
        }
    }

    private static KafkaProducer<String, GitHubEvent> eventProducer(Map<String, Object> extra) {
        return eventProducer(kafka, extra);
    }

    private static KafkaProducer<String, GitHubEvent> eventProducer(
            EmbeddedKafkaBroker broker, Map<String, Object> extra) {
        Map<String, Object> props = broker.producerProps();
        props.putAll(extra);
        return new KafkaProducer<>(
                props, new StringSerializer(), Topics.EVENTS.valueSerde().serializer());
    }

    private static ProducerRecord<String, GitHubEvent> record(GitHubEvent event) {
        return new ProducerRecord<>(Topics.EVENTS.name(), event.key(), event);
    }

    private static GitHubEvent event(String id) {
        Instant now = Instant.parse("2025-01-02T03:04:05Z");
        return new GitHubEvent(
                id,
                EventSource.WEBHOOK,
                "issues",
                "opened",
                "octo/widgets",
                "octo",
                null,
                now,
                now,
                JsonNodeFactory.instance.objectNode().put("action", "opened"));
    }
}
