package io.repostream.flink;

import static io.repostream.flink.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.metrics.OpenItemsGauge;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoMetrics;
import io.repostream.schemas.RepoPolicy;
import io.repostream.schemas.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counting events ahead of the windows' key exchange ({@code EventCountCombiner}) leaves what the
 * job writes to {@code github.metrics.v1} as it was with one sample per event.
 */
class EventCountPreAggregationTest {

    @TempDir Path checkpoints;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void writesTheSameMetricsAsOneSamplePerEventOnTheSameInput() throws Exception {
        List<GitHubEvent> events = input();

        List<String> counted = metrics(events, true);
        List<String> perEvent = metrics(events, false);

        assertThat(counted).isNotEmpty().isEqualTo(perEvent);
        assertThat(counted).anyMatch(line -> !line.contains("\"metric\":\"events\""));
        assertThat(eventCounts(counted)).isEqualTo(expectedEventCounts(events));
    }

    /**
     * 144 issues in 6 repos over 5 minutes, each opened (labelled, so no triage), answered,
     * labelled again and closed well within its SLA, plus green CI runs; a bit disordered. No rule
     * proposes an action, so no metric depends on the wall clock or on which subtask went first.
     *
     * <p>The source reads the list as two equal halves, one per reader, as two Kafka partitions:
     * each half holds whole issues (and its disorder stays inside it), so every issue's events
     * reach its subtask in one order in every run.
     */
    private static List<GitHubEvent> input() {
        List<GitHubEvent> events = new ArrayList<>();
        for (int half = 0; half < 2; half++) {
            List<GitHubEvent> part = new ArrayList<>();
            for (int n = 1 + 72 * half; n <= 72 + 72 * half; n++) {
                String repo = "octo-org/repo-" + (n % 6);
                Instant at = T0.plusSeconds(2L * n);
                part.add(Events.issue("opened", repo, n, List.of("bug"), at));
                part.add(Events.comment(repo, n, "maintainer", "User", at.plusMillis(500)));
                part.add(
                        Events.issue(
                                "labeled", repo, n, List.of("bug", "P3"), at.plusMillis(1000)));
                part.add(
                        Events.issue("closed", repo, n, List.of("bug", "P3"), at.plusMillis(1500)));
                if (n % 10 == 0) {
                    part.add(
                            Events.workflowRun(
                                    repo, "CI", 1000 + n, "sha" + n, "success", 1, 0, at));
                }
            }
            // disorder well within the 30 s the watermarks allow: nothing is late either way
            for (int i = 0; i + 7 < part.size(); i += 11) {
                Collections.swap(part, i, i + 7);
            }
            events.addAll(part);
        }
        // 72 * 4 events and 7 runs in each half
        assertThat(events).hasSize(2 * (72 * 4 + 7));
        return events;
    }

    /** The metrics the job writes for {@code events}, as sorted JSON lines. */
    private List<String> metrics(List<GitHubEvent> events, boolean countAhead) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        RepostreamJob.localConfiguration(
                                checkpoints.resolve(countAhead ? "counted" : "per-event"),
                                Duration.ofMillis(500)));
        env.setParallelism(2);
        CollectingSink<RepoMetrics> metrics = new CollectingSink<>();
        RepostreamJob job =
                new RepostreamJob(
                        FiniteSource.of(GitHubEvent.class, events),
                        FiniteSource.of(
                                RepoPolicy.class,
                                List.of(RepoPolicy.defaults("octo-org/unrelated"))),
                        null,
                        new CollectingSink<>(),
                        metrics);
        (countAhead ? job : job.withEventCountBuckets(0)).build(env);
        env.execute("event-count-pre-aggregation-test");
        List<String> lines = new ArrayList<>();
        for (RepoMetrics m : metrics.collected()) {
            if (m.metric().equals(OpenItemsGauge.METRIC)) {
                // a level, the last of the window in arrival order, which interleaves the SLA
                // subtasks' changes differently from run to run (also without counting ahead);
                // its samples never pass the event counts: compare which windows have one
                m =
                        new RepoMetrics(
                                m.repo(),
                                m.metric(),
                                m.labels(),
                                0,
                                m.windowStart(),
                                m.windowEnd());
            }
            lines.add(Json.mapper().writeValueAsString(m));
        }
        Collections.sort(lines);
        return lines;
    }

    private static Map<String, Double> eventCounts(List<String> lines) throws Exception {
        Map<String, Double> counts = new TreeMap<>();
        for (String line : lines) {
            RepoMetrics m = Json.mapper().readValue(line, RepoMetrics.class);
            if (m.metric().equals("events")) {
                assertThat(
                                counts.put(
                                        series(m.repo(), m.labels().get("type"), m.windowStart()),
                                        m.value()))
                        .as("one record per series and window")
                        .isNull();
            }
        }
        return counts;
    }

    private static Map<String, Double> expectedEventCounts(List<GitHubEvent> events) {
        Map<String, Double> counts = new TreeMap<>();
        long window = RepostreamJob.METRICS_WINDOW.toMillis();
        for (GitHubEvent e : events) {
            long ms = e.occurredAt().toEpochMilli();
            Instant start = Instant.ofEpochMilli(ms - Math.floorMod(ms, window));
            counts.merge(series(e.key(), e.qualifiedType(), start), 1.0, Double::sum);
        }
        return counts;
    }

    private static String series(String repo, String type, Instant windowStart) {
        return repo + " " + type + " " + windowStart;
    }
}
