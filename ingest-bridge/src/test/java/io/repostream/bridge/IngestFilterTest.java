package io.repostream.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.repostream.bridge.webhook.EventNormalizer;
import io.repostream.schemas.GitHubEvent;
import io.repostream.testkit.fixtures.WebhookExample;
import io.repostream.testkit.fixtures.WebhookExamples;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IngestFilterTest {
    private static GitHubEvent event(WebhookExample example) {
        return EventNormalizer.normalize(
                "d-1", example.event(), EventNormalizer.parse(example.body()), Instant.EPOCH);
    }

    private final IngestFilter bugsOnly = new IngestFilter(Set.of(), Set.of(), Set.of("BUG"));

    @Test
    void anIssueOrPullRequestCarryingAWantedLabelPasses() {
        assertThat(bugsOnly.dropReason(event(WebhookExamples.first("issues", "edited")))).isEmpty();
        assertThat(bugsOnly.dropReason(event(WebhookExamples.first("pull_request", "assigned"))))
                .isEmpty();
    }

    @Test
    void anIssueOrPullRequestWithoutAWantedLabelIsDroppedWithTheReason() {
        assertThat(bugsOnly.dropReason(event(WebhookExamples.first("pull_request", "opened"))))
                .contains("label_not_matched");
        IngestFilter docsOnly = new IngestFilter(Set.of(), Set.of(), Set.of("docs"));
        assertThat(docsOnly.dropReason(event(WebhookExamples.first("issues", "edited"))))
                .contains("label_not_matched");
    }

    @Test
    void eventsNotAboutAnIssueOrPullRequestAreNotAffectedByTheLabelFilter() {
        assertThat(bugsOnly.dropReason(event(WebhookExamples.of("push").get(0)))).isEmpty();
        assertThat(bugsOnly.dropReason(event(WebhookExamples.first("workflow_run", "completed"))))
                .isEmpty();
    }

    @Test
    void ownersAreMatchedByRepositoryOwnerOrOrganisation() {
        IngestFilter codertocat = new IngestFilter(Set.of("Codertocat"), Set.of());
        IngestFilter others = new IngestFilter(Set.of("someone-else"), Set.of());
        GitHubEvent issue = event(WebhookExamples.first("issues", "edited"));

        assertThat(codertocat.dropReason(issue)).isEmpty();
        assertThat(others.dropReason(issue)).contains("owner_not_allowed");
    }
}
