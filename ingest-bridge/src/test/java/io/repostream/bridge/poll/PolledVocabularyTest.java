package io.repostream.bridge.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.GitHubEvent;
import io.repostream.testkit.fixtures.EventsApiExamples;
import io.repostream.testkit.fixtures.WebhookExample;
import io.repostream.testkit.fixtures.WebhookExamples;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A polled event means what its webhook means: the same event name, the same action vocabulary, the
 * same {@code sender.type}, checked against GitHub's own material: the feed types its OpenAPI
 * description documents and the example records it publishes ({@link EventsApiExamples}), and the
 * event/action pairs real webhooks carry ({@link WebhookExamples}).
 */
class PolledVocabularyTest {
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    /**
     * Feed type and action as GitHub's "GitHub event types" page documents them, and the webhook
     * name and action of the same happening. The entries built from these rows are minimal
     * (constructed, not recorded): the records GitHub published are checked below.
     */
    static Stream<Arguments> vocabulary() {
        return Stream.of(
                Arguments.of(
                        "PullRequestReviewEvent", "created", "pull_request_review", "submitted"),
                Arguments.of("CommitCommentEvent", null, "commit_comment", "created"),
                Arguments.of("CommitCommentEvent", "created", "commit_comment", "created"),
                Arguments.of("IssuesEvent", "opened", "issues", "opened"),
                Arguments.of("IssuesEvent", "labeled", "issues", "labeled"),
                Arguments.of("IssueCommentEvent", "created", "issue_comment", "created"),
                Arguments.of("PullRequestEvent", "closed", "pull_request", "closed"),
                Arguments.of(
                        "PullRequestReviewCommentEvent",
                        "created",
                        "pull_request_review_comment",
                        "created"),
                Arguments.of(
                        "PullRequestReviewThreadEvent",
                        "resolved",
                        "pull_request_review_thread",
                        "resolved"),
                Arguments.of("PushEvent", null, "push", null),
                Arguments.of("CreateEvent", null, "create", null),
                Arguments.of("DeleteEvent", null, "delete", null),
                Arguments.of("ForkEvent", null, "fork", null),
                Arguments.of("GollumEvent", null, "gollum", null),
                Arguments.of("PublicEvent", null, "public", null),
                Arguments.of("MemberEvent", "added", "member", "added"),
                Arguments.of("ReleaseEvent", "published", "release", "published"),
                Arguments.of("WatchEvent", "started", "watch", "started"),
                Arguments.of("DiscussionEvent", "created", "discussion", "created"),
                Arguments.of("SponsorshipEvent", "created", "sponsorship", "created"));
    }

    @ParameterizedTest(name = "{0}.{1} is {2}.{3}")
    @MethodSource("vocabulary")
    void aPolledEventHasTheNameAndActionOfItsWebhook(
            String feedType, String feedAction, String webhookEvent, String webhookAction) {
        GitHubEvent event = PolledEvents.toEvent(entry(feedType, feedAction, "octocat"), NOW);

        assertThat(event.type()).isEqualTo(webhookEvent);
        assertThat(event.action()).isEqualTo(webhookAction);
        JsonNode action = event.payload().path("action");
        assertThat(action.isMissingNode() ? null : action.asText()).isEqualTo(webhookAction);
    }

    @ParameterizedTest(name = "{0}.{1} is {2}.{3}")
    @MethodSource("vocabulary")
    void theWebhookNameAndActionEachRowMapsToAreOnesRealWebhooksCarry(
            String feedType, String feedAction, String webhookEvent, String webhookAction) {
        assertThat(webhookActions(webhookEvent)).contains(webhookAction);
    }

    static Stream<EventsApiExamples.DocumentedType> documentedTypes() {
        return EventsApiExamples.documentedTypes().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedTypes")
    void everyFeedTypeGitHubDocumentsIsInTheTableAndNamesARealWebhook(
            EventsApiExamples.DocumentedType documented) {
        assertThat(FeedVocabulary.knows(documented.type())).isTrue();
        String webhook = FeedVocabulary.webhookEvent(documented.type());
        assertThat(WebhookExamples.events()).contains(webhook);
        // an action the feed may carry means one that real webhooks of that name carry
        for (String feedAction : FeedVocabulary.feedActions(documented.type())) {
            assertThat(webhookActions(webhook))
                    .as("%s.%s", documented.type(), feedAction)
                    .contains(FeedVocabulary.webhookAction(documented.type(), feedAction));
        }
        // a webhook without actions (push, fork, ...) gets none from a polled copy either;
        // a feed payload without an action reads as one real webhooks carry
        boolean webhookHasActions = webhookActions(webhook).stream().anyMatch(Objects::nonNull);
        String withoutAction = FeedVocabulary.webhookAction(documented.type(), null);
        if (!webhookHasActions) {
            assertThat(withoutAction).isNull();
            assertThat(FeedVocabulary.webhookAction(documented.type(), "forked")).isNull();
        } else if (withoutAction != null) {
            assertThat(webhookActions(webhook)).contains(withoutAction);
        }
    }

    static Stream<JsonNode> publishedRecords() {
        return EventsApiExamples.records().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("publishedRecords")
    void theFeedRecordsGitHubPublishedReadAsTheirWebhooks(JsonNode record) {
        GitHubEvent event = PolledEvents.toEvent(record, NOW);

        assertThat(WebhookExamples.events()).contains(event.type());
        assertThat(webhookActions(event.type())).contains(event.action());
        assertThat(event.repo()).isEqualToIgnoringCase(record.at("/repo/name").asText());
        assertThat(event.payload().at("/repository/full_name").asText())
                .isEqualTo(record.at("/repo/name").asText());
        // the feed's actor has no type; the webhook's sender has
        assertThat(record.at("/actor/type").isMissingNode()).isTrue();
        assertThat(event.payload().at("/sender/login").asText())
                .isEqualTo(record.at("/actor/login").asText());
        assertThat(event.payload().at("/sender/type").asText()).isEqualTo("User");
    }

    static Stream<Arguments> actors() {
        return Stream.of(
                Arguments.of("octocat", "User"),
                Arguments.of("dependabot[bot]", "Bot"),
                Arguments.of("github-actions[bot]", "Bot"),
                Arguments.of("renovate[bot]", "Bot"));
    }

    @ParameterizedTest(name = "{0} is a {1}")
    @MethodSource("actors")
    void aPolledSenderHasTheTypeItsWebhookSenderHas(String login, String type) {
        GitHubEvent event = PolledEvents.toEvent(entry("IssuesEvent", "opened", login), NOW);

        assertThat(event.payload().at("/sender/login").asText()).isEqualTo(login);
        assertThat(event.payload().at("/sender/type").asText()).isEqualTo(type);
    }

    /** The actions real webhooks of {@code event} carry; null for examples without one. */
    private static List<String> webhookActions(String event) {
        return WebhookExamples.of(event).stream().map(WebhookExample::action).distinct().toList();
    }

    /** A feed entry with the common properties GitHub documents, and a bare payload. */
    private static ObjectNode entry(String type, String action, String actor) {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        entry.put("id", "100");
        entry.put("type", type);
        ObjectNode a = entry.putObject("actor");
        a.put("id", 1);
        a.put("login", actor);
        a.put("display_login", actor.replace("[bot]", ""));
        a.put("gravatar_id", "");
        a.put("url", "https://api.github.com/users/" + actor);
        a.put("avatar_url", "https://avatars.githubusercontent.com/u/1?");
        ObjectNode repo = entry.putObject("repo");
        repo.put("id", 2);
        repo.put("name", "octo/app");
        repo.put("url", "https://api.github.com/repos/octo/app");
        ObjectNode payload = entry.putObject("payload");
        if (action != null) {
            payload.put("action", action);
        }
        entry.put("public", true);
        entry.put("created_at", "2026-12-07T09:00:00Z");
        return entry;
    }
}
