package io.repostream.executor.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.executor.control.ControlState;
import io.repostream.executor.policy.PolicyStore;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The admin API asks the tail whether it follows the kill-switch topic from its own thread while
 * the executor's thread polls the tail. A KafkaConsumer refuses a call from a second thread while
 * it polls, which the API answered with 503 ({@code PUT /kill-switch} failed now and then).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TopicTailThreadsTest {
    @Test
    void anotherThreadCanAskWhetherTheKillSwitchIsFollowedWhileTheTailPolls() throws Exception {
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            kafka.createTopics(Topics.all());
            try (TopicTail tail =
                    new TopicTail(
                            Map.of(
                                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    kafka.bootstrapServers()),
                            new Ledger(),
                            new PolicyStore(),
                            new ControlState())) {
                AtomicBoolean stop = new AtomicBoolean();
                CompletableFuture<Void> polling =
                        CompletableFuture.runAsync(
                                () -> {
                                    while (!stop.get()) {
                                        tail.pollOnce(Duration.ofMillis(50));
                                    }
                                });
                try {
                    for (int i = 0; i < 5_000; i++) {
                        assertThat(tail.followsControl()).isTrue();
                    }
                } finally {
                    stop.set(true);
                    polling.get(30, TimeUnit.SECONDS);
                }
            }
        }
    }
}
