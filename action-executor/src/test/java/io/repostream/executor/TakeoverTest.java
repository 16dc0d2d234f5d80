package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.executor.handlers.CreateCommentHandler;
import io.repostream.executor.support.Actions;
import io.repostream.executor.support.ExecutorConfigs;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.schemas.ActionMetadata;
import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.ActionType;
import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.Snapshot;
import io.repostream.schemas.TargetState;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A replica that takes a partition over from a peer that died reads the peer's last snapshots and
 * audits before it applies the partition's actions: the ledger it follows may lag behind, and an
 * action the peer applied (but whose offset it never committed) must not be applied again.
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TakeoverTest {
    private static final String REPO = "acme/takeover";
    private static final String GROUP = "takeover";

    /**
     * Records between the ledger's position and the peer's last ones: a replica reads them in
     * batches between polls, so they keep its ledger behind for many seconds.
     */
    private static final int BACKLOG = 300_000;

    private static EmbeddedKafkaBroker kafka;
    private static GitHubSimulator github;
    private static KafkaTopics topics;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
        kafka = broker;
        github = simulator;
        github.removeLimits();
        github.createRepo(REPO);
        topics = new KafkaTopics(kafka);
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    @Test
    void readsThePeersLastAuditBeforeApplyingThePartitionItTakesOver() {
        int number = github.createIssue(REPO, "Taken over", "", "alice");
        ActionRecord action =
                Actions.builder(
                                ActionType.CREATE_COMMENT,
                                REPO,
                                number,
                                Actions.params().put("body", "Closing as stale."))
                        .id("takeover-1")
                        .build();

        try (KafkaConsumer<String, byte[]> peer = peer();
                KafkaProducer<String, byte[]> producer = producer()) {
            peer.subscribe(List.of(Topics.ACTIONS.name()));
            awaitAssignment(peer, 6);
            try (ActionExecutor executor =
                    ActionExecutor.start(ExecutorConfigs.forSimulator(kafka, github, GROUP))) {
                // the executor joins: the partitions are shared between it and the peer
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while ((peer.assignment().size() == 6 || !executor.ready())
                        && System.nanoTime() < deadline) {
                    peer.poll(Duration.ofMillis(100));
                }
                assertThat(executor.ready()).isTrue();
                Set<TopicPartition> peers = peer.assignment();
                assertThat(peers).isNotEmpty().hasSizeLessThan(6);
                int partition = peers.iterator().next().partition();

                // what the peer did before it died: snapshot, comment, audit, offset uncommitted;
                // behind a backlog of other records, on the partitions those records share
                backlog(producer, Topics.SNAPSHOTS.name());
                backlog(producer, Topics.AUDIT.name());
                producer.send(
                        new ProducerRecord<>(
                                Topics.SNAPSHOTS.name(),
                                0,
                                action.actionId(),
                                Topics.SNAPSHOTS
                                        .valueCodec()
                                        .encode(snapshot(action, Instant.now()))));
                long comment =
                        github.commentAsHuman(
                                REPO,
                                number,
                                GitHubSimulator.DEFAULT_LOGIN,
                                "Closing as stale.\n\n"
                                        + CreateCommentHandler.marker(action.actionId()));
                producer.send(
                        new ProducerRecord<>(
                                Topics.AUDIT.name(),
                                0,
                                REPO,
                                Topics.AUDIT.valueCodec().encode(applied(action, comment))));
                producer.send(
                        new ProducerRecord<>(
                                Topics.ACTIONS.name(),
                                partition,
                                REPO,
                                Topics.ACTIONS.valueCodec().encode(action)));
                producer.flush();
                // the peer dies; its partitions, this action's among them, go to the executor
                peer.close(Duration.ZERO);

                AuditRecord audit =
                        topics.awaitAudit(
                                action.actionId(),
                                a -> !a.auditId().endsWith("/peer"),
                                Duration.ofSeconds(90));
                assertThat(audit.outcome())
                        .as(audit.error() == null ? "" : audit.error())
                        .isEqualTo(AuditOutcome.SKIPPED_DUPLICATE);
            }
        }
        assertThat(github.comments(REPO, number)).hasSize(1);
        assertThat(github.mutations()).noneMatch(m -> m.startsWith(REPO + "#" + number + ":"));
    }

    private static KafkaConsumer<String, byte[]> peer() {
        Map<String, Object> props = kafka.consumerProps(GROUP);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaProducer<String, byte[]> producer() {
        Map<String, Object> props = kafka.producerProps();
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static void awaitAssignment(KafkaConsumer<String, byte[]> consumer, int partitions) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (consumer.assignment().size() < partitions && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100));
        }
        assertThat(consumer.assignment()).hasSize(partitions);
    }

    /** Tombstones of other actions: cheap to write, but every one must be read. */
    private static void backlog(KafkaProducer<String, byte[]> producer, String topic) {
        for (int i = 0; i < BACKLOG; i++) {
            producer.send(new ProducerRecord<>(topic, 0, "other-" + i, null));
        }
    }

    private static Snapshot snapshot(ActionRecord action, Instant at) {
        return new Snapshot(
                action.actionId(),
                action.repo(),
                action.target(),
                action.type(),
                action.producedBy(),
                at,
                TargetState.issue("open", List.of(), List.of()));
    }

    private static AuditRecord applied(ActionRecord action, long commentId) {
        TargetState before = TargetState.issue("open", List.of(), List.of());
        return new AuditRecord(
                action.actionId() + "/applied/peer",
                action.actionId(),
                action.repo(),
                action.target(),
                action.type(),
                AuditOutcome.APPLIED,
                before,
                before.withCommentId(commentId),
                201,
                null,
                null,
                action.producedBy(),
                new ArrayList<>(action.causedBy()),
                ActionMetadata.of(action),
                Instant.now(),
                Instant.now());
    }
}
