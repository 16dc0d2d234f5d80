package io.repostream.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.repostream.schemas.AuditOutcome;
import io.repostream.schemas.AuditRecord;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A repository without webhooks, through every real hop: the bridge polls its event feed, the Flink
 * job reads the polled (webhook-shaped) events like webhooks and proposes the triage label, the
 * executor applies it on the simulated GitHub.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PolledRepoEndToEndTest {
    private static final String REPO = "quiet-org/no-hooks";

    @TempDir Path workDir;

    /**
     * @param trimmedFeed the event feed leaves labels and updated_at out of its issues, as the
     *     Events API trims payloads: the bridge reads the issue itself, so the labelled issue still
     *     gets no triage label
     */
    @ParameterizedTest(name = "trimmed feed: {0}")
    @ValueSource(booleans = {false, true})
    void anIssueOpenedInARepoWithoutWebhooksIsTriagedThroughPolling(boolean trimmedFeed)
            throws Exception {
        try (LocalStack stack = LocalStack.start(workDir, List.of(REPO))) {
            stack.github().createRepo(REPO);
            if (trimmedFeed) {
                stack.github().omitFromEventFeedItems("labels", "updated_at");
            }
            int issue = stack.github().createIssue(REPO, "Polled", "no webhook for this", "alice");
            int labelled =
                    stack.github()
                            .createIssue(REPO, "Already labelled", "left alone", "bob", "bug");

            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> stack.github().labels(REPO, issue).contains("needs-triage"));

            List<GitHubEvent> events =
                    stack.kafka().consume(Topics.EVENTS, 2, Duration.ofSeconds(30)).stream()
                            .map(r -> r.value())
                            .filter(e -> REPO.equals(e.repo()))
                            .toList();
            assertThat(events).isNotEmpty().allMatch(e -> e.source() == EventSource.POLL);
            List<AuditRecord> audits =
                    stack.kafka().consume(Topics.AUDIT, 1, Duration.ofSeconds(30)).stream()
                            .map(r -> r.value())
                            .filter(a -> REPO.equals(a.repo()))
                            .toList();
            assertThat(audits)
                    .singleElement()
                    .satisfies(
                            a -> {
                                assertThat(a.outcome()).isEqualTo(AuditOutcome.APPLIED);
                                assertThat(a.target()).isEqualTo(issue);
                            });
            assertThat(stack.github().labels(REPO, labelled)).containsExactly("bug");
        }
    }
}
