package io.repostream.flink.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.repostream.schemas.GitHubEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads the few fields the rules need from GitHub's webhook payloads, tolerating their absence. */
public final class GitHubPayloads {
    private GitHubPayloads() {}

    /** The issue or pull request the event is about, if any. */
    public static JsonNode item(GitHubEvent event) {
        JsonNode payload = event.payload();
        JsonNode issue = payload.path("issue");
        if (issue.isObject()) {
            return issue;
        }
        return payload.path("pull_request");
    }

    /** The issue or pull request number, when the event is about one. */
    public static OptionalLong itemNumber(GitHubEvent event) {
        JsonNode number = item(event).path("number");
        return number.canConvertToLong() && number.asLong() > 0
                ? OptionalLong.of(number.asLong())
                : OptionalLong.empty();
    }

    /**
     * Where the bridge's poller lists the fields of a polled item it could not complete (JSON
     * pointers such as {@code /issue/labels}): GitHub's event feed trims payloads, and an item it
     * no longer serves cannot be read back.
     */
    public static final String INCOMPLETE = "repostream_incomplete";

    /**
     * Label names of the issue or pull request, or empty when the payload does not say: the field
     * is absent (a trimmed feed record) or marked {@link #INCOMPLETE}. Rules must not read an
     * unknown list as an empty one.
     */
    public static Optional<List<String>> knownLabels(GitHubEvent event) {
        JsonNode payload = event.payload();
        String field = payload.path("issue").isObject() ? "issue" : "pull_request";
        if (!payload.path(field).path("labels").isArray()) {
            return Optional.empty();
        }
        String pointer = "/" + field + "/labels";
        for (JsonNode missing : payload.path(INCOMPLETE)) {
            if (pointer.equals(missing.asText())) {
                return Optional.empty();
            }
        }
        return Optional.of(labels(event));
    }

    /** Label names of the issue or pull request, in payload order (none when unknown). */
    public static List<String> labels(GitHubEvent event) {
        List<String> names = new ArrayList<>();
        for (JsonNode label : item(event).path("labels")) {
            String name = label.path("name").asText("");
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    /** Login of whoever opened the issue or pull request, lowercase; empty when unknown. */
    public static String author(GitHubEvent event) {
        return login(item(event).path("user"));
    }

    /** Login of whoever caused the event, lowercase; empty when unknown. */
    public static String sender(GitHubEvent event) {
        return login(event.payload().path("sender"));
    }

    /** Whether the event's sender is a GitHub App or other bot account. */
    public static boolean senderIsBot(GitHubEvent event) {
        return Accounts.isBot(event.payload().path("sender"));
    }

    private static String login(JsonNode user) {
        return user.path("login").asText("").toLowerCase(Locale.ROOT);
    }
}
