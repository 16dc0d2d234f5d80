package io.repostream.flink.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.Events;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.RepoMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventCountCombinerTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Instant W0 = Instant.parse("2026-03-02T09:00:00Z");

    private OneInputStreamOperatorTestHarness<GitHubEvent, RepoMetrics> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void sendsOneCountPerRepoTypeAndWindowBeforeTheWatermarkThatClosesTheWindow() throws Exception {
        open(EventCountCombiner.DEFAULT_MAX_BUCKETS);
        for (int i = 0; i < 3; i++) {
            event(opened("octo-org/a", i, W0.plusSeconds(i)));
        }
        event(closed("octo-org/a", 1, W0.plusSeconds(10)));
        event(opened("octo-org/b", 1, W0.plusSeconds(59)));
        event(opened("octo-org/b", 2, W0.plusSeconds(61))); // the next window
        assertThat(harness.getOutput()).isEmpty();

        harness.processWatermark(W0.plus(MINUTE).toEpochMilli() - 2);
        assertThat(harness.getOutput()).hasSize(1).allMatch(o -> o instanceof Watermark);

        harness.processWatermark(W0.plus(MINUTE).toEpochMilli() - 1);

        List<Object> output = new ArrayList<>(harness.getOutput());
        assertThat(output).hasSize(5);
        assertThat(output.subList(1, 4))
                .map(o -> count((StreamRecord<?>) o))
                .containsExactly(
                        "octo-org/a issues.opened 09:00 3.0",
                        "octo-org/a issues.closed 09:00 1.0",
                        "octo-org/b issues.opened 09:00 1.0");
        assertThat(output.subList(1, 4))
                .allSatisfy(
                        o ->
                                assertThat(((StreamRecord<?>) o).getTimestamp())
                                        .as("inside its window")
                                        .isEqualTo(W0.plus(MINUTE).toEpochMilli() - 1));
        assertThat(output.get(4)).isEqualTo(new Watermark(W0.plus(MINUTE).toEpochMilli() - 1));

        harness.processWatermark(Long.MAX_VALUE);
        assertThat(harness.extractOutputStreamRecords())
                .map(this::count)
                .last()
                .isEqualTo("octo-org/b issues.opened 09:01 1.0");
    }

    @Test
    void sendsEveryOpenCountBeforeACheckpointBarrierSoTheOperatorNeedsNoState() throws Exception {
        open(EventCountCombiner.DEFAULT_MAX_BUCKETS);
        event(opened("octo-org/a", 1, W0));
        event(opened("octo-org/a", 2, W0.plusSeconds(90)));

        harness.prepareSnapshotPreBarrier(1);

        assertThat(harness.extractOutputStreamRecords())
                .map(this::count)
                .containsExactly(
                        "octo-org/a issues.opened 09:00 1.0", "octo-org/a issues.opened 09:01 1.0");
        assertThat(harness.snapshot(1, 1).getManagedOperatorState()).isEmpty();

        event(opened("octo-org/a", 3, W0.plusSeconds(1)));
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(harness.extractOutputStreamRecords())
                .map(this::count)
                .last()
                .as("counted afresh after the barrier")
                .isEqualTo("octo-org/a issues.opened 09:00 1.0");
    }

    @Test
    void letsAnEventWhoseWindowThisSubtaskClosedGoOnAloneForTheWindowToJudge() throws Exception {
        open(EventCountCombiner.DEFAULT_MAX_BUCKETS);
        harness.processWatermark(W0.plus(MINUTE).toEpochMilli());
        GitHubEvent late = opened("octo-org/a", 1, W0.plusSeconds(30));

        event(late);

        assertThat(harness.extractOutputStreamRecords())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.getValue())
                                    .isEqualTo(MetricSignals.EventCount.sample(late));
                            assertThat(r.getTimestamp())
                                    .isEqualTo(late.occurredAt().toEpochMilli());
                        });
    }

    @Test
    void sendsAllCountsEarlyWhenMoreThanItsBoundAreOpen() throws Exception {
        open(2);
        event(opened("octo-org/a", 1, W0));
        event(opened("octo-org/b", 1, W0));
        assertThat(harness.extractOutputStreamRecords()).isEmpty();

        event(opened("octo-org/c", 1, W0));

        assertThat(harness.extractOutputStreamRecords())
                .map(this::count)
                .containsExactly(
                        "octo-org/a issues.opened 09:00 1.0",
                        "octo-org/b issues.opened 09:00 1.0",
                        "octo-org/c issues.opened 09:00 1.0");
    }

    @Test
    void withoutBucketsSendsEachEventsSampleAsTheJobDidBefore() throws Exception {
        open(0);
        GitHubEvent e = opened("octo-org/a", 1, W0.plusSeconds(5));

        event(e);
        event(e);

        assertThat(harness.extractOutputValues())
                .containsExactly(
                        MetricSignals.EventCount.sample(e), MetricSignals.EventCount.sample(e));
    }

    private void open(int maxBuckets) throws Exception {
        harness =
                new OneInputStreamOperatorTestHarness<>(new EventCountCombiner(MINUTE, maxBuckets));
        harness.open();
    }

    private void event(GitHubEvent e) throws Exception {
        harness.processElement(e, e.occurredAt().toEpochMilli());
    }

    private String count(StreamRecord<?> record) {
        RepoMetrics m = (RepoMetrics) record.getValue();
        assertThat(m.metric()).isEqualTo("events");
        assertThat(Duration.between(m.windowStart(), m.windowEnd())).isEqualTo(MINUTE);
        assertThat(m.labels()).containsOnlyKeys("type");
        return m.repo()
                + " "
                + m.labels().get("type")
                + " "
                + m.windowStart().toString().substring(11, 16)
                + " "
                + m.value();
    }

    private static GitHubEvent opened(String repo, long number, Instant at) {
        return Events.issue("opened", repo, number, List.of(), at);
    }

    private static GitHubEvent closed(String repo, long number, Instant at) {
        return Events.issue("closed", repo, number, List.of(), at);
    }
}
