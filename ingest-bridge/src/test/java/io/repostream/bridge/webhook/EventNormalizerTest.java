package io.repostream.bridge.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.topics.Topics;
import io.repostream.testkit.fixtures.WebhookExample;
import io.repostream.testkit.fixtures.WebhookExamples;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventNormalizerTest {
    private static final Instant RECEIVED = Instant.parse("2030-01-01T00:00:00Z");

    private static GitHubEvent normalize(WebhookExample example) {
        return EventNormalizer.normalize(
                "delivery-1",
                example.event(),
                EventNormalizer.parse(example.json().getBytes(StandardCharsets.UTF_8)),
                RECEIVED);
    }

    /** Event type, action, and the payload field that holds the time of the event. */
    static Stream<Arguments> eventTimes() {
        return Stream.of(
                Arguments.of("issues", "opened", "/issue/updated_at"),
                Arguments.of("pull_request", "opened", "/pull_request/updated_at"),
                Arguments.of("issue_comment", "created", "/comment/updated_at"),
                Arguments.of("check_run", "completed", "/check_run/completed_at"),
                Arguments.of("workflow_run", "completed", "/workflow_run/updated_at"),
                Arguments.of("workflow_job", "queued", "/workflow_job/created_at"),
                Arguments.of("pull_request_review", "submitted", "/review/submitted_at"),
                Arguments.of("release", "published", "/release/published_at"),
                Arguments.of("push", null, "/head_commit/timestamp"),
                Arguments.of("installation", "created", "/installation/updated_at"),
                Arguments.of("marketplace_purchase", "purchased", "/effective_date"),
                Arguments.of("status", null, "/updated_at"));
    }

    @ParameterizedTest(name = "{0}.{1} happened at {2}")
    @MethodSource("eventTimes")
    void occurredAtIsTheEventTimeTheTypeCarries(String type, String action, String field) {
        WebhookExample example = WebhookExamples.first(type, action);
        GitHubEvent event = normalize(example);

        JsonNode raw = event.payload().at(field);
        Instant expected =
                raw.isNumber()
                        ? Instant.ofEpochSecond(raw.asLong())
                        : java.time.OffsetDateTime.parse(raw.asText()).toInstant();
        assertThat(event.occurredAt()).isEqualTo(expected).isNotEqualTo(RECEIVED);
    }

    @Test
    void eventsWithoutAnEventTimeUseTheTimeTheyWereReceived() {
        GitHubEvent label = normalize(WebhookExamples.first("label", "created"));
        GitHubEvent watch = normalize(WebhookExamples.first("watch", "started"));

        assertThat(label.occurredAt()).isEqualTo(RECEIVED);
        assertThat(watch.occurredAt()).isEqualTo(RECEIVED);
    }

    @Test
    void epochSecondsOffsetsAndPlainDatesAreAllUnderstood() {
        assertThat(EventTime.parse(node("1555351231"))).contains(Instant.ofEpochSecond(1555351231));
        assertThat(EventTime.parse(node("\"2019-05-15T15:20:31.000-04:00\"")))
                .contains(Instant.parse("2019-05-15T19:20:31Z"));
        assertThat(EventTime.parse(node("\"2017-10-25\"")))
                .contains(Instant.parse("2017-10-25T00:00:00Z"));
        assertThat(EventTime.parse(node("\"yesterday\""))).isEmpty();
        assertThat(EventTime.parse(node("null"))).isEmpty();
    }

    @Test
    void anInstallationEventWithoutRepositoryIsKeyedByItsInstallation() {
        WebhookExample example = WebhookExamples.first("installation", "created");
        GitHubEvent event = normalize(example);

        assertThat(event.repo()).isNull();
        assertThat(event.installationId()).isNotNull();
        assertThat(event.key())
                .isIn("installation:" + event.installationId(), "org:" + event.org());
    }

    @Test
    void anOrganizationEventIsKeyedByTheOrganization() {
        GitHubEvent event = normalize(WebhookExamples.first("organization", "member_added"));

        assertThat(event.repo()).isNull();
        assertThat(event.org()).isNotBlank();
        assertThat(event.key()).isEqualTo("org:" + event.org());
    }

    @Test
    void everyExampleBecomesAValidRecordOfTheEventsTopic() {
        for (WebhookExample example : WebhookExamples.all()) {
            GitHubEvent event = normalize(example);
            byte[] encoded = Topics.EVENTS.valueCodec().encode(event);

            assertThat(Topics.EVENTS.valueCodec().decode(encoded))
                    .as(example.toString())
                    .isEqualTo(event);
        }
    }

    static Stream<String> timestamps() {
        return Stream.of(
                "2019-05-15T15:20:31Z",
                "2020-02-29T23:59:59Z",
                "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59Z",
                "2019-02-29T00:00:00Z",
                "2019-13-01T00:00:00Z",
                "2019-00-10T00:00:00Z",
                "2019-05-32T00:00:00Z",
                "2019-05-15T24:00:00Z",
                "2019-05-15T23:60:00Z",
                "2019-05-15T23:59:60Z",
                "2019-05-15t15:20:31Z",
                "2019-05-15T15:20:31z",
                "2019-05-15 15:20:31Z",
                "2019-05-15T15:20:3 Z",
                "2019-05-15T15:20:+1Z",
                "-019-05-15T15:20:31Z",
                "\uff12019-05-15T15:20:31Z",
                "2019-05-15T15:20:31.5Z",
                "2019-05-15T15:20:31+02:00",
                "2019-05-15T15:20Z",
                "2019-05-15");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timestamps")
    void timestampsInGitHubsUsualFormAreReadLikeTheGeneralIso8601Parser(String text) {
        java.util.Optional<Instant> reference;
        try {
            reference = java.util.Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
        } catch (java.time.format.DateTimeParseException notDateTime) {
            try {
                reference =
                        java.util.Optional.of(
                                java.time.LocalDate.parse(text)
                                        .atStartOfDay()
                                        .toInstant(java.time.ZoneOffset.UTC));
            } catch (java.time.format.DateTimeParseException notDate) {
                reference = java.util.Optional.empty();
            }
        }

        assertThat(EventTime.parse(node("\"" + text + "\""))).isEqualTo(reference);
    }

    @Test
    void trailingGarbageAfterTheJsonIsRefused() {
        assertThatThrownBy(
                        () -> EventNormalizer.parse("{\"a\":1} x".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedDeliveryException.class)
                .hasMessageStartingWith("body is not valid JSON");
    }

    @Test
    void aRepositoryNameThatIsNotOwnerSlashRepoIsNamedInTheError() {
        JsonNode payload =
                EventNormalizer.parse(
                        "{\"repository\":{\"full_name\":\"no slash here\"}}"
                                .getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> EventNormalizer.normalize("d-1", "issues", payload, RECEIVED))
                .isInstanceOf(MalformedDeliveryException.class)
                .hasMessageContaining("'no slash here' is not owner/repo");
    }

    @Test
    void aDeliveryIdWithControlCharactersIsRefused() {
        JsonNode payload = EventNormalizer.parse("{}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> EventNormalizer.normalize("bad\nid", "issues", payload, RECEIVED))
                .isInstanceOf(MalformedDeliveryException.class)
                .hasMessageContaining("X-GitHub-Delivery");
    }

    private static JsonNode node(String json) {
        return EventNormalizer.parse(("{\"v\":" + json + "}").getBytes(StandardCharsets.UTF_8))
                .get("v");
    }
}
