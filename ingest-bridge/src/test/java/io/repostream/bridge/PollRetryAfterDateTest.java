package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.testkit.github.GitHubSimulator;
import io.repostream.testkit.junit.KafkaAndGitHub;
import io.repostream.testkit.kafka.EmbeddedKafkaBroker;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A {@code Retry-After} sent as an HTTP-date (RFC 9110; a proxy in front of GitHub may send one)
 * stops polling until that date, counted from the answer's {@code Date}: not GitHub's minute for a
 * limit that names no time, and not less when GitHub's clock is behind ours.
 */
@ExtendWith({VertxExtension.class, KafkaAndGitHub.class})
@Timeout(90)
class PollRetryAfterDateTest {
    private static final String REPO = "octo/dated-limit";

    private static EmbeddedKafkaBroker kafka;
    private static GitHubSimulator github;

    @BeforeAll
    static void start(EmbeddedKafkaBroker broker, GitHubSimulator simulator) {
        kafka = broker;
        github = simulator;
        github.createRepo(REPO);
    }

    @AfterEach
    void restore() {
        github.setRetryAfterAsHttpDate(false);
        github.unfreezeTime();
        github.resetQuotas();
    }

    @Test
    void aRetryAfterDateCountedFromGitHubsDateHeaderStopsThePollUntilThen() {
        try (IngestBridge bridge =
                TestBridges.startPolling(
                        TestBridges.config(kafka, "dated-limit-secret")
                                .withPoll(
                                        TestBridges.polling(
                                                github, REPO, Duration.ofHours(1), null)),
                        github,
                        REPO)) {
            bridge.pollNow(); // the first round set the lists' cursors
            github.createIssue(REPO, "first", "body", "alice");
            github.setRetryAfterAsHttpDate(true);
            github.freezeTime();
            github.advanceTime(Duration.ofHours(-1)); // GitHub's clock an hour behind ours
            github.limitNext(429, 3, "/repos/" + REPO + "/issues");

            bridge.pollNow();
            assertThat(requests()).last().satisfies(r -> assertThat(r).endsWith(" 429"));
            int afterLimit = requests().size();
            assertThat(bridge.pollNow()).isZero();
            assertThat(requests()).as("nothing asked while limited").hasSize(afterLimit);

            // 3 s after GitHub's Date, not a minute: the lists are read again
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> {
                                bridge.pollNow();
                                return requests().stream()
                                        .skip(afterLimit)
                                        .anyMatch(r -> r.contains("/pulls"));
                            });
        }
    }

    private static List<String> requests() {
        return github.requests().stream().filter(r -> r.contains(" /repos/" + REPO)).toList();
    }
}
