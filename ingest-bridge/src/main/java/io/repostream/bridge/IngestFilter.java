package io.repostream.bridge;

import io.repostream.schemas.GitHubEvent;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which authenticated events the bridge writes. Dropped events are answered 200 and counted in
 * {@code bridge_filtered_total}, never silently lost.
 *
 * @param owners only events of these organisations or users (by repo owner or org); empty = all
 * @param ignoredEvents event types not written at all (e.g. {@code watch})
 * @param labels events about an issue or pull request are written only when it carries one of these
 *     labels (case-insensitive); other events are not affected; empty = all
 */
public record IngestFilter(Set<String> owners, Set<String> ignoredEvents, Set<String> labels) {

    /** The payload fields {@link #dropReason} reads. */
    public static final List<String> PAYLOAD_FIELDS =
            List.of("/issue/labels", "/pull_request/labels");

    public IngestFilter {
        owners = lower(owners);
        ignoredEvents = lower(ignoredEvents);
        labels = lower(labels);
    }

    /** Owners and ignored event types, no label filter. */
    public IngestFilter(Set<String> owners, Set<String> ignoredEvents) {
        this(owners, ignoredEvents, Set.of());
    }

    public static IngestFilter acceptAll() {
        return new IngestFilter(Set.of(), Set.of(), Set.of());
    }

    /**
     * Why {@code event} is dropped, or empty when it is written. Events without an owner (e.g. an
     * app-level {@code ping}) pass an owner filter: they concern the app, not a repository.
     */
    public Optional<String> dropReason(GitHubEvent event) {
        if (ignoredEvents.contains(event.type())) {
            return Optional.of("event_ignored");
        }
        if (!labels.isEmpty() && !carriesWantedLabel(event)) {
            return Optional.of("label_not_matched");
        }
        if (owners.isEmpty()) {
            return Optional.empty();
        }
        String owner = event.org();
        if (event.repo() != null) {
            owner = event.repo().substring(0, event.repo().indexOf('/'));
        }
        if (owner == null || owners.contains(owner)) {
            return Optional.empty();
        }
        return Optional.of("owner_not_allowed");
    }

    /** True for events not about an issue or pull request, and for those carrying a label. */
    private boolean carriesWantedLabel(GitHubEvent event) {
        com.fasterxml.jackson.databind.JsonNode item = event.payload().path("issue");
        if (item.isMissingNode()) {
            item = event.payload().path("pull_request");
        }
        if (item.isMissingNode() || !item.isObject()) {
            return true;
        }
        for (com.fasterxml.jackson.databind.JsonNode label : item.path("labels")) {
            if (labels.contains(label.path("name").asText("").toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> lower(Set<String> names) {
        if (names == null) {
            return Set.of();
        }
        return names.stream()
                .map(n -> n.toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }
}
