package io.repostream.cli.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.repostream.executor.github.AppPermission;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which App permission GitHub requires to subscribe to each webhook event ("To subscribe to this
 * event, a GitHub App must have at least read-level access for the Issues repository permission"),
 * from GitHub's OpenAPI description ({@code cli/scripts/update-webhook-permissions.sh} writes the
 * resource).
 */
public final class WebhookEventPermissions {
    static final String RESOURCE = "/github/webhook-event-permissions.json";

    private final Map<String, AppPermission> byEvent;
    private final String source;

    private WebhookEventPermissions(Map<String, AppPermission> byEvent, String source) {
        this.byEvent = byEvent;
        this.source = source;
    }

    /** The table shipped with the launcher. */
    public static WebhookEventPermissions load() {
        try (InputStream in = WebhookEventPermissions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, AppPermission> byEvent = new TreeMap<>();
            root.path("events")
                    .fields()
                    .forEachRemaining(
                            e ->
                                    byEvent.put(
                                            e.getKey(),
                                            new AppPermission(
                                                    e.getValue().path("permission").asText(),
                                                    e.getValue().path("level").asText())));
            JsonNode s = root.path("source");
            return new WebhookEventPermissions(
                    Map.copyOf(byEvent),
                    s.path("package").asText() + "@" + s.path("version").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** The permission subscribing to {@code event} needs, empty when GitHub has no such event. */
    public Optional<AppPermission> permissionFor(String event) {
        return Optional.ofNullable(byEvent.get(event));
    }

    /** Where the table comes from ({@code @octokit/openapi@23.0.2}). */
    public String source() {
        return source;
    }
}
