package io.repostream.flink.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.serialization.SerializerContract;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.json.Json;
import io.repostream.testkit.fixtures.WebhookExample;
import io.repostream.testkit.fixtures.WebhookExamples;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildSignalSerializerTest {
    private static final Instant AT = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void carriesEverySignalTheRealGitHubExamplePayloadsGive() throws Exception {
        List<BuildSignal> samples = new ArrayList<>();
        for (WebhookExample example : WebhookExamples.all()) {
            GitHubEvent event =
                    new GitHubEvent(
                            "delivery-" + example.qualifiedType() + "-" + example.index(),
                            EventSource.WEBHOOK,
                            example.event(),
                            example.action(),
                            "octo-org/widgets-" + example.index() % 3,
                            null,
                            example.index() % 2 == 0 ? null : 42L,
                            AT.plusSeconds(example.index()),
                            AT,
                            Json.mapper().readTree(example.json()));
            BuildSignal signal = BuildSignals.of(event);
            if (signal != null) {
                samples.add(signal);
            }
        }
        assertThat(samples).extracting(BuildSignal::kind).contains(BuildSignal.Kind.values());
        // the examples share their actors and sizes: one signal with every field its own
        samples.add(
                new BuildSignal(
                        BuildSignal.Kind.RUN_COMPLETED,
                        "octo-org/other",
                        "délivery-😀",
                        AT.plusMillis(999),
                        7L,
                        99L,
                        3,
                        5L,
                        "deadbeef",
                        "renovate[bot] ✓",
                        List.of(1L, 2L),
                        4,
                        5,
                        6,
                        7,
                        AT.minusSeconds(86_400),
                        "approved",
                        "timed_out"));

        SerializerContract.check(BuildSignal.class, BuildSignalSerializer.INSTANCE, samples);
    }
}
