package io.repostream.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.repostream.executor.support.Actions;
import io.repostream.executor.support.ExecutorConfigs;
import io.repostream.executor.support.KafkaTopics;
import io.repostream.executor.support.Policies;
import io.repostream.schemas.ActionRecord;
import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.github.TimedMutation;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A worker holds an action from its read to its mutation, blocked on GitHub's answers and on
 * Kafka's acknowledgement of the snapshot: the number of workers, not GitHub's pacing, then bounds
 * how many actions of different targets are applied at a time. Issue 15's bench (50 events/s over
 * 100 installations, each far under its 1 write/s) was applied at about 32 labels/s, 32 workers
 * each blocked about a second per action; no worker slept in the pacing (JFR: no ThreadSleep on an
 * action worker, its waits were HTTP answers and snapshot acks).
 */
@ExtendWith(KafkaAndGitHub.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WorkerConcurrencyTest {
    /** GitHub's answers arrive this late (the simulator's response delay): a slow API. */
    private static final Duration ANSWER_DELAY = Duration.ofSeconds(3);

    /** More targets than the 32 workers of before, fewer than GitHub's 100 requests in flight. */
    private static final int TARGETS = 48;

    private static EmbeddedKafkaBroker kafka;
    private static GitHubSimulator github;
    private static KafkaTopics topics;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
        kafka = broker;
        github = simulator;
        github.removeLimits();
        topics = new KafkaTopics(kafka);
    }

    @AfterAll
    static void stop() {
        github.setResponseDelay(Duration.ZERO);
        topics.close();
    }

    @Test
    void labelsForMoreTargetsThanThirtyTwoDueTogetherAreAppliedInOneWaveNotQueuedBehindWorkers() {
        String repo = "acme/workers-" + UUID.randomUUID().toString().substring(0, 8);
        github.createRepo(repo);
        topics.send(Policies.everyActionType(repo, 1000));
        List<ActionRecord> actions = new ArrayList<>();
        for (int i = 0; i < TARGETS; i++) {
            int issue = github.createIssue(repo, "issue " + i, "", "alice");
            actions.add(Actions.addLabels(repo, issue, "triage/needed"));
        }
        try (ActionExecutor executor =
                ActionExecutor.start(
                        ExecutorConfigs.forSimulator(
                                kafka, github, "workers-" + UUID.randomUUID()))) {
            await().atMost(Duration.ofSeconds(30)).until(executor::ready);
            github.setResponseDelay(ANSWER_DELAY);
            github.resetMaxConcurrentRequests();
            try {
                topics.sendAll(actions);
                topics.awaitAudited(
                        actions.stream().map(ActionRecord::actionId).toList(),
                        Duration.ofSeconds(120));
            } finally {
                github.setResponseDelay(Duration.ZERO);
            }
        }
        // the simulator held a request of every target at once: each had a worker
        assertThat(github.maxConcurrentRequests()).isGreaterThanOrEqualTo(TARGETS);
        List<Instant> applied =
                github.timedMutations().stream()
                        .filter(m -> m.mutation().startsWith(repo + "#"))
                        .map(TimedMutation::appliedAt)
                        .sorted()
                        .toList();
        assertThat(applied).hasSize(TARGETS);
        // each action blocks its worker through two answers (the read, the mutation): an action
        // that waited for a worker is applied at least two answer delays after the first wave
        // (measured with 32 workers: 9.1 s first to last); with a worker each, all are applied
        // in one wave (4.2 s first to last at a load average of 30)
        assertThat(Duration.between(applied.get(0), applied.get(TARGETS - 1)))
                .as("first to last of %d labels due together", TARGETS)
                .isLessThan(ANSWER_DELAY.multipliedBy(2));
    }
}
