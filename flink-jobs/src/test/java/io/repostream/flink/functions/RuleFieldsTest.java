package io.repostream.flink.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.flink.Events;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.json.Json;
import io.repostream.testkit.fixtures.WebhookExample;
import io.repostream.testkit.fixtures.WebhookExamples;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleFieldsTest {
    private final RuleFields projection = new RuleFields();

    @Test
    void keepsWhatTheRulesReadAndDropsTheRest() throws Exception {
        GitHubEvent opened =
                Events.authoredBy(
                        Events.issue("opened", "o/r", 5, List.of("bug", "P1"), Instant.EPOCH),
                        "alice");

        GitHubEvent slim = projection.map(opened);

        assertThat(GitHubPayloads.itemNumber(slim)).hasValue(5);
        assertThat(GitHubPayloads.labels(slim)).containsExactly("bug", "P1");
        assertThat(GitHubPayloads.author(slim)).isEqualTo("alice");
        assertThat(slim.payload().path("issue").has("body")).isFalse();
        assertThat(slim.payload().has("repository")).isFalse();
        assertThat(slim.eventId()).isEqualTo(opened.eventId());
    }

    @Test
    void shrinksEveryRealPayloadAndKeepsCiFields() throws Exception {
        long before = 0;
        long after = 0;
        for (WebhookExample example : WebhookExamples.all()) {
            var payload = Json.mapper().readTree(example.json());
            before += Json.mapper().writeValueAsBytes(payload).length;
            after +=
                    Json.mapper()
                            .writeValueAsBytes(PayloadProjection.project(payload, RuleFields.KEPT))
                            .length;
        }
        assertThat(after).isLessThan(before / 10);

        GitHubEvent job =
                projection.map(
                        Events.workflowJob(
                                "o/r",
                                "CI",
                                77,
                                "build",
                                "failure",
                                List.of("Compile"),
                                Instant.EPOCH));
        assertThat(job.payload().path("workflow_job").path("run_id").asLong()).isEqualTo(77);
        assertThat(job.payload().path("workflow_job").path("steps").get(1).path("name").asText())
                .isEqualTo("Compile");
    }
}
