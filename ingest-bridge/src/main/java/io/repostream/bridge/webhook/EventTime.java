package io.repostream.bridge.webhook;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where each GitHub event type carries the time the event happened. Fields are tried in order; the
 * first present and parseable one wins. Times come as ISO-8601 (with {@code Z} or an offset), as a
 * date, or as epoch seconds (e.g. {@code repository.pushed_at} in push events).
 *
 * <p>Some events carry no event time at all (e.g. {@code label}, {@code watch}, {@code member},
 * {@code org_block}, {@code workflow_dispatch}); for them, and for unknown event types, {@link #of}
 * is empty and the bridge uses the time it received the delivery. See README.md.
 */
public final class EventTime {

    private static final Map<String, List<JsonPointer>> FIELDS =
            Map.ofEntries(
                    entry("branch_protection_rule", "/rule/updated_at", "/rule/created_at"),
                    entry("check_run", "/check_run/completed_at", "/check_run/started_at"),
                    entry("check_suite", "/check_suite/updated_at", "/check_suite/created_at"),
                    entry(
                            "code_scanning_alert",
                            "/alert/fixed_at",
                            "/alert/dismissed_at",
                            "/alert/updated_at",
                            "/alert/created_at"),
                    entry("commit_comment", "/comment/updated_at", "/comment/created_at"),
                    entry("create", "/repository/pushed_at"),
                    entry("delete", "/repository/pushed_at"),
                    entry(
                            "dependabot_alert",
                            "/alert/fixed_at",
                            "/alert/dismissed_at",
                            "/alert/auto_dismissed_at",
                            "/alert/updated_at",
                            "/alert/created_at"),
                    entry("deploy_key", "/key/created_at"),
                    entry("deployment", "/deployment/updated_at", "/deployment/created_at"),
                    entry("deployment_review", "/since", "/workflow_run/updated_at"),
                    entry(
                            "deployment_status",
                            "/deployment_status/updated_at",
                            "/deployment_status/created_at"),
                    entry("discussion", "/discussion/updated_at", "/discussion/created_at"),
                    entry("discussion_comment", "/comment/updated_at", "/comment/created_at"),
                    entry("fork", "/forkee/created_at"),
                    entry("installation", "/installation/updated_at", "/installation/created_at"),
                    entry("installation_repositories", "/installation/updated_at"),
                    entry("issue_comment", "/comment/updated_at", "/comment/created_at"),
                    entry("issues", "/issue/updated_at", "/issue/created_at"),
                    entry("marketplace_purchase", "/effective_date"),
                    entry("merge_group", "/merge_group/head_commit/timestamp"),
                    entry("meta", "/hook/updated_at"),
                    entry("milestone", "/milestone/updated_at", "/milestone/created_at"),
                    entry("organization", "/invitation/created_at"),
                    entry("package", "/package/updated_at", "/package/package_version/updated_at"),
                    entry("page_build", "/build/updated_at", "/build/created_at"),
                    entry("ping", "/hook/updated_at", "/hook/created_at"),
                    entry("project", "/project/updated_at", "/project/created_at"),
                    entry("project_card", "/project_card/updated_at", "/project_card/created_at"),
                    entry(
                            "project_column",
                            "/project_column/updated_at",
                            "/project_column/created_at"),
                    entry(
                            "projects_v2_item",
                            "/projects_v2_item/updated_at",
                            "/projects_v2_item/created_at"),
                    entry("public", "/repository/updated_at"),
                    entry("pull_request", "/pull_request/updated_at", "/pull_request/created_at"),
                    entry(
                            "pull_request_review",
                            "/review/submitted_at",
                            "/pull_request/updated_at"),
                    entry(
                            "pull_request_review_comment",
                            "/comment/updated_at",
                            "/comment/created_at"),
                    entry("pull_request_review_thread", "/pull_request/updated_at"),
                    entry("push", "/head_commit/timestamp", "/repository/pushed_at"),
                    entry("release", "/release/published_at", "/release/created_at"),
                    entry("repository", "/repository/updated_at"),
                    entry(
                            "repository_vulnerability_alert",
                            "/alert/dismissed_at",
                            "/alert/created_at"),
                    entry(
                            "security_advisory",
                            "/security_advisory/withdrawn_at",
                            "/security_advisory/updated_at",
                            "/security_advisory/published_at"),
                    entry("sponsorship", "/effective_date", "/sponsorship/created_at"),
                    entry("star", "/starred_at"),
                    entry("status", "/updated_at", "/created_at"),
                    entry(
                            "workflow_job",
                            "/workflow_job/completed_at",
                            "/workflow_job/started_at",
                            "/workflow_job/created_at"),
                    entry("workflow_run", "/workflow_run/updated_at", "/workflow_run/created_at"));

    private EventTime() {}

    /** The event types whose payload carries an event time. */
    public static java.util.Set<String> typesWithEventTime() {
        return FIELDS.keySet();
    }

    /** Every field (JSON pointer) tried for any type. */
    public static java.util.Set<String> allFields() {
        return FIELDS.values().stream()
                .flatMap(List::stream)
                .map(JsonPointer::toString)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The fields (JSON pointers) tried for {@code type}, in order. */
    public static List<String> fieldsOf(String type) {
        return FIELDS.getOrDefault(type, List.of()).stream()
                .map(JsonPointer::toString)
                .collect(Collectors.toList());
    }

    /** The event time of a payload of type {@code type}, when the payload carries one. */
    public static Optional<Instant> of(String type, JsonNode payload) {
        for (JsonPointer field : FIELDS.getOrDefault(type, List.of())) {
            Optional<Instant> time = parse(payload.at(field));
            if (time.isPresent()) {
                return time;
            }
        }
        return Optional.empty();
    }

    static Optional<Instant> parse(JsonNode value) {
        if (value.isIntegralNumber()) {
            return Optional.of(Instant.ofEpochSecond(value.asLong()));
        }
        if (!value.isTextual()) {
            return Optional.empty();
        }
        String text = value.asText();
        Instant utc = parseUtcSeconds(text);
        if (utc != null) {
            return Optional.of(utc);
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException notDateTime) {
            try {
                return Optional.of(LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    /**
     * GitHub's usual form, {@code 2019-05-15T15:20:31Z}, without the general ISO-8601 parser (a few
     * percent of the bridge's CPU); null for any other text, which then takes the general path.
     */
    private static Instant parseUtcSeconds(String text) {
        if (text.length() != 20
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':'
                || text.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second)
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeException outOfRange) {
            return null;
        }
    }

    /** The decimal number in {@code text[from, to)}, or -1 when it is not all ASCII digits. */
    private static int digits(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static Map.Entry<String, List<JsonPointer>> entry(String type, String... pointers) {
        return Map.entry(
                type, java.util.Arrays.stream(pointers).map(JsonPointer::compile).toList());
    }
}
