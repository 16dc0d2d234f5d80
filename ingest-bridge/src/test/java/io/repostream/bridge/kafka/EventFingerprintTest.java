package io.repostream.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.bridge.poll.PolledEvents;
import io.repostream.bridge.webhook.EventNormalizer;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.json.Json;
import io.repostream.testkit.fixtures.WebhookExample;
import io.repostream.testkit.fixtures.WebhookExamples;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventFingerprintTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    private static GitHubEvent webhook(WebhookExample example) {
        JsonNode payload = EventNormalizer.parse(example.json().getBytes(StandardCharsets.UTF_8));
        return EventNormalizer.normalize("d-1", example.event(), payload, NOW);
    }

    /** The feed entry GitHub's events API shows for the same happening. */
    private static GitHubEvent feedEntryFor(GitHubEvent webhook, String feedType) {
        ObjectNode entry = Json.mapper().createObjectNode();
        entry.put("id", "123");
        entry.put("type", feedType);
        entry.putObject("repo").put("name", webhook.repo());
        entry.put("created_at", "2030-01-01T00:00:00Z");
        ObjectNode payload = ((ObjectNode) webhook.payload()).deepCopy();
        if (feedType.equals("PushEvent")) {
            payload.set("head", payload.get("after"));
            payload.remove("after");
        }
        entry.set("payload", payload);
        return PolledEvents.toEvent(entry, NOW);
    }

    @Test
    void aWebhookAndTheFeedEntryOfTheSameHappeningShareAFingerprint() {
        GitHubEvent issue = webhook(WebhookExamples.first("issues", "opened"));
        GitHubEvent comment = webhook(WebhookExamples.first("issue_comment", "created"));
        GitHubEvent pull = webhook(WebhookExamples.first("pull_request", "opened"));
        GitHubEvent push = webhook(WebhookExamples.of("push").get(0));

        assertThat(EventFingerprint.of(issue))
                .isPresent()
                .isEqualTo(EventFingerprint.of(feedEntryFor(issue, "IssuesEvent")));
        assertThat(EventFingerprint.of(comment))
                .isPresent()
                .isEqualTo(EventFingerprint.of(feedEntryFor(comment, "IssueCommentEvent")));
        assertThat(EventFingerprint.of(pull))
                .isPresent()
                .isEqualTo(EventFingerprint.of(feedEntryFor(pull, "PullRequestEvent")));
        assertThat(EventFingerprint.of(push))
                .isPresent()
                .isEqualTo(EventFingerprint.of(feedEntryFor(push, "PushEvent")));
    }

    @Test
    void anotherChangeOfTheSameIssueHasAnotherFingerprint() {
        GitHubEvent labeled = webhook(WebhookExamples.first("issues", "labeled"));
        ObjectNode later = ((ObjectNode) labeled.payload()).deepCopy();
        ((ObjectNode) later.get("issue")).put("updated_at", "2031-01-01T00:00:00Z");
        GitHubEvent labeledAgain = EventNormalizer.normalize("d-2", "issues", later, NOW);

        assertThat(EventFingerprint.of(labeledAgain)).isNotEqualTo(EventFingerprint.of(labeled));
    }

    @Test
    void anItemOpensOnceAndClosesAtItsClosedAtWhateverItsUpdatedAtSaysLater() {
        GitHubEvent opened = webhook(WebhookExamples.first("issues", "opened"));
        ObjectNode listedLater = ((ObjectNode) opened.payload()).deepCopy();
        ((ObjectNode) listedLater.get("issue")).put("updated_at", "2031-01-01T00:00:00Z");
        assertThat(
                        EventFingerprint.of(
                                EventNormalizer.normalize("d-3", "issues", listedLater, NOW)))
                .isEqualTo(EventFingerprint.of(opened))
                .hasValueSatisfying(f -> assertThat(f).endsWith(" opened"));

        ObjectNode closed = ((ObjectNode) opened.payload()).deepCopy();
        closed.put("action", "closed");
        ((ObjectNode) closed.get("issue")).put("closed_at", "2030-06-01T00:00:00Z");
        ObjectNode closedListedLater = closed.deepCopy();
        ((ObjectNode) closedListedLater.get("issue")).put("updated_at", "2031-01-01T00:00:00Z");
        ObjectNode reopenedAndClosedAgain = closed.deepCopy();
        ((ObjectNode) reopenedAndClosedAgain.get("issue")).put("closed_at", "2030-07-01T00:00:00Z");

        assertThat(EventFingerprint.of(EventNormalizer.normalize("d-4", "issues", closed, NOW)))
                .isEqualTo(
                        EventFingerprint.of(
                                EventNormalizer.normalize("d-5", "issues", closedListedLater, NOW)))
                .isNotEqualTo(
                        EventFingerprint.of(
                                EventNormalizer.normalize(
                                        "d-6", "issues", reopenedAndClosedAgain, NOW)));
    }

    @Test
    void kindsTheFeedDoesNotDescribeAlikeHaveNone() {
        assertThat(EventFingerprint.of(webhook(WebhookExamples.first("label", "created"))))
                .isEmpty();
        assertThat(EventFingerprint.of(webhook(WebhookExamples.first("installation", "created"))))
                .isEmpty();
    }
}
