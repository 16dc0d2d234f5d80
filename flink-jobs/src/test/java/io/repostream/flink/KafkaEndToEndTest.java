package io.repostream.flink;

import static io.repostream.flink.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.topics.Topic;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Events in on {@code github.events.v1} → the job on a MiniCluster with RocksDB and exactly-once
 * checkpoints → actions read {@code read_committed} from {@code github.actions.v1}.
 */
class KafkaEndToEndTest {
    private static final String REPO = "octo-org/widgets";

    @TempDir Path checkpoints;

    private EmbeddedKafkaBroker broker;
    private KafkaProducer<String, String> producer;
    private JobClient job;

    @BeforeEach
    void startBroker() {
        broker = EmbeddedKafkaBroker.start();
        broker.createTopics(Topics.all());
        producer = new KafkaProducer<>(broker.producerProps());
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (job != null) {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
        producer.close();
        broker.close();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void turnsIssueEventsFromKafkaIntoCommittedActionsAndFollowsAPolicyChangeWithoutRestart()
            throws Exception {
        send(Topics.EVENTS, REPO, Events.issue("opened", REPO, 1, List.of(), T0));
        send(Topics.EVENTS, REPO, Events.issue("opened", REPO, 2, List.of("bug"), T0));
        producer.send(
                        new ProducerRecord<>(
                                Topics.EVENTS.name(), REPO, "{\"this is\": \"not an event\"}"))
                .get();
        send(Topics.EVENTS, REPO, Events.issue("opened", REPO, 3, List.of(), T0.plusSeconds(5)));
        job = startJob();

        List<ConsumerRecord<String, ActionRecord>> first =
                broker.consume(Topics.ACTIONS, 2, Duration.ofSeconds(60));
        assertThat(first)
                .extracting(r -> r.value().actionId())
                .containsExactlyInAnyOrder(
                        "triage-label@1:octo-org/widgets#1", "triage-label@1:octo-org/widgets#3");
        assertThat(first).allSatisfy(r -> assertThat(r.key()).isEqualTo(REPO));
        assertThat(first)
                .allSatisfy(
                        r ->
                                assertThat(r.value().params().get("labels").get(0).asText())
                                        .isEqualTo("needs-triage"));

        RepoPolicy policy =
                new RepoPolicy(
                        REPO, "triage/new", null, true, 300, null, null, null, null, null, T0);
        send(Topics.CONFIG, REPO, policy);
        ActionRecord underPolicy = null;
        // the policy and the events travel on different topics: open issues until one is seen
        // under the new policy, a bounded number of times
        for (int n = 10; n < 40 && underPolicy == null; n++) {
            send(
                    Topics.EVENTS,
                    REPO,
                    Events.issue("opened", REPO, n, List.of(), T0.plusSeconds(n)));
            List<ConsumerRecord<String, ActionRecord>> all =
                    broker.consume(Topics.ACTIONS, first.size() + n - 9, Duration.ofSeconds(30));
            underPolicy =
                    all.stream()
                            .map(ConsumerRecord::value)
                            .filter(
                                    a ->
                                            a.params()
                                                    .get("labels")
                                                    .get(0)
                                                    .asText()
                                                    .equals("triage/new"))
                            .findFirst()
                            .orElse(null);
        }
        assertThat(underPolicy).as("an action under the new policy").isNotNull();
        assertThat(underPolicy.dryRun()).isTrue();
    }

    private JobClient startJob() throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        RepostreamJob.localConfiguration(checkpoints, Duration.ofMillis(500)));
        env.setParallelism(2);
        JobConfig config =
                JobConfig.defaults(broker.bootstrapServers())
                        .withTransactionalIdPrefix("e2e-" + System.nanoTime());
        RepostreamJob.fromKafka(config).build(env);
        return env.executeAsync("repostream-e2e");
    }

    private <V> void send(Topic<String, V> topic, String key, V value) throws Exception {
        String json = new String(topic.valueCodec().encode(value), StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic.name(), key, json)).get();
    }
}
