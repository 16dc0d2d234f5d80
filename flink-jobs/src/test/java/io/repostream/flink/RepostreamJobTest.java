package io.repostream.flink;

import static io.repostream.flink.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.schemas.ActionRecord;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The production graph on a MiniCluster at parallelism 2, over finite sources. */
class RepostreamJobTest {

    @TempDir Path checkpoints;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void triagesEveryUnlabelledIssueAndActsOnEverySlaBreachOnceAcrossParallelSubtasks()
            throws Exception {
        List<GitHubEvent> events = new ArrayList<>();
        for (int n = 1; n <= 40; n++) {
            String repo = "octo-org/repo-" + (n % 4);
            List<String> labels = n % 5 == 0 ? List.of("bug") : List.of();
            GitHubEvent opened = Events.issue("opened", repo, n, labels, T0.plusSeconds(n));
            events.add(opened);
            if (n % 3 == 0) {
                events.add(Events.redelivered(opened, "poll-" + n));
            }
        }
        events.add(Events.workflowRun("octo-org/repo-2", "CI", 901, "def", "success", 1, 0, T0));
        // a re-run expires six hours after its planned time, and the governor drops expired
        // actions: this failure must be recent. It comes last: an event months older read after
        // it by the same reader would be late once a watermark went out between the two, and
        // the metrics windows would rightly leave it out
        Instant recent = Instant.now().minusSeconds(60);
        events.add(
                Events.workflowRun("octo-org/repo-1", "CI", 900, "abc", "timed_out", 1, 0, recent));
        CollectingSink<ActionRecord> actions = new CollectingSink<>();
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        RepostreamJob.localConfiguration(checkpoints, Duration.ofMillis(500)));
        env.setParallelism(2);

        CollectingSink<RepoMetrics> metrics = new CollectingSink<>();
        new RepostreamJob(
                        FiniteSource.of(GitHubEvent.class, events),
                        FiniteSource.of(
                                RepoPolicy.class,
                                List.of(RepoPolicy.defaults("octo-org/unrelated"))),
                        null,
                        actions,
                        metrics)
                .build(env);
        env.execute("repostream-minicluster-test");

        List<String> expected = new ArrayList<>();
        for (int n = 1; n <= 40; n++) {
            if (n % 5 != 0) {
                expected.add("triage-label@1:octo-org/repo-" + (n % 4) + "#" + n);
            }
        }
        assertThat(actions.collected())
                .filteredOn(a -> a.producedBy().equals("triage-label@1"))
                .extracting(ActionRecord::actionId)
                .containsExactlyInAnyOrderElementsOf(expected);
        // the end of the finite input moves event time to the end of time: every open issue
        // breaches both targets, and each breach yields one label and one comment
        List<String> breaches =
                actions.collected().stream()
                        .filter(a -> a.producedBy().equals("sla-monitor@1"))
                        .map(ActionRecord::actionId)
                        .toList();
        assertThat(breaches).hasSize(40 * 4).doesNotHaveDuplicates();

        assertThat(actions.collected())
                .filteredOn(a -> a.producedBy().equals("ci-retry@1"))
                .extracting(ActionRecord::actionId)
                .containsExactly("ci-retry@1:octo-org/repo-1:run-900:attempt-2");

        // analytics: per-repo, per-minute windows that add up to what went through
        assertThat(sum(metrics.collected(), "events")).isEqualTo(events.size());
        assertThat(sum(metrics.collected(), "sla_breaches")).isEqualTo(40 * 2);
        assertThat(sum(metrics.collected(), "ci_failures")).isEqualTo(1);
        assertThat(sum(metrics.collected(), "actions_proposed"))
                .isEqualTo(actions.collected().size());
        for (int r = 0; r < 4; r++) {
            String repo = "octo-org/repo-" + r;
            assertThat(
                            metrics.collected().stream()
                                    .filter(m -> m.metric().equals("open_items"))
                                    .filter(m -> m.repo().equals(repo))
                                    .mapToDouble(RepoMetrics::value)
                                    .max())
                    .as("open items of %s", repo)
                    .hasValue(10);
        }
        assertThat(metrics.collected())
                .filteredOn(m -> m.metric().equals("events"))
                .allSatisfy(
                        m -> {
                            assertThat(m.repo()).startsWith("octo-org/repo-");
                            assertThat(Duration.between(m.windowStart(), m.windowEnd()))
                                    .isEqualTo(RepostreamJob.METRICS_WINDOW);
                        });
    }

    private static double sum(List<RepoMetrics> metrics, String name) {
        return metrics.stream()
                .filter(m -> m.metric().equals(name))
                .mapToDouble(RepoMetrics::value)
                .sum();
    }
}
