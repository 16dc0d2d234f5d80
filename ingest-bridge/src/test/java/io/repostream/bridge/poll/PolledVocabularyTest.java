package io.repostream.bridge.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.repostream.schemas.GitHubEvent;
import io.repostream.testkit.fixtures.EventsApiExamples;
import io.repostream.testkit.fixtures.EventsApiRecords;
import io.repostream.testkit.fixtures.WebhookExample;
import io.repostream.testkit.fixtures.WebhookExamples;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A polled event means what its webhook means: the same event name, the same action vocabulary, the
 * same {@code sender.type}. Checked on real Events API records of every feed type GitHub documents
 * but {@code DiscussionEvent} (GitHub's published examples, {@link EventsApiExamples}, and the
 * records of {@link EventsApiRecords}), against the event/action pairs real webhooks carry ({@link
 * WebhookExamples}).
 */
class PolledVocabularyTest {
    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    /**
     * What each feed type and action must read as: the webhook name and action of the same
     * happening, as GitHub's "GitHub event types" page and its webhook payloads document them.
     * Every real record's type and action must have a row here.
     */
    record Row(String feedType, String feedAction, String webhookEvent, String webhookAction) {
        String key() {
            return feedType + "." + feedAction;
        }

        @Override
        public String toString() {
            return feedType + "." + feedAction + " is " + webhookEvent + "." + webhookAction;
        }
    }

    static final List<Row> TABLE =
            List.of(
                    // the feed's CommitCommentEvent carries no action (webhook: created)
                    new Row("CommitCommentEvent", null, "commit_comment", "created"),
                    new Row("CommitCommentEvent", "created", "commit_comment", "created"),
                    new Row("CreateEvent", null, "create", null),
                    new Row("DeleteEvent", null, "delete", null),
                    new Row("DiscussionEvent", "created", "discussion", "created"),
                    new Row("ForkEvent", null, "fork", null),
                    new Row("GollumEvent", null, "gollum", null),
                    new Row("IssueCommentEvent", "created", "issue_comment", "created"),
                    new Row("IssuesEvent", "opened", "issues", "opened"),
                    new Row("IssuesEvent", "closed", "issues", "closed"),
                    new Row("IssuesEvent", "labeled", "issues", "labeled"),
                    new Row("MemberEvent", "added", "member", "added"),
                    new Row("PublicEvent", null, "public", null),
                    new Row("PullRequestEvent", "opened", "pull_request", "opened"),
                    new Row("PullRequestEvent", "closed", "pull_request", "closed"),
                    new Row(
                            "PullRequestReviewCommentEvent",
                            "created",
                            "pull_request_review_comment",
                            "created"),
                    // the feed says a review was created, the webhook that it was submitted
                    new Row(
                            "PullRequestReviewEvent",
                            "created",
                            "pull_request_review",
                            "submitted"),
                    new Row(
                            "PullRequestReviewThreadEvent",
                            "resolved",
                            "pull_request_review_thread",
                            "resolved"),
                    new Row("PushEvent", null, "push", null),
                    new Row("ReleaseEvent", "published", "release", "published"),
                    new Row("SponsorshipEvent", "created", "sponsorship", "created"),
                    new Row("WatchEvent", "started", "watch", "started"));

    /**
     * The rows no real record has, and why: only these are checked on constructed entries (the
     * others are checked on the real records).
     */
    static final Map<String, String> CONSTRUCTED_ONLY =
            Map.of(
                    "CommitCommentEvent.created",
                    "the real CommitCommentEvent records carry no action; the event types page"
                            + " documents the payload's action as created",
                    "DiscussionEvent.created",
                    "no real DiscussionEvent record was found in an openly licensed source",
                    "IssuesEvent.labeled",
                    "the real IssuesEvent records are opened and closed ones",
                    "PullRequestReviewThreadEvent.resolved",
                    "not a type GitHub documents for the feed: in the table for when it appears",
                    "SponsorshipEvent.created",
                    "not a type GitHub documents for the feed: in the table for when it appears");

    /**
     * Webhook event/action pairs of the table that {@code @octokit/webhooks-examples} has no
     * example of, with the fact that they exist.
     */
    static final Map<String, String> WITHOUT_A_WEBHOOK_EXAMPLE =
            Map.of(
                    "issues.closed",
                    "GitHub's OpenAPI description (@octokit/openapi 23.0.2) documents the webhook"
                            + " webhook-issues-closed, action enum [closed]");

    /** One real feed record and where it comes from. */
    record RealRecord(JsonNode record, String source) {
        String type() {
            return record.path("type").asText();
        }

        String action() {
            JsonNode action = record.path("payload").path("action");
            return action.isTextual() ? action.asText() : null;
        }

        @Override
        public String toString() {
            return type()
                    + "."
                    + action()
                    + " #"
                    + record.path("id").asText()
                    + " ("
                    + source
                    + ")";
        }
    }

    static Stream<RealRecord> realRecords() {
        return Stream.concat(
                EventsApiExamples.records().stream()
                        .map(r -> new RealRecord(r, "@octokit/openapi example")),
                EventsApiRecords.records().stream()
                        .map(r -> new RealRecord(r.record(), r.source().file())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("realRecords")
    void aRealFeedRecordReadsAsTheWebhookItsTypeAndActionMustMapTo(RealRecord real) {
        Row row = row(real.type(), real.action()).orElse(null);
        assertThat(row).as("no row for %s: add what its webhook is to TABLE", real).isNotNull();
        JsonNode record = real.record();

        GitHubEvent event = PolledEvents.toEvent(record, NOW);

        assertThat(event.type()).isEqualTo(row.webhookEvent());
        assertThat(event.action()).isEqualTo(row.webhookAction());
        JsonNode action = event.payload().path("action");
        assertThat(action.isMissingNode() ? null : action.asText()).isEqualTo(row.webhookAction());
        assertThat(event.repo()).isEqualToIgnoringCase(record.at("/repo/name").asText());
        assertThat(event.payload().at("/repository/full_name").asText())
                .isEqualTo(record.at("/repo/name").asText());
        // the feed's actor has no type; the webhook's sender has one, and it is the type the
        // record's own payload gives the same account where it names it (comment.user, ...)
        String login = record.at("/actor/login").asText();
        assertThat(record.at("/actor/type").isMissingNode()).isTrue();
        assertThat(event.payload().at("/sender/login").asText()).isEqualTo(login);
        String senderType = event.payload().at("/sender/type").asText();
        accountTypeIn(record.path("payload"), login)
                .ifPresentOrElse(
                        type -> assertThat(senderType).isEqualTo(type),
                        () -> assertThat(senderType).isIn("User", "Bot"));
    }

    @Test
    void theRealRecordsNameTheTypeOfPeopleAndOfAppsActingInTheFeed() {
        Map<String, String> typeByActor = new HashMap<>();
        realRecords()
                .forEach(
                        real -> {
                            String login = real.record().at("/actor/login").asText();
                            accountTypeIn(real.record().path("payload"), login)
                                    .ifPresent(type -> typeByActor.put(login, type));
                        });

        // so that the sender types above are checked for people and for GitHub Apps alike
        assertThat(typeByActor)
                .containsEntry("github-actions[bot]", "Bot")
                .containsEntry("github-learning-lab[bot]", "Bot")
                .containsValue("User");
        assertThat(typeByActor.values()).containsOnly("User", "Bot");
    }

    @Test
    void onlyTheNamedRowsHaveNoRealRecord() {
        Set<String> real =
                realRecords().map(r -> r.type() + "." + r.action()).collect(Collectors.toSet());
        Set<String> withoutRealRecord =
                TABLE.stream()
                        .map(Row::key)
                        .filter(key -> !real.contains(key))
                        .collect(Collectors.toCollection(TreeSet::new));

        assertThat(withoutRealRecord).isEqualTo(new TreeSet<>(CONSTRUCTED_ONLY.keySet()));
    }

    static Stream<Row> constructedOnlyRows() {
        return TABLE.stream().filter(row -> CONSTRUCTED_ONLY.containsKey(row.key()));
    }

    @ParameterizedTest(name = "{0} (constructed entry)")
    @MethodSource("constructedOnlyRows")
    void aConstructedEntryOfARowWithoutARealRecordReadsAsItsWebhook(Row row) {
        GitHubEvent event =
                PolledEvents.toEvent(entry(row.feedType(), row.feedAction(), "octocat"), NOW);

        assertThat(event.type()).isEqualTo(row.webhookEvent());
        assertThat(event.action()).isEqualTo(row.webhookAction());
        JsonNode action = event.payload().path("action");
        assertThat(action.isMissingNode() ? null : action.asText()).isEqualTo(row.webhookAction());
    }

    static Stream<Row> table() {
        return TABLE.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void theWebhookNameAndActionEachRowMapsToAreOnesRealWebhooksCarry(Row row) {
        String pair = row.webhookEvent() + "." + row.webhookAction();
        assertThat(webhookActions(row.webhookEvent()).contains(row.webhookAction()))
                .as("%s has a webhook example (or is in WITHOUT_A_WEBHOOK_EXAMPLE)", pair)
                .isNotEqualTo(WITHOUT_A_WEBHOOK_EXAMPLE.containsKey(pair));
    }

    static Stream<EventsApiExamples.DocumentedType> documentedTypes() {
        return EventsApiExamples.documentedTypes().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedTypes")
    void everyFeedTypeGitHubDocumentsIsInTheTableAndNamesARealWebhook(
            EventsApiExamples.DocumentedType documented) {
        assertThat(TABLE).extracting(Row::feedType).contains(documented.type());
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

    static Stream<Arguments> actors() {
        return Stream.of(
                Arguments.of("octocat", "User"),
                Arguments.of("dependabot[bot]", "Bot"),
                Arguments.of("github-actions[bot]", "Bot"),
                Arguments.of("renovate[bot]", "Bot"));
    }

    /** Bot logins the real records do not have (constructed entries). */
    @ParameterizedTest(name = "{0} is a {1}")
    @MethodSource("actors")
    void aPolledSenderHasTheTypeItsWebhookSenderHas(String login, String type) {
        GitHubEvent event = PolledEvents.toEvent(entry("IssuesEvent", "opened", login), NOW);

        assertThat(event.payload().at("/sender/login").asText()).isEqualTo(login);
        assertThat(event.payload().at("/sender/type").asText()).isEqualTo(type);
    }

    private static Optional<Row> row(String feedType, String feedAction) {
        return TABLE.stream()
                .filter(r -> r.feedType().equals(feedType))
                .filter(r -> Objects.equals(r.feedAction(), feedAction))
                .findFirst();
    }

    /** The actions real webhooks of {@code event} carry; null for examples without one. */
    private static List<String> webhookActions(String event) {
        return WebhookExamples.of(event).stream().map(WebhookExample::action).distinct().toList();
    }

    /**
     * The {@code type} that an account object of {@code payload} with this {@code login} has
     * ({@code comment.user}, {@code review.user}, {@code release.author}, ...), if it names one.
     */
    private static Optional<String> accountTypeIn(JsonNode payload, String login) {
        if (payload.isObject()
                && login.equals(payload.path("login").asText(null))
                && payload.path("type").isTextual()) {
            return Optional.of(payload.path("type").asText());
        }
        for (JsonNode child : payload) {
            Optional<String> type = accountTypeIn(child, login);
            if (type.isPresent()) {
                return type;
            }
        }
        return Optional.empty();
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
