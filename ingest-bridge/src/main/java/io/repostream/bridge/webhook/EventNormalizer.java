package io.repostream.bridge.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.repostream.schemas.EventSource;
import io.repostream.schemas.GitHubEvent;
import io.repostream.schemas.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns one webhook delivery into a {@link GitHubEvent}: the headers give the id and type, the
 * payload gives the repository, organisation, installation, action and event time. The payload
 * itself is kept as GitHub sent it.
 */
public final class EventNormalizer {
    private static final ObjectReader STRICT_READER =
            Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z0-9_.-]{1,100}");
    private static final Pattern DELIVERY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
    private static final Pattern REPO = Pattern.compile("[a-z0-9][a-z0-9._-]*/[a-z0-9._-]+");

    /** The payload fields {@link #normalize} reads (besides {@link EventTime}'s). */
    public static final List<String> PAYLOAD_FIELDS =
            List.of(
                    "/action",
                    "/repository/full_name",
                    "/repository/owner/type",
                    "/repository/owner/login",
                    "/organization/login",
                    "/installation/id",
                    "/installation/account/type",
                    "/installation/account/login");

    private EventNormalizer() {}

    /**
     * The payload as a JSON object of decodable text ({@link PayloadText}), or why it is not one.
     */
    public static JsonNode parse(byte[] json) {
        PayloadText.check(json);
        JsonNode tree;
        try {
            tree = STRICT_READER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedDeliveryException(
                    "body is not valid JSON: " + e.getOriginalMessage() + locationOf(e));
        } catch (IOException e) {
            throw new MalformedDeliveryException("body is not valid JSON: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            throw new MalformedDeliveryException("body is empty; expected a JSON object");
        }
        if (!tree.isObject()) {
            throw new MalformedDeliveryException(
                    "body is a JSON "
                            + tree.getNodeType().name().toLowerCase(Locale.ROOT)
                            + "; expected a JSON object");
        }
        return tree;
    }

    /** Lowercase {@code owner/repo} of {@code repository.full_name}, or null. */
    public static String repoOf(JsonNode payload) {
        JsonNode fullName = payload.path("repository").path("full_name");
        if (!fullName.isTextual()) {
            return null;
        }
        String repo = fullName.asText().toLowerCase(Locale.ROOT);
        if (!REPO.matcher(repo).matches()) {
            throw new MalformedDeliveryException(
                    "repository.full_name '"
                            + abbreviate(fullName.asText())
                            + "' is not owner/repo");
        }
        return repo;
    }

    /**
     * The organisation: {@code organization.login}, else the repository owner or installation
     * account when that is an organisation.
     */
    public static String orgOf(JsonNode payload) {
        JsonNode login = payload.path("organization").path("login");
        if (login.isTextual()) {
            return login.asText().toLowerCase(Locale.ROOT);
        }
        for (String owner : new String[] {"/repository/owner", "/installation/account"}) {
            JsonNode account = payload.at(owner);
            if ("Organization".equals(account.path("type").asText())
                    && account.path("login").isTextual()) {
                return account.path("login").asText().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    /**
     * Builds the event.
     *
     * @param payload the parsed body ({@link #parse})
     * @throws MalformedDeliveryException naming what is wrong
     */
    public static GitHubEvent normalize(
            String deliveryId, String eventType, JsonNode payload, Instant receivedAt) {
        if (deliveryId == null || deliveryId.isBlank()) {
            throw new MalformedDeliveryException("missing X-GitHub-Delivery header");
        }
        if (!DELIVERY_ID.matcher(deliveryId).matches()) {
            throw new MalformedDeliveryException(
                    "X-GitHub-Delivery '" + abbreviate(deliveryId) + "' is not a delivery id");
        }
        if (eventType == null || eventType.isBlank()) {
            throw new MalformedDeliveryException(
                    "missing X-GitHub-Event header (delivery " + deliveryId + ")");
        }
        String type = eventType.toLowerCase(Locale.ROOT);
        if (!EVENT_TYPE.matcher(type).matches()) {
            throw new MalformedDeliveryException(
                    "X-GitHub-Event '" + abbreviate(eventType) + "' is not an event name");
        }
        String repo = repoOf(payload);
        JsonNode action = payload.path("action");
        JsonNode installation = payload.path("installation").path("id");
        Instant occurredAt = EventTime.of(type, payload).orElse(receivedAt);
        return new GitHubEvent(
                deliveryId,
                EventSource.WEBHOOK,
                type,
                action.isTextual() ? action.asText() : null,
                repo,
                orgOf(payload),
                installation.isIntegralNumber() ? installation.asLong() : null,
                occurredAt,
                receivedAt,
                payload);
    }

    private static String locationOf(JsonProcessingException e) {
        if (e.getLocation() == null) {
            return "";
        }
        return " (line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr()
                + ")";
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
